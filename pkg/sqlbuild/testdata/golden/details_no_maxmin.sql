-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param package = requests
-- param package_norm = requests
SELECT
    {package:String} AS package,
    p.latest_version AS version,
    p.latest_summary AS summary,
    p.latest_author AS author,
    p.latest_license AS license,
    p.latest_home_page AS home_page,
    p.last_upload AS last_upload,
    d.first_download AS first_download,
    d.last_download AS last_download
FROM (
    SELECT
        argMax(version, upload_time) AS latest_version,
        argMax(summary, upload_time) AS latest_summary,
        argMax(author, upload_time) AS latest_author,
        argMax(license, upload_time) AS latest_license,
        argMax(home_page, upload_time) AS latest_home_page,
        maxOrNull(upload_time) AS last_upload
    FROM pypi.projects
    WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
) AS p
CROSS JOIN (
    SELECT minOrNull(date) AS first_download, maxOrNull(date) AS last_download
    FROM pypi.pypi_downloads_per_day
    WHERE project = {package:String}
) AS d
WHERE p.last_upload IS NOT NULL OR d.last_download IS NOT NULL
