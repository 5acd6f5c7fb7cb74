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
    100 * position / packages AS top_percent,
    100 * (packages - at_least) / packages AS percentile,
    multiIf(top_percent <= 1, 'gold', top_percent <= 10, 'silver', top_percent <= 25, 'bronze', '') AS medal
FROM (
    SELECT
        project AS package,
        toInt64(sum(count)) AS downloads,
        rank() OVER (ORDER BY downloads DESC) AS position,
        count() OVER (ORDER BY downloads DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS at_least,
        count() OVER () AS packages
    FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND installer IN {installers:Array(String)}
    GROUP BY project
)
WHERE package = {package:String}
