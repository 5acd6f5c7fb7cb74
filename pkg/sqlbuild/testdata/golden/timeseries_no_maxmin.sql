-- source: pypi_downloads_per_day
-- granularity: day
-- shape: timeseries package=package
-- param from = 2024-03-01
-- param packages = ['requests']
-- param to = 2024-05-29
SELECT
    date AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    (SELECT max(date) FROM pypi.pypi_downloads_per_day) AS data_end
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
