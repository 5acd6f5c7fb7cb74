-- source: pypi_downloads_per_day_by_version
-- reason: pypi_downloads_per_day_by_version: fewest columns of the 9 summaries holding date, project, version (row counts unreadable)
-- shape: table
-- param package = requests
-- param row_limit = 100
SELECT version AS __value
FROM pypi.pypi_downloads_per_day_by_version
WHERE project = {package:String}
GROUP BY version
ORDER BY min(date) DESC, __value DESC
LIMIT {row_limit:UInt64}
