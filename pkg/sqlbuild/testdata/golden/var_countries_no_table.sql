-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding date, country_code (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param to = 2024-05-29
SELECT country_code AS __text, country_code AS __value
FROM pypi.pypi_downloads_per_day_by_version_by_country
WHERE date >= {from:Date}
  AND date <= {to:Date}
GROUP BY country_code
ORDER BY __value
