-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param package_norm = urllib3
-- param row_limit = 5
-- param to = 2024-05-29
SELECT package AS __value
FROM (
    SELECT
        project AS package,
        toInt64(sum(count)) AS downloads
    FROM pypi.pypi_downloads_per_day
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND project IN (
        SELECT lower(replaceRegexpAll(name, '[-_.]+', '-'))
            FROM pypi.projects
            GROUP BY name
            HAVING argMax(has(arrayMap(r -> lower(replaceRegexpAll(extract(r, '^[ ]*([A-Za-z0-9._-]+)'), '[-_.]+', '-')), requires_dist), {package_norm:String}), upload_time)
    )
    GROUP BY project
    ORDER BY downloads DESC, package
    LIMIT {row_limit:UInt64}
)
ORDER BY downloads DESC, __value
