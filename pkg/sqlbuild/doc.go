// Package sqlbuild turns a parsed query (querymodel.Query), the panel's time
// range and the view catalogue into one ClickHouse statement.
//
// Every value that comes from the user travels as a server-side query
// parameter: the SQL holds {name:Type} placeholders and Statement.Params
// their values in the text form ClickHouse reads parameters in (pass them
// with clickhouse.WithParameters). The only identifier spliced into the text
// is the database name, checked by schema.ValidateIdentifier; everything else
// in the text is this package's own constants. The one exception is the sql
// query type, whose SQL is the user's own and is sent as written, with only
// its macros expanded (their values are parameters too).
//
// Download counts come from the smallest table holding every column a query
// needs (catalog.Choose); when only the raw pypi table does, the statement
// carries a notice saying so.
//
// Dates are UTC calendar days: a range covers From's date through To's date,
// both included.
package sqlbuild
