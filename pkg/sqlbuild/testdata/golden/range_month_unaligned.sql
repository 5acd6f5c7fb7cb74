-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- granularity: month
-- shape: timeseries package=package
-- param data_end = 2024-05-31
-- param from = 2024-01-15
-- param packages = ['requests']
-- param to = 2024-06-10
SELECT
    toStartOfMonth(date) AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
