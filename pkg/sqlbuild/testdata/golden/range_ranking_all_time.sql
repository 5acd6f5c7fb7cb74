-- source: pypi_downloads
-- reason: pypi_downloads: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param package = numpy
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
    FROM pypi.pypi_downloads
    GROUP BY project
)
WHERE package = {package:String}
