-- source: pypi_downloads_per_day_by_version
-- reason: pypi_downloads_per_day_by_version: fewest columns of the 9 summaries holding date, project, version (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param package_norm = requests
-- param packages = ['requests']
-- param row_limit = 20
-- param to = 2024-05-29
WITH
    shares AS (
        SELECT date, version, n, n / sum(n) OVER (PARTITION BY date) AS share,
            max(date) OVER () AS last_date
        FROM (
            SELECT date, version, toFloat64(sum(count)) AS n
            FROM pypi.pypi_downloads_per_day_by_version
            WHERE date >= {from:Date}
              AND date <= {to:Date}
              AND project IN {packages:Array(String)}
            GROUP BY date, version
        )
    ),
    uploads AS (
        SELECT version, min(upload_time) AS uploaded
        FROM pypi.projects
        WHERE lower(replaceRegexpAll(name, '[-_.]+', '-')) = {package_norm:String}
        GROUP BY version
    )
SELECT
    s.version AS version,
    u.uploaded AS uploaded,
    if(u.uploaded IS NULL OR toDate(u.uploaded) < {from:Date} OR countIf(s.date >= toDate(u.uploaded) AND s.share >= 0.5) = 0,
        NULL, toInt64(dateDiff('day', toDate(u.uploaded), minIf(s.date, s.date >= toDate(u.uploaded) AND s.share >= 0.5)))) AS days_to_half,
    max(s.share) AS peak_share,
    sumIf(s.share, s.date = s.last_date) AS last_share,
    toInt64(sum(s.n)) AS downloads
FROM shares AS s
LEFT JOIN uploads AS u ON u.version = s.version
GROUP BY s.version, u.uploaded
ORDER BY u.uploaded DESC NULLS LAST, version DESC
LIMIT {row_limit:UInt64}
