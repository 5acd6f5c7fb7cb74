-- source: pypi_downloads
-- reason: pypi_downloads: the range holds every download of requests (2023-01-10 to 2024-05-31), so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param packages = ['requests']
SELECT
    toInt64(sum(count)) AS downloads,
    toInt64(uniqExact(project)) AS packages
FROM pypi.pypi_downloads
WHERE project IN {packages:Array(String)}
