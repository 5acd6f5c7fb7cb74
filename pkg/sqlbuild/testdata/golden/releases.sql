-- source: 
-- shape: table
-- param from = 2024-03-01
-- param package = requests
-- param package_norm = requests
-- param to = 2024-05-29
SELECT
    min(upload_time) AS time,
    version AS title,
    concat({package:String}, ' ', version, ' released') AS text
FROM pypi.projects
WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
  AND toDate(upload_time) >= {from:Date}
  AND toDate(upload_time) <= {to:Date}
GROUP BY version
ORDER BY time, title
