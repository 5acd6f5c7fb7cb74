-- source: pypi_downloads_per_day_by_version_by_python
-- reason: pypi_downloads_per_day_by_version_by_python: fewest columns of the 2 summaries holding date, project, python_minor (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param packages = ['requests']
-- param row_limit = 10
-- param to = 2024-05-29
SELECT python_minor AS __value
FROM pypi.pypi_downloads_per_day_by_version_by_python
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY python_minor
ORDER BY toInt64(sum(count)) DESC, __value
LIMIT {row_limit:UInt64}
