-- source: pypi_downloads_per_day_by_version
-- reason: pypi_downloads_per_day_by_version: fewest columns of the 9 summaries holding date, project, version (row counts unreadable)
-- shape: table
-- param from = 2024-03-01
-- param packages = ['requests']
-- param row_limit = 10
-- param to = 2024-05-29
-- param versions = ['2.31.0','2.32.3']
SELECT
    b.v1 AS version,
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
            CAST(version, 'String') AS k1,
            toInt64(sum(count)) AS n,
            row_number() OVER (ORDER BY n DESC, k1) AS rn,
            sum(n) OVER () AS t
        FROM pypi.pypi_downloads_per_day_by_version
        WHERE date >= {from:Date}
          AND date <= {to:Date}
          AND project IN {packages:Array(String)}
          AND version IN {versions:Array(String)}
        GROUP BY k1
    )
    GROUP BY v1
) AS b
ORDER BY b.pos
