package frames

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/readstats"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Querier is the part of a clickhouse-go connection Run uses.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Run executes a statement, its values sent as server-side query
// parameters, and converts the result, reading at most maxBytes of it into
// memory (0: DefaultMaxBytes) before ctx ends. Options already on ctx
// (settings, a query ID) are kept. What the server reports of the rows
// it read goes into the frame's stats.
func Run(ctx context.Context, q Querier, st sqlbuild.Statement, maxBytes int64) (*data.Frame, error) {
	ctx, stats := readstats.With(ctx)
	f, err := run(clickhouse.Context(ctx, clickhouse.WithParameters(st.Params)), q, st, maxBytes)
	if err != nil {
		return nil, err
	}
	if fig, ok := stats.Figures(); ok {
		addStats(f, fig)
	}
	return f, nil
}

func run(ctx context.Context, q Querier, st sqlbuild.Statement, maxBytes int64) (*data.Frame, error) {
	rows, err := q.Query(ctx, st.SQL)
	if err != nil {
		return nil, fmt.Errorf("running the query: %w", err)
	}
	defer rows.Close()
	if st.Shape.Kind == sqlbuild.KindTimeSeries {
		f, ok, err := scanSeries(ctx, rows, st.Shape, maxBytes)
		if err != nil {
			return nil, err
		}
		if ok {
			annotate(st, f)
			return f, nil
		}
	}
	res, err := Read(ctx, rows, maxBytes)
	if err != nil {
		return nil, err
	}
	return Convert(st, res)
}

// addStats puts the server's figures where Grafana's query inspector shows
// them.
func addStats(f *data.Frame, fig readstats.Figures) {
	meta := f.Meta
	if meta == nil {
		meta = &data.FrameMeta{}
	}
	meta.Stats = append(meta.Stats,
		data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: StatRowsRead}, Value: float64(fig.RowsRead)},
		data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: StatBytesRead, Unit: "bytes"}, Value: float64(fig.BytesRead)})
	if fig.Elapsed > 0 {
		meta.Stats = append(meta.Stats,
			data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: StatServerTime, Unit: "ms"}, Value: float64(fig.Elapsed.Microseconds()) / 1000})
	}
	f.SetMeta(meta)
}

// The names of the frame stats, as the query inspector lists them.
const (
	StatRowsRead   = "Rows read"
	StatBytesRead  = "Bytes read"
	StatServerTime = "Server time"
)

// scanSeries builds a time series straight from the rows when its columns
// have the types sqlbuild gives them (a date, String labels, an Int64
// value, a date or Nullable date data_end): no row is kept, no value
// boxed. ok is false, with nothing read, when the columns differ; Read and
// Convert then take the general way.
func scanSeries(ctx context.Context, rows Rows, sh sqlbuild.Shape, maxBytes int64) (f *data.Frame, ok bool, err error) {
	cts := rows.ColumnTypes()
	cols, err := seriesColumns(sh, func(name string) int {
		return slices.IndexFunc(cts, func(ct driver.ColumnType) bool { return ct.Name() == name })
	})
	if err != nil {
		return nil, false, nil
	}
	var (
		day, end time.Time
		endPtr   *time.Time
		n        int64
		vals     = make([]string, len(sh.Labels))
		dest     = make([]any, len(cts))
	)
	timeType, int64Type, stringType := reflect.TypeFor[time.Time](), reflect.TypeFor[int64](), reflect.TypeFor[string]()
	claim := func(i int, want reflect.Type, target any) bool {
		if dest[i] != nil || cts[i].ScanType() != want {
			return false
		}
		dest[i] = target
		return true
	}
	ok = claim(cols.time, timeType, &day) && claim(cols.value, int64Type, &n)
	for j, li := range cols.labels {
		ok = ok && claim(li, stringType, &vals[j])
	}
	// data_end comes from a scalar subquery, which ClickHouse makes
	// Nullable.
	nullableEnd := cols.end >= 0 && cts[cols.end].ScanType() == reflect.PointerTo(timeType)
	switch {
	case nullableEnd:
		ok = ok && claim(cols.end, reflect.PointerTo(timeType), &endPtr)
	case cols.end >= 0:
		ok = ok && claim(cols.end, timeType, &end)
	}
	if !ok {
		return nil, false, nil
	}
	for i, ct := range cts {
		if dest[i] == nil {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
	}
	sb := newSeriesBuilder(sh)
	b := newBudget(ctx, maxBytes)
	count := 0
	for rows.Next() {
		count++
		if err := b.next(); err != nil {
			return nil, true, err
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, true, fmt.Errorf("reading result row %d: %w", count, err)
		}
		// A point is a day and a count; each label value's text is
		// counted only once in the series it names, but bounding by it
		// here keeps the estimate on the safe side.
		size := int64(16)
		for _, v := range vals {
			size += int64(len(v))
		}
		if err := b.takeBytes(size); err != nil {
			return nil, true, err
		}
		switch {
		case nullableEnd && endPtr != nil:
			d, _ := asDay(*endPtr)
			sb.seeEnd(d)
		case cols.end >= 0 && !nullableEnd:
			d, _ := asDay(end)
			sb.seeEnd(d)
		}
		d, _ := asDay(day)
		sb.add(d, vals, n)
	}
	if err := rows.Err(); err != nil {
		return nil, true, fmt.Errorf("reading result: %w", err)
	}
	if cols.end < 0 && count > 0 {
		sb.noEndColumn()
	}
	return sb.frame(), true, nil
}
