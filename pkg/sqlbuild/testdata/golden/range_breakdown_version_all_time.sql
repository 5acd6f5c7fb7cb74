-- source: pypi_downloads_by_version
-- reason: pypi_downloads_by_version: allTime counts the whole span of the data, so the date is not needed; fewest columns of the 10 summaries holding project, version (row counts unreadable)
-- shape: table
-- param packages = ['requests']
-- param row_limit = 10
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
        FROM pypi.pypi_downloads_by_version
        WHERE project IN {packages:Array(String)}
        GROUP BY k1
    )
    GROUP BY v1
) AS b
ORDER BY b.pos
