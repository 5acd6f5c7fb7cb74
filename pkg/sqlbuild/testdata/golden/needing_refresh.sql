-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param pool = 1000
-- param row_limit = 10
-- param to = 2024-05-29
SELECT
    d.package AS package,
    d.downloads AS downloads,
    p.latest_version AS latest_version,
    p.last_upload AS last_upload
FROM (
    SELECT
        lower(replaceRegexpAll(name, '[-_.]+', '-')) AS package,
        max(upload_time) AS last_upload,
        argMax(version, upload_time) AS latest_version
    FROM pypi.projects
    GROUP BY package
) AS p
INNER JOIN (
    SELECT project AS package, toInt64(sum(count)) AS downloads
    FROM pypi.pypi_downloads_per_day
    WHERE date >= {from:Date}
      AND date <= {to:Date}
    GROUP BY project
    ORDER BY downloads DESC, package
    LIMIT {pool:UInt64}
) AS d ON d.package = p.package
WHERE toDate(p.last_upload) < {to:Date} - INTERVAL 6 MONTH
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
