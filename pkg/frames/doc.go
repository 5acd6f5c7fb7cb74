// Package frames turns query results into Grafana data frames.
//
// Run executes a sqlbuild.Statement with its parameters and returns the
// frame; in general it is Read (clickhouse-go rows scanned generically,
// typed by each column's scan type) followed by Convert (shaped as
// Statement.Shape says, with the SQL as ExecutedQueryString, its values
// written in as literals so that it runs as it is, and the statement's
// notices as warnings). A time series whose columns have the
// types sqlbuild gives them is scanned straight into its series instead,
// with the same result and no row kept. The caller sets the frame's RefID.
//
// Tables keep each column's type: strings, int64 and uint64 counts,
// float64 ratios (with percent units on share, growth and percentile),
// time.Time dates, pointers for Nullable columns, and JSON text for arrays
// and other composite values. A user SQL result whose first column is a
// time and which has text columns is a long time series and is widened,
// as Grafana's SQL data sources do.
//
// Time series become one wide frame: a "time" field and one number field
// per series, labelled (package, and the breakdown dimension) so that
// multi-dimensional alert rules see one series per label set.
//
// Buckets. Every bucket from the one holding the range's first date through
// the one holding the last date with data is present; buckets without rows
// hold 0. "The last date with data" is the statement's data_end column
// (the newest date any package was downloaded on, capped at the range's
// end), so days ClickPy has not loaded yet are absent rather than 0, and an
// alert on a drop does not fire on today's empty bucket. Without a data_end
// column the range's last date is used. When no row comes back at all, the
// frame has no buckets: Grafana shows "No data", alerting its no-data state.
//
// Partial buckets. A week or month bucket whose days run past the last
// date with data is kept, holding the days it has, and the frame carries an
// info notice starting "partial bucket" naming it and the last date. The
// first bucket counts only days from the range's start; its time is still
// the bucket's first day (a Monday, or the first of the month).
package frames
