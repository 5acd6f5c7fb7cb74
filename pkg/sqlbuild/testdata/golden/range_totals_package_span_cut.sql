-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2023-01-11
-- param packages = ['requests']
-- param to = 2024-06-01
SELECT
    toInt64(sum(count)) AS downloads,
    toInt64(uniqExact(project)) AS packages
FROM pypi.pypi_downloads_per_day
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
