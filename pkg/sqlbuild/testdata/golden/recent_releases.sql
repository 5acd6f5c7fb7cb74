-- source: 
-- granularity: month
-- shape: timeseries package=package
-- param from = 2024-03-01
-- param packages_norm = ['requests','zope-interface']
-- param to = 2024-05-29
SELECT
    toDate(toStartOfMonth(upload_time)) AS time,
    lower(replaceRegexpAll(name, '[-_.]+', '-')) AS package,
    toInt64(uniqExact(name, version)) AS value
FROM pypi.projects
WHERE toDate(upload_time) >= {from:Date}
  AND toDate(upload_time) <= {to:Date}
  AND lower(replaceRegexpAll(name, '[-_.]+', '-')) IN {packages_norm:Array(String)}
GROUP BY time, package
ORDER BY time, package
