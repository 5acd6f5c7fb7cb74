-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date (row counts unreadable)
-- granularity: day
-- shape: timeseries
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param to = 2024-05-29
SELECT
    date AS time,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
GROUP BY time
ORDER BY time
