package sqlbuild

import (
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Request is everything one query's SQL depends on.
type Request struct {
	Query querymodel.Query
	// From and To are the panel's time range; only their UTC dates count.
	From, To time.Time
	// Interval and MaxDataPoints are Grafana's hints for auto granularity.
	Interval      time.Duration
	MaxDataPoints int64
	// Database holds ClickPy's tables; it must be a plain identifier.
	Database string
	Catalog  *catalog.Catalog
	// Now is the wall clock, zero meaning time.Now(); it decides which
	// months pypi_downloads_per_month holds whole.
	Now time.Time
	// Spans are the first and last day of the packages SpanPackages named,
	// as catalog.ReadSpans reads them; a package missing from the map is
	// taken as unknown.
	Spans map[string]catalog.Span
}

// Statement is one query ready to run.
type Statement struct {
	SQL string
	// Params are the values of SQL's {name:Type} placeholders, in
	// ClickHouse's text form for query parameters.
	Params map[string]string
	// Literals are the same values written as SQL literals (strings quoted
	// by schema.QuoteString), for Runnable.
	Literals map[string]string
	// Source is the table download counts come from; zero when the query
	// counts no downloads. Reason says why that table (and any other the
	// statement counts from) was chosen.
	Source catalog.Source
	Reason string
	// Granularity is the bucket width of a time series; empty otherwise.
	Granularity querymodel.Granularity
	// Notices are for the user: a raw-table scan, a fallback taken.
	Notices []string
	// EmptyNotice is shown instead when the result has no rows.
	EmptyNotice string
	Shape       Shape
}

// Kind says how the result's rows become a data frame.
type Kind string

// Result kinds.
const (
	// KindTimeSeries rows are long: TimeColumn, the Labels columns and
	// ValueColumn, sorted by time; frames turns them into a wide frame.
	KindTimeSeries Kind = "timeseries"
	// KindTable rows are a table to pass on as they are.
	KindTable Kind = "table"
	// KindUserSQL rows come from the user's own SQL: any columns at all.
	KindUserSQL Kind = "sql"
	// KindFloatSeries rows are long like KindTimeSeries, with a Float64
	// value that may be NULL; every bucket without a value is null.
	KindFloatSeries Kind = "float_series"
)

// Label is a result column whose values label a series.
type Label struct {
	Column string
	// Name is the label's name on the series, e.g. "package".
	Name string
}

// Shape describes the result's columns for frames.
type Shape struct {
	Kind Kind
	// The rest describes KindTimeSeries results.
	TimeColumn  string
	ValueColumn string
	// DataEndColumn, when set, holds the last date with data; buckets after
	// it are not emitted. Without it the range's last date is used.
	DataEndColumn string
	// DataEnd, when not zero, is the last date with data known before the
	// query ran (the catalogue's): the Expected series run through it even
	// when no row comes back.
	DataEnd time.Time
	Labels  []Label
	// ValueName names the number fields ("downloads"), and the series
	// when it has no labels.
	ValueName string
	// Expected are series to emit even when they have no rows, each as
	// label name to value.
	Expected []map[string]string
	// Packages orders series by package as the query listed them.
	Packages []string
	// Start and End are the range's first and last dates (UTC midnight).
	Start, End  time.Time
	Granularity querymodel.Granularity
	// Cumulative makes each bucket hold the sum of its value and every
	// earlier bucket's: the rows count what is new in each bucket.
	Cumulative bool
}

// Column names of the time series shape.
const (
	ColTime    = "time"
	ColValue   = "value"
	ColDataEnd = "data_end"
	ColPackage = "package"
	ColBreak   = "breakdown"
)
