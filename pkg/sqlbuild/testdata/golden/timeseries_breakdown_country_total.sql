-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding date, country_code (row counts unreadable)
-- granularity: week
-- shape: timeseries country_code=breakdown
-- param countries = ['US','DE','FR','CN','IN','GB']
-- param data_end = 2024-05-31
-- param from = 2024-03-01
-- param row_limit = 5
-- param to = 2024-05-29
SELECT
    toMonday(date) AS time,
    if(country_code IN (
        SELECT country_code
        FROM pypi.pypi_downloads_per_day_by_version_by_country
        WHERE date >= {from:Date}
          AND date <= {to:Date}
          AND country_code IN {countries:Array(String)}
        GROUP BY country_code
        ORDER BY toInt64(sum(count)) DESC, country_code
        LIMIT {row_limit:UInt64}), country_code, 'other') AS breakdown,
    toInt64(sum(count)) AS value,
    greatest({data_end:Date}, max(date)) AS data_end
FROM pypi.pypi_downloads_per_day_by_version_by_country
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND country_code IN {countries:Array(String)}
GROUP BY time, breakdown
ORDER BY time, breakdown
