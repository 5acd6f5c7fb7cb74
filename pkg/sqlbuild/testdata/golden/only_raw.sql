-- source: pypi
-- reason: pypi: no summary holds date, project
-- granularity: week
-- shape: timeseries package=package
-- notice: scanned the raw pypi table: no summary view in database pypi holds columns date, project; expect a slow query
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param packages = ['requests']
-- param to = 2024-05-29
SELECT
    toMonday(date) AS time,
    project AS package,
    toInt64(count()) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
