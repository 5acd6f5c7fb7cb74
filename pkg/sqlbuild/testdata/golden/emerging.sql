-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param row_limit = 5
-- param to = 2024-05-29
SELECT
    d.package AS package,
    e.first_download AS first_download,
    d.downloads AS downloads
FROM (
    SELECT project AS package, toInt64(sum(count)) AS downloads
    FROM pypi.pypi_downloads_per_day
    WHERE date >= {from:Date}
      AND date <= {to:Date}
      AND project IN (
        SELECT package FROM (
            WITH least({to:Date}, (SELECT max(max_date) FROM pypi.pypi_downloads_max_min)) AS data_end
            SELECT project AS package, min(min_date) AS first_download
            FROM pypi.pypi_downloads_max_min
            GROUP BY project
            HAVING first_download > data_end - INTERVAL 3 MONTH AND first_download <= data_end
        ))
    GROUP BY project
) AS d
INNER JOIN (
    WITH least({to:Date}, (SELECT max(max_date) FROM pypi.pypi_downloads_max_min)) AS data_end
    SELECT project AS package, min(min_date) AS first_download
    FROM pypi.pypi_downloads_max_min
    GROUP BY project
    HAVING first_download > data_end - INTERVAL 3 MONTH AND first_download <= data_end
) AS e ON e.package = d.package
ORDER BY downloads DESC, package
LIMIT {row_limit:UInt64}
