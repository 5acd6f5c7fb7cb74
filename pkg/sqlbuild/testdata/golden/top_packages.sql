-- source: pypi_downloads_per_day_by_version_by_installer_by_type
-- reason: pypi_downloads_per_day_by_version_by_installer_by_type: fewest columns of the 2 summaries holding date, installer, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param mirrors = ['bandersnatch','z3c.pypimirror','Artifactory','devpi']
-- param row_limit = 20
-- param to = 2024-05-29
SELECT
    project AS package,
    toInt64(sum(count)) AS downloads
FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND installer NOT IN {mirrors:Array(String)}
GROUP BY project
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
