-- source: pypi_downloads_per_day_by_version_by_installer_by_type
-- reason: pypi_downloads_per_day_by_version_by_installer_by_type: fewest columns of the 2 summaries holding date, installer, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param installers = ['pip','uv']
-- param package = numpy
-- param to = 2024-05-29
SELECT
    package,
    downloads,
    position AS rank,
    packages,
    100 * (packages - position) / packages AS percentile
FROM (
    SELECT
        project AS package,
        toInt64(sum(count)) AS downloads,
        rank() OVER (ORDER BY downloads DESC) AS position,
        count() OVER () AS packages
    FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND installer IN {installers:Array(String)}
    GROUP BY project
)
WHERE package = {package:String}
