-- source: pypi_downloads_per_day_by_version_by_installer_by_type
-- reason: pypi_downloads_per_day_by_version_by_installer_by_type: fewest columns of the 2 summaries holding date, project, installer (row counts unreadable)
-- granularity: day
-- shape: float_series package=package
-- param data_end = 2024-05-31
-- param days = 118
-- param lo = 2024-02-02
-- param mirrors = ['bandersnatch','z3c.pypimirror','Artifactory','devpi']
-- param packages = ['requests','numpy']
-- param reference = ['boto3','urllib3','botocore','requests','setuptools','certifi','charset-normalizer','idna','typing-extensions','python-dateutil','s3transfer','packaging','six','numpy','pyyaml','pip','cryptography']
-- param to = 2024-05-29
WITH
    dense AS (
        SELECT
            project,
            watched,
            arrayResize(groupArrayInsertAt(0.)(n, toUInt32(date - {lo:Date})), {days:UInt64}) AS a,
            range(29, {days:UInt64} + 1) AS ps,
            arrayMap(p -> arraySort([a[p - 7], a[p - 14], a[p - 21], a[p - 28]]), ps) AS weeks,
            arrayMap(w -> (w[2] + w[3]) / 2, weeks) AS med,
            arrayMap((p, m) -> if(m > 0, a[p] / m, nan), ps, med) AS ratio,
            max(date) AS newest
        FROM (
            SELECT project, 1 AS watched, date, toFloat64(toInt64(sum(count))) AS n
            FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type
            WHERE date >= {lo:Date}
              AND date <= {to:Date}
              AND project IN {packages:Array(String)}
              AND installer NOT IN {mirrors:Array(String)}
            GROUP BY project, date
            UNION ALL
            SELECT project, 0 AS watched, date, toFloat64(toInt64(sum(count))) AS n
            FROM pypi.pypi_downloads_per_day_by_version_by_installer_by_type
            WHERE date >= {lo:Date}
              AND date <= {to:Date}
              AND project IN {reference:Array(String)}
              AND installer NOT IN {mirrors:Array(String)}
            GROUP BY project, date
        )
        GROUP BY project, watched
    ),
    market AS (
        SELECT arrayMap(i -> arrayMap(s -> if(length(s) < 3, 1.,
                    if(length(s) % 2 = 1, s[intDiv(length(s) + 1, 2)], (s[intDiv(length(s), 2)] + s[intDiv(length(s), 2) + 1]) / 2)),
                [arraySort(arrayFilter(x -> isFinite(x), arrayMap(r -> r[i], ratios)))])[1],
            range(1, {days:UInt64} - 28 + 1)) AS factor
        FROM (SELECT groupArray(ratio) AS ratios FROM dense WHERE watched = 0)
    ),
    span AS (SELECT greatest({data_end:Date}, max(newest)) AS newest_day FROM dense),
    spread AS (
        SELECT
            project,
            a,
            ps,
            med,
            arrayMap(p -> arrayMap(t -> if(a[t] + a[t - 7] > 0, 2 * (a[t] - a[t - 7]) / (a[t] + a[t - 7]), 0.),
                range(toInt64(p) - 21, toInt64(p))), ps) AS changes,
            arrayMap(c -> arrayMap(m -> 1.048356513787175 * arraySort(arrayMap(x -> abs(x - m), c))[11],
                [arraySort(c)[11]])[1], changes) AS noises
        FROM dense
        WHERE watched = 1
    )
SELECT
    toDate({lo:Date} + p - 1) AS time,
    project AS package,
    toInt64(a[p]) AS downloads,
    if(factor[i] = 0, nan, m * factor[i]) AS expected,
    greatest(nz, 0.7 / sqrt(greatest(m * factor[i], 1))) + 0.5 * greatest(abs(1 - factor[i]) - 0.1, 0) AS noise,
    expected AS value,
    newest_day AS data_end
FROM spread
CROSS JOIN market
CROSS JOIN span
ARRAY JOIN
    ps AS p,
    med AS m,
    noises AS nz,
    arrayEnumerate(ps) AS i
WHERE time <= least({to:Date}, newest_day)
ORDER BY time, package
