-- source: pypi_downloads_per_day_by_version_by_file_type
-- reason: pypi_downloads_per_day_by_version_by_file_type: fewest columns of the 3 summaries holding date, type, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param to = 2024-05-29
-- param types = ['bdist_wheel']
SELECT
    toInt64(sum(count)) AS downloads,
    toInt64(uniqExact(project)) AS packages
FROM pypi.pypi_downloads_per_day_by_version_by_file_type
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND type IN {types:Array(String)}
