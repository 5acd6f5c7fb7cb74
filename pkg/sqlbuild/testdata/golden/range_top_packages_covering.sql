-- source: pypi_downloads
-- reason: pypi_downloads: the range holds all of the data (2022-06-01 to 2024-05-31), so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param row_limit = 20
SELECT
    project AS package,
    toInt64(sum(count)) AS downloads
FROM pypi.pypi_downloads
GROUP BY project
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
