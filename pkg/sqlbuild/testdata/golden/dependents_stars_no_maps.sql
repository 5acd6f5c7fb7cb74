-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param package_norm = urllib3
-- param row_limit = 20
-- param to = 2024-05-29
WITH (
    SELECT groupArray((package, downloads))
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
) AS listed
SELECT
    x.package AS package,
    x.downloads AS downloads,
    if(g.repository = '', NULL, toNullable(s.stars)) AS stars
FROM (SELECT l.1 AS package, l.2 AS downloads FROM (SELECT arrayJoin(listed) AS l)) AS x
LEFT JOIN (
    SELECT lower(replaceRegexpAll(name, '[-_.]+', '-')) AS package, argMaxIf(repo, upload_time, repo != '') AS repository
    FROM (SELECT name, upload_time, regexpExtract(arrayFirst(u -> match(u, 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)'), arrayConcat(project_urls, [home_page])), 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)', 1) AS repo FROM pypi.projects)
    WHERE package IN (SELECT arrayJoin(arrayMap(l -> l.1, listed)))
    GROUP BY package
) AS g ON g.package = x.package
LEFT JOIN (
    SELECT repo_name AS repository, toInt64(uniqExact(actor_login)) AS stars
    FROM pypi.github_events
    WHERE repo_name IN (SELECT repository FROM (SELECT lower(replaceRegexpAll(name, '[-_.]+', '-')) AS package, argMaxIf(repo, upload_time, repo != '') AS repository
        FROM (SELECT name, upload_time, regexpExtract(arrayFirst(u -> match(u, 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)'), arrayConcat(project_urls, [home_page])), 'https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)', 1) AS repo FROM pypi.projects)
        WHERE package IN (SELECT arrayJoin(arrayMap(l -> l.1, listed)))
        GROUP BY package))
      AND (event_type = 'WatchEvent' AND action = 'started')
    GROUP BY repo_name
) AS s ON s.repository = g.repository
ORDER BY downloads DESC, package
