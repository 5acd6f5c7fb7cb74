-- source: pypi_downloads_per_day_by_version_by_system
-- reason: pypi_downloads_per_day_by_version_by_system: fewest columns of the 2 summaries holding date, system, project (row counts unreadable)
-- shape: table
-- param last_month = 2024-04-01
-- param min_downloads = 50
-- param prev_month = 2024-03-01
-- param row_limit = 10
-- param systems = ['Windows']
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
    FROM pypi.pypi_downloads_per_day_by_version_by_system
    WHERE date >= {prev_month:Date}
      AND date < {last_month:Date} + INTERVAL 1 MONTH
      AND system IN {systems:Array(String)}
    GROUP BY project
)
WHERE downloads >= {min_downloads:UInt64} AND previous > 0
ORDER BY growth DESC, package
LIMIT {row_limit:UInt64}
