-- source: 
-- shape: table
-- param package = requests
-- param package_norm = requests
SELECT
    {package:String} AS package,
    p.latest_version AS version,
    p.highest_version AS highest_version,
    p.latest_summary AS summary,
    p.latest_author AS author,
    p.latest_author_email AS author_email,
    p.latest_license AS license,
    p.latest_home_page AS home_page,
    replaceRegexpOne(arrayFirst(u -> u != '', arrayConcat(arrayMap(e -> trimBoth(substring(e, position(e, ',') + 1)), arrayFilter(e -> position(e, ',') > 0 AND lower(trimBoth(splitByChar(',', e)[1])) IN ('source', 'source code', 'sources', 'repository', 'code', 'github', 'gitlab', 'git'), p.latest_project_urls)), arrayMap(u -> extract(u, '^(https?://[^/]+/[^/]+/[^/?#]+)'), arrayFilter(u -> match(u, '^https?://(www[.])?(github[.]com|gitlab[.]com|bitbucket[.]org|codeberg[.]org)/[^/]+/[^/]+'), arrayConcat(arrayMap(e -> if(position(e, ',') > 0, trimBoth(substring(e, position(e, ',') + 1)), trimBoth(e)), p.latest_project_urls), [p.latest_home_page]))))), '(/|[.]git)+$', '') AS repository_url,
    p.last_upload AS last_upload,
    d.first_download AS first_download,
    d.last_download AS last_download
FROM (
    SELECT
        argMax(version, upload_time) AS latest_version,
        argMax(summary, upload_time) AS latest_summary,
        argMax(author, upload_time) AS latest_author,
        argMax(author_email, upload_time) AS latest_author_email,
        argMax(license, upload_time) AS latest_license,
        argMax(home_page, upload_time) AS latest_home_page,
        argMax(project_urls, upload_time) AS latest_project_urls,
        argMax(version, (length(extractGroups(trimBoth(lower(version)), '^v?(?:([0-9]+)!)?([0-9]+(?:[.][0-9]+)*)(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]*))?(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]*))?(?:[-_.]?(dev)[-_.]?([0-9]*))?(?:[+][a-z0-9]+(?:[-_.][a-z0-9]+)*)?$') AS version_groups) > 0, toUInt64OrZero(version_groups[1]), arraySlice(arrayMap(x -> toUInt64OrZero(x), splitByChar('.', version_groups[2])), 1, arrayLastIndex(x -> x != 0, arrayMap(x -> toUInt64OrZero(x), splitByChar('.', version_groups[2])))), multiIf(NOT (version_groups[3] != '') AND NOT (version_groups[5] != '' OR version_groups[6] != '') AND (version_groups[8] != ''), (0, 0), NOT (version_groups[3] != ''), (4, 0), (multiIf(version_groups[3] IN ('a', 'alpha'), 1, version_groups[3] IN ('b', 'beta'), 2, 3), toUInt64OrZero(version_groups[4]))), if((version_groups[5] != '' OR version_groups[6] != ''), toUInt64OrZero(if(version_groups[5] != '', version_groups[5], version_groups[7])) + 1, 0), if((version_groups[8] != ''), toUInt64OrZero(version_groups[9]), 18446744073709551615))) AS highest_version,
        maxOrNull(upload_time) AS last_upload
    FROM pypi.projects
    WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
) AS p
CROSS JOIN (
    SELECT minOrNull(min_date) AS first_download, maxOrNull(max_date) AS last_download
    FROM pypi.pypi_downloads_max_min
    WHERE project = {package:String}
) AS d
WHERE p.last_upload IS NOT NULL OR d.last_download IS NOT NULL
