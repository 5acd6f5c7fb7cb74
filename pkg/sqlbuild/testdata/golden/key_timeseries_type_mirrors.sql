-- source: pypi_downloads_per_day_by_version_by_installer_by_type_by_country
-- reason: pypi_downloads_per_day_by_version_by_installer_by_type_by_country: the only summary holding date, project, type, installer; not pypi_downloads_per_day_by_version_by_installer_by_type, whose sorting key lacks type so its rows are merged across it
-- granularity: day
-- shape: timeseries package=package
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param mirrors = ['bandersnatch','z3c.pypimirror','Artifactory','devpi']
-- param packages = ['requests']
-- param to = 2024-05-29
-- param types = ['sdist']
SELECT
    date AS time,
    project AS package,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type_by_country
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND project IN {packages:Array(String)}
  AND type IN {types:Array(String)}
  AND installer NOT IN {mirrors:Array(String)}
GROUP BY time, package
ORDER BY time, package
