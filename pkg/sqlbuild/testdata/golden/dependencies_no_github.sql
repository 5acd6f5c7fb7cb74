-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param package_norm = requests
-- param row_limit = 50
-- param to = 2024-05-29
SELECT
    r.package AS package,
    ifNull(d.downloads, 0) AS downloads
FROM (
    SELECT arrayJoin(arrayDistinct(arrayFilter(x -> x != '', arrayMap(r -> lower(replaceRegexpAll(extract(r, '^[ ]*([A-Za-z0-9._-]+)'), '[-_.]+', '-')), argMax(requires_dist, upload_time))))) AS package
    FROM pypi.projects
    WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
) AS r
LEFT JOIN (
    SELECT project AS package, toInt64(sum(count)) AS downloads
    FROM pypi.pypi_downloads_per_day
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND project IN (
        SELECT arrayJoin(arrayDistinct(arrayFilter(x -> x != '', arrayMap(r -> lower(replaceRegexpAll(extract(r, '^[ ]*([A-Za-z0-9._-]+)'), '[-_.]+', '-')), argMax(requires_dist, upload_time))))) AS package
            FROM pypi.projects
            WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
    )
    GROUP BY project
) AS d ON d.package = r.package
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
