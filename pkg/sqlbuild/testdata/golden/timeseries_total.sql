-- source: pypi_downloads_per_day
-- granularity: day
-- shape: timeseries
-- param from = 2024-03-01
-- param to = 2024-05-29
SELECT
    date AS time,
    toInt64(sum(count)) AS value,
    (SELECT max(max_date) FROM pypi.pypi_downloads_max_min) AS data_end
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
GROUP BY time
ORDER BY time
