-- source: pypi_downloads
-- reason: pypi_downloads: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param package = numpy
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
    FROM pypi.pypi_downloads
    GROUP BY project
)
WHERE package = {package:String}
