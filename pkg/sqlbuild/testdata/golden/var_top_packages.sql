-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param row_limit = 50
-- param to = 2024-05-29
SELECT project AS __value
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
GROUP BY project
ORDER BY toInt64(sum(count)) DESC, __value
LIMIT {row_limit:UInt64}
