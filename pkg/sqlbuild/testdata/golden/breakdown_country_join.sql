-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding date, country_code (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param row_limit = 5
-- param to = 2024-05-29
SELECT
    b.v1 AS country_code,
    ifNull(nullIf(c.name, ''), b.v1) AS country,
    b.downloads AS downloads,
    b.share AS share
FROM (
    SELECT
        if(rn <= {row_limit:UInt64}, k1, 'other') AS v1,
        sum(n) AS downloads,
        sum(n) / any(t) AS share,
        min(rn) AS pos
    FROM (
        SELECT
            CAST(country_code, 'String') AS k1,
            toInt64(sum(count)) AS n,
            row_number() OVER (ORDER BY n DESC, k1) AS rn,
            sum(n) OVER () AS t
        FROM pypi.pypi_downloads_per_day_by_version_by_country
        WHERE date >= {from:Date}
          AND date <= {to:Date}
        GROUP BY k1
    )
    GROUP BY v1
) AS b
LEFT JOIN (
    SELECT code, any(name) AS name
    FROM pypi.countries
    GROUP BY code
) AS c ON c.code = b.v1
ORDER BY b.pos
