-- source: pypi
-- reason: pypi: no summary holds date, project, python_minor, system, installer
-- granularity: day
-- shape: timeseries package=package
-- notice: scanned the raw pypi table: no summary view in database pypi holds columns date, project, python_minor, system, installer; expect a slow query
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param mirrors = ['bandersnatch','z3c.pypimirror','Artifactory','devpi']
-- param packages = ['requests']
-- param python_minors = ['3.12']
-- param systems = ['Linux']
-- param to = 2024-05-29
SELECT
    date AS time,
    project AS package,
    toInt64(count()) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
  AND python_minor IN {python_minors:Array(String)}
  AND system IN {systems:Array(String)}
  AND installer NOT IN {mirrors:Array(String)}
GROUP BY time, package
ORDER BY time, package
