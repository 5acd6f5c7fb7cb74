-- source: pypi_downloads_per_day_by_version
-- granularity: month
-- shape: timeseries package=package version=breakdown
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
    (SELECT max(max_date) FROM pypi.pypi_downloads_max_min) AS data_end
FROM pypi.pypi_downloads_per_day_by_version
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
GROUP BY time, package, breakdown
ORDER BY time, package, breakdown
