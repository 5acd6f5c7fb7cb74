-- source: pypi_downloads
-- reason: pypi_downloads (total): allTime counts the whole span of the data, so the date is not needed; fewest columns of the 12 summaries holding project (row counts unreadable); then pypi_downloads_per_day (last 30 days): fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param packages = ['requests','numpy']
-- param recent = 2024-04-21
SELECT
    r.package AS package,
    r.last_date AS last_date,
    r.last_day AS last_day,
    r.last_7_days AS last_7_days,
    r.last_30_days AS last_30_days,
    t.total AS total
FROM (
    SELECT
        package,
        last_date,
        sumIf(n, day = last_date) AS last_day,
        sumIf(n, day > last_date - 7) AS last_7_days,
        sumIf(n, day > last_date - 30) AS last_30_days
    FROM (
        SELECT
            project AS package,
            date AS day,
            toInt64(sum(count)) AS n,
            max(date) OVER (PARTITION BY project) AS last_date
        FROM pypi.pypi_downloads_per_day
        WHERE date >= {recent:Date}
          AND project IN {packages:Array(String)}
        GROUP BY project, date
    )
    GROUP BY package, last_date
) AS r
LEFT JOIN (
    SELECT project, toInt64(sum(count)) AS total
    FROM pypi.pypi_downloads
    WHERE project IN {packages:Array(String)}
    GROUP BY project
) AS t ON t.project = r.package
ORDER BY indexOf({packages:Array(String)}, package)
