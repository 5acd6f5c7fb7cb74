-- source: pypi
-- reason: pypi: no summary holds date, country_code
-- shape: table
-- notice: scanned the raw pypi table: no summary view in database pypi holds columns date, country_code; expect a slow query
-- param from = 2024-03-01
-- param row_limit = 5
-- param to = 2024-05-29
SELECT
    b.v1 AS country_code,
    b.v1 AS country,
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
            toInt64(count()) AS n,
            row_number() OVER (ORDER BY n DESC, k1) AS rn,
            sum(n) OVER () AS t
        FROM pypi.pypi
        WHERE date >= {from:Date}
          AND date <= {to:Date}
        GROUP BY k1
    )
    GROUP BY v1
) AS b
ORDER BY b.pos
