-- source: pypi_downloads
-- reason: pypi_downloads: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param package_norm = requests
-- param row_limit = 50
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
    FROM pypi.pypi_downloads
    WHERE project IN (
        SELECT arrayJoin(arrayDistinct(arrayFilter(x -> x != '', arrayMap(r -> lower(replaceRegexpAll(extract(r, '^[ ]*([A-Za-z0-9._-]+)'), '[-_.]+', '-')), argMax(requires_dist, upload_time))))) AS package
            FROM pypi.projects
            WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
    )
    GROUP BY project
) AS d ON d.package = r.package
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
