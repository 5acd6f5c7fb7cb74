-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param last_month = 2023-06-01
-- param min_downloads = 1000
-- param prev_month = 2023-05-01
-- param row_limit = 10
SELECT
    package,
    {last_month:Date} AS month,
    downloads,
    previous,
    downloads / previous - 1 AS growth
FROM (
    SELECT
        project AS package,
        toInt64(sumIf(count, toStartOfMonth(date) = {last_month:Date})) AS downloads,
        toInt64(sumIf(count, toStartOfMonth(date) = {prev_month:Date})) AS previous
    FROM pypi.pypi_downloads_per_day
    WHERE date >= {prev_month:Date}
      AND date < {last_month:Date} + INTERVAL 1 MONTH
    GROUP BY project
)
WHERE downloads >= {min_downloads:UInt64} AND previous > 0
ORDER BY growth DESC, package
LIMIT {row_limit:UInt64}
