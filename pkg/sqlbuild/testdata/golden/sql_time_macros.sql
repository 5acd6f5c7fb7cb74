-- source: pypi
-- reason: pypi: no summary holds date, python_minor, system
-- shape: sql
-- notice: scanned the raw pypi table: no summary view in database pypi holds columns date, python_minor, system; expect a slow query
-- param __from = 2024-03-01 10:30:00.000
-- param __from_date = 2024-03-01
-- param __to = 2024-05-29 18:00:00.000
-- param __to_date = 2024-05-29
SELECT {__from:DateTime64(3, 'UTC')} AS f, {__to:DateTime64(3, 'UTC')} AS t, {__from_date:Date} AS fd, {__to_date:Date} AS td, '$__timeFilter(x)' AS s, count() FROM pypi.pypi WHERE (date >= {__from:DateTime64(3, 'UTC')} AND date <= {__to:DateTime64(3, 'UTC')})
