-- source: pypi_downloads_per_day
-- granularity: week
-- shape: timeseries package=package
-- param from = 2024-03-01
-- param packages = ['requests','numpy']
-- param to = 2024-05-29
SELECT
    toMonday(date) AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    (SELECT max(max_date) FROM pypi.pypi_downloads_max_min) AS data_end
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
