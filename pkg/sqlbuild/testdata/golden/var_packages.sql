-- source: pypi_downloads
-- reason: pypi_downloads: fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param prefix = req
-- param row_limit = 20
SELECT project AS __value
FROM pypi.pypi_downloads
WHERE startsWith(project, {prefix:String})
GROUP BY project
ORDER BY toInt64(sum(count)) DESC, __value
LIMIT {row_limit:UInt64}
