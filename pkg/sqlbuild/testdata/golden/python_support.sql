-- source: pypi_downloads_per_day_by_version_by_python
-- reason: pypi_downloads_per_day_by_version_by_python: fewest columns of the 2 summaries holding date, project, python_minor (row counts unreadable)
-- granularity: week
-- shape: float_series package=package
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param min_major = 3
-- param min_minor = 10
-- param packages = ['requests','numpy']
-- param to = 2024-05-29
SELECT
    toMonday(date) AS time,
    project AS package,
    toFloat64(sumIf(count, toUInt32OrNull(splitByChar('.', python_minor)[1]) IS NOT NULL AND toUInt32OrNull(splitByChar('.', python_minor)[2]) IS NOT NULL AND (toUInt32OrNull(splitByChar('.', python_minor)[1]), toUInt32OrNull(splitByChar('.', python_minor)[2])) < ({min_major:UInt64}, {min_minor:UInt64}))) / nullIf(toFloat64(sumIf(count, toUInt32OrNull(splitByChar('.', python_minor)[1]) IS NOT NULL AND toUInt32OrNull(splitByChar('.', python_minor)[2]) IS NOT NULL)), 0) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day_by_version_by_python
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package
ORDER BY time, package
