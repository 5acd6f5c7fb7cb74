-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding date, country_code, project (row counts unreadable); then pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- notice: database pypi has no pypi_downloads_max_min table: first downloads are read from pypi_downloads_per_day
-- param countries = ['US']
-- param from = 2024-03-01
-- param row_limit = 5
-- param to = 2024-05-29
SELECT
    d.package AS package,
    e.first_download AS first_download,
    d.downloads AS downloads
FROM (
    SELECT project AS package, toInt64(sum(count)) AS downloads
    FROM pypi.pypi_downloads_per_day_by_version_by_country
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND country_code IN {countries:Array(String)}
      AND project IN (
        SELECT package FROM (
            WITH least({to:Date}, (SELECT max(date) FROM pypi.pypi_downloads_per_day)) AS data_end
            SELECT project AS package, min(date) AS first_download
            FROM pypi.pypi_downloads_per_day
            GROUP BY project
            HAVING first_download > data_end - INTERVAL 3 MONTH AND first_download <= data_end
        ))
    GROUP BY project
) AS d
INNER JOIN (
    WITH least({to:Date}, (SELECT max(date) FROM pypi.pypi_downloads_per_day)) AS data_end
    SELECT project AS package, min(date) AS first_download
    FROM pypi.pypi_downloads_per_day
    GROUP BY project
    HAVING first_download > data_end - INTERVAL 3 MONTH AND first_download <= data_end
) AS e ON e.package = d.package
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
