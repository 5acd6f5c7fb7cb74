-- source: pypi_downloads_per_day_by_version_by_country
-- reason: pypi_downloads_per_day_by_version_by_country: fewest columns of the 4 summaries holding project, country_code (row counts unreadable)
-- shape: table
-- param from = 2022-06-01
-- param packages = ['requests']
-- param row_limit = 10
-- param to = 2024-05-31
SELECT
    b.v1 AS country_code,
    dictGetOrDefault('pypi.countries_dict', 'name', tuple(b.v1), b.v1) AS country,
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
          AND project IN {packages:Array(String)}
        GROUP BY k1
    )
    GROUP BY v1
) AS b
ORDER BY b.pos
