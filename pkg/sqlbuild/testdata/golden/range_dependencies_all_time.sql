-- source: pypi_downloads
-- reason: pypi_downloads: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable)
-- shape: table
-- param package_norm = requests
-- param row_limit = 50
WITH (
    SELECT groupArray((package, downloads))
    FROM (
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
    )
) AS listed
SELECT
    x.package AS package,
    x.downloads AS downloads,
    if(g.repository = '', NULL, toNullable(s.stars)) AS stars
FROM (SELECT l.1 AS package, l.2 AS downloads FROM (SELECT arrayJoin(listed) AS l)) AS x
LEFT JOIN (
    SELECT package, dictGetOrDefault('pypi.project_to_repo_name_dict', 'repo_name', tuple(package), '') AS repository
    FROM (SELECT arrayJoin(arrayMap(l -> l.1, listed)) AS package)
) AS g ON g.package = x.package
LEFT JOIN (
    SELECT repo_name AS repository, toInt64(uniqExact(actor_login)) AS stars
    FROM pypi.github_events
    WHERE repo_id IN (SELECT repo_id FROM pypi.repo_name_to_id WHERE repo_name IN (SELECT repository FROM (SELECT package, dictGetOrDefault('pypi.project_to_repo_name_dict', 'repo_name', tuple(package), '') AS repository
        FROM (SELECT arrayJoin(arrayMap(l -> l.1, listed)) AS package))) AND repo_id != '')
      AND (event_type = 'WatchEvent' AND action = 'started')
    GROUP BY repo_name
) AS s ON s.repository = g.repository
ORDER BY downloads DESC, package
