-- source: pypi_downloads_per_month
-- reason: pypi_downloads_per_month: every month bucket from 2024-01 lies inside its window of whole months (from 2024-01)
-- granularity: month
-- shape: timeseries package=package
-- param data_end = 2024-05-31
-- param from_month = 2024-01-01
-- param packages = ['requests']
-- param to_month = 2024-06-01
SELECT
    month AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(month)) AS data_end
FROM pypi.pypi_downloads_per_month
WHERE month >= {from_month:Date}
  AND month <= {to_month:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
