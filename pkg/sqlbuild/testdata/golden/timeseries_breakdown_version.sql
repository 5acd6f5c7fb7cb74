-- source: pypi_downloads_per_day_by_version
-- reason: pypi_downloads_per_day_by_version: fewest columns of the 9 summaries holding date, project, version (row counts unreadable)
-- granularity: month
-- shape: timeseries package=package version=breakdown
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param packages = ['requests','numpy']
-- param row_limit = 3
-- param to = 2024-05-29
SELECT
    toStartOfMonth(date) AS time,
    project AS package,
    if((project, version) IN (
        SELECT project, version
        FROM pypi.pypi_downloads_per_day_by_version
        WHERE date >= {from:Date}
          AND date <= {to:Date}
          AND project IN {packages:Array(String)}
        GROUP BY project, version
        ORDER BY toInt64(sum(count)) DESC, version
        LIMIT {row_limit:UInt64} BY project), version, 'other') AS breakdown,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day_by_version
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package, breakdown
ORDER BY time, package, breakdown
