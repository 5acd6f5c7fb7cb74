-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding date, project, country_code (row counts unreadable)
-- shape: table
-- param countries = ['US']
-- param from = 2024-03-01
-- param packages = ['requests','numpy']
-- param to = 2024-05-29
SELECT
    package,
    last_date,
    sumIf(n, day = last_date) AS last_day,
    sumIf(n, day > last_date - 7) AS last_7_days,
    sumIf(n, day > last_date - 30) AS last_30_days,
    sum(n) AS total
FROM (
    SELECT
        project AS package,
        date AS day,
        toInt64(sum(count)) AS n,
        max(date) OVER (PARTITION BY project) AS last_date
    FROM pypi.pypi_downloads_per_day_by_version_by_country
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND project IN {packages:Array(String)}
      AND country_code IN {countries:Array(String)}
    GROUP BY project, date
)
GROUP BY package, last_date
ORDER BY indexOf({packages:Array(String)}, package)
