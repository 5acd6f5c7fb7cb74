-- source: pypi_downloads_per_month
-- reason: pypi_downloads_per_month: every month bucket from 2024-02 lies inside its window of whole months (from 2024-01)
-- granularity: month
-- shape: timeseries
-- param data_end = 2024-05-31
-- param from_month = 2024-02-01
-- param to_month = 2024-04-01
SELECT
    month AS time,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(month)) AS data_end
FROM pypi.pypi_downloads_per_month
WHERE month >= {from_month:Date}
  AND month <= {to_month:Date}
GROUP BY time
ORDER BY time
