// Package schema holds ClickPy's published ClickHouse schema as code: the raw
// pypi table, the summing tables and the materialized views that fill them,
// projects, countries and the dictionaries. The same statements run on the
// embedded engine and on any ClickHouse server from 23.8 on, optionally
// ON CLUSTER; every statement is idempotent so applying twice is harmless.
package schema
