-- source: pypi_downloads_per_day_by_version_by_country
-- granularity: week
-- shape: timeseries country_code=breakdown
-- param countries = ['US','DE','FR','CN','IN','GB']
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
    (SELECT max(max_date) FROM pypi.pypi_downloads_max_min) AS data_end
FROM pypi.pypi_downloads_per_day_by_version_by_country
WHERE date >= {from:Date}
  AND date <= {to:Date}
  AND country_code IN {countries:Array(String)}
GROUP BY time, breakdown
ORDER BY time, breakdown
