-- source: pypi_downloads_per_month
-- reason: pypi_downloads_per_month: both months lie inside its window of whole months
-- shape: table
-- param last_month = 2024-04-01
-- param min_downloads = 50
-- param prev_month = 2024-03-01
-- param row_limit = 10
SELECT package AS __value
FROM (
    SELECT
        package,
        {last_month:Date} AS month,
        downloads,
        previous,
        downloads / previous - 1 AS growth
    FROM (
        SELECT
            project AS package,
            toInt64(sumIf(count, month = {last_month:Date})) AS downloads,
            toInt64(sumIf(count, month = {prev_month:Date})) AS previous
        FROM pypi.pypi_downloads_per_month
        WHERE month IN ({prev_month:Date}, {last_month:Date})
        GROUP BY project
    )
    WHERE downloads >= {min_downloads:UInt64} AND previous > 0
    ORDER BY growth DESC, package
    LIMIT {row_limit:UInt64}
)
