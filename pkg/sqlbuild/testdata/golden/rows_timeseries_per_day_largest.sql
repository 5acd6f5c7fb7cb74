-- source: pypi_downloads_per_day_by_version
-- reason: pypi_downloads_per_day_by_version: fewest live rows (40000) of the 10 summaries holding date, project
-- granularity: day
-- shape: timeseries package=package
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param packages = ['requests']
-- param to = 2024-05-29
SELECT
    date AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day_by_version
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
