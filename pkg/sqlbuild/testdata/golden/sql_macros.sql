-- source: pypi_downloads_per_day
-- reason: pypi_downloads_per_day: fewest columns of the 10 summaries holding date, project (row counts unreadable)
-- shape: sql
-- param __from_date = 2024-03-01
-- param __to_date = 2024-05-29
SELECT date AS time, project, sum(count) AS downloads
FROM pypi.pypi_downloads_per_day
WHERE (date >= {__from_date:Date} AND date <= {__to_date:Date}) AND project IN ('requests', 'numpy') -- $__table(x)
GROUP BY time, project
ORDER BY time
