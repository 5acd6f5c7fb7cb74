-- source: pypi_downloads
-- reason: pypi_downloads: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
SELECT
    toInt64(sum(count)) AS downloads,
    toInt64(uniqExact(project)) AS packages
FROM pypi.pypi_downloads
