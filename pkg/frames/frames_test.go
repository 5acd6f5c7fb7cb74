package frames_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/shopspring/decimal"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func col(name string, v any) frames.Column {
	return frames.Column{Name: name, ScanType: reflect.TypeOf(v)}
}

// seriesShape is what sqlbuild gives a per-package time series.
func seriesShape(g querymodel.Granularity, from, to string, labels ...sqlbuild.Label) sqlbuild.Shape {
	return sqlbuild.Shape{Kind: sqlbuild.KindTimeSeries, TimeColumn: "time", ValueColumn: "value",
		DataEndColumn: "data_end", Labels: labels, ValueName: "downloads", Start: day(from), End: day(to), Granularity: g}
}

func pkgLabel() sqlbuild.Label { return sqlbuild.Label{Column: "package", Name: "package"} }

func tsResult(rows ...[]any) *frames.Result {
	return &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("package", ""), col("value", int64(0)), col("data_end", time.Time{})},
		Rows:    rows,
	}
}

func convert(t *testing.T, sh sqlbuild.Shape, res *frames.Result) *data.Frame {
	t.Helper()
	f, err := frames.Convert(sqlbuild.Statement{SQL: "SELECT 1", Shape: sh, Notices: []string{"scanned raw"}}, res)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func times(f *data.Frame) []string {
	var out []string
	for i := 0; i < f.Fields[0].Len(); i++ {
		out = append(out, f.Fields[0].At(i).(time.Time).Format(time.DateOnly))
	}
	return out
}

func ints(field *data.Field) []int64 {
	out := make([]int64, field.Len())
	for i := range out {
		out[i] = field.At(i).(int64)
	}
	return out
}

func notices(f *data.Frame) []string {
	var out []string
	for _, n := range f.Meta.Notices {
		out = append(out, n.Text)
	}
	return out
}

func TestWeeklySeriesFillsGapsAndMarksPartialBucket(t *testing.T) {
	sh := seriesShape(querymodel.Week, "2024-05-01", "2024-06-30", pkgLabel())
	sh.Expected = []map[string]string{{"package": "requests"}, {"package": "numpy"}}
	sh.Packages = []string{"requests", "numpy"}
	end := day("2024-05-29") // a Wednesday: data stops mid-week
	f := convert(t, sh, tsResult(
		[]any{day("2024-04-29"), "requests", int64(5), end},
		[]any{day("2024-05-13"), "requests", int64(7), end},
		[]any{day("2024-05-27"), "requests", int64(2), end},
	))
	if got, want := times(f), []string{"2024-04-29", "2024-05-06", "2024-05-13", "2024-05-20", "2024-05-27"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("buckets %v, want %v", got, want)
	}
	if len(f.Fields) != 3 {
		t.Fatalf("%d fields, want time and two series", len(f.Fields))
	}
	req, np := f.Fields[1], f.Fields[2]
	if !reflect.DeepEqual(ints(req), []int64{5, 0, 7, 0, 2}) || !reflect.DeepEqual(ints(np), []int64{0, 0, 0, 0, 0}) {
		t.Fatalf("values %v %v", ints(req), ints(np))
	}
	if req.Labels["package"] != "requests" || req.Config.DisplayNameFromDS != "requests" || req.Name != "downloads" {
		t.Fatalf("first series: %s %v %s", req.Name, req.Labels, req.Config.DisplayNameFromDS)
	}
	if np.Labels["package"] != "numpy" {
		t.Fatalf("expected series without rows: %v", np.Labels)
	}
	ns := notices(f)
	if len(ns) != 2 || ns[0] != "scanned raw" || !strings.HasPrefix(ns[1], frames.PartialBucketNotice) || !strings.Contains(ns[1], "2024-05-27") {
		t.Fatalf("notices %q", ns)
	}
	if f.Meta.Type != data.FrameTypeTimeSeriesWide || f.Meta.ExecutedQueryString != "SELECT 1" {
		t.Fatalf("meta %+v", f.Meta)
	}
}

func TestDailySeriesStopsAtLastDateWithData(t *testing.T) {
	sh := seriesShape(querymodel.Day, "2024-05-01", "2024-05-10")
	sh.Expected = []map[string]string{{}}
	end := day("2024-05-04")
	f := convert(t, sh, &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("value", uint64(0)), col("data_end", time.Time{})},
		Rows:    [][]any{{day("2024-05-02"), uint64(3), end}, {day("2024-05-04"), uint64(4), end}},
	})
	if got := times(f); !reflect.DeepEqual(got, []string{"2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04"}) {
		t.Fatalf("buckets %v", got)
	}
	if got := ints(f.Fields[1]); !reflect.DeepEqual(got, []int64{0, 3, 0, 4}) {
		t.Fatalf("values %v", got)
	}
	if f.Fields[1].Config.DisplayNameFromDS != "downloads" || len(f.Fields[1].Labels) != 0 {
		t.Fatalf("total series: %v %q", f.Fields[1].Labels, f.Fields[1].Config.DisplayNameFromDS)
	}
	if len(notices(f)) != 1 {
		t.Fatalf("a daily series has no partial bucket: %q", notices(f))
	}
}

func TestDataEndAfterRangeIsCapped(t *testing.T) {
	sh := seriesShape(querymodel.Month, "2024-01-15", "2024-03-31", pkgLabel())
	f := convert(t, sh, tsResult([]any{day("2024-02-01"), "x", int64(1), day("2024-06-01")}))
	if got := times(f); !reflect.DeepEqual(got, []string{"2024-01-01", "2024-02-01", "2024-03-01"}) {
		t.Fatalf("buckets %v", got)
	}
	if len(notices(f)) != 1 {
		t.Fatalf("March is complete: %q", notices(f))
	}
}

func TestNoRows(t *testing.T) {
	sh := seriesShape(querymodel.Day, "2024-05-01", "2024-05-03", pkgLabel())
	sh.Expected = []map[string]string{{"package": "requests"}}
	f := convert(t, sh, &frames.Result{}) // HTTP gives no columns without rows
	if f.Fields[0].Len() != 0 || len(f.Fields) != 2 {
		t.Fatalf("no rows: want an empty series, got %d fields of %d rows", len(f.Fields), f.Fields[0].Len())
	}
	// Without a data_end column (releases per month) the range's end counts.
	sh.DataEndColumn, sh.Expected = "", []map[string]string{{}}
	sh.Labels = nil
	f = convert(t, sh, &frames.Result{})
	if got := ints(f.Fields[1]); !reflect.DeepEqual(got, []int64{0, 0, 0}) {
		t.Fatalf("values %v", got)
	}
}

func TestBreakdownSeriesOrderAndNames(t *testing.T) {
	sh := seriesShape(querymodel.Day, "2024-05-01", "2024-05-01", pkgLabel(), sqlbuild.Label{Column: "breakdown", Name: "version"})
	sh.Packages = []string{"urllib3", "requests"}
	end := day("2024-05-01")
	res := &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("package", ""), col("breakdown", ""), col("value", int64(0)), col("data_end", time.Time{})},
		Rows: [][]any{
			{end, "requests", "other", int64(100), end},
			{end, "requests", "2.32.3", int64(5), end},
			{end, "requests", "2.31.0", int64(50), end},
			{end, "urllib3", "", int64(1), end},
		},
	}
	f := convert(t, sh, res)
	var names []string
	for _, fl := range f.Fields[1:] {
		names = append(names, fl.Config.DisplayNameFromDS)
	}
	want := []string{"urllib3 (none)", "requests 2.31.0", "requests 2.32.3", "requests other"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("series %q, want %q", names, want)
	}
	if l := f.Fields[2].Labels; l["package"] != "requests" || l["version"] != "2.31.0" || len(l) != 2 {
		t.Fatalf("labels %v", l)
	}
}

// Label values that would run together when joined stay separate series,
// and an expected series lacking a label is not one whose label is empty.
func TestSeriesIdentity(t *testing.T) {
	sh := seriesShape(querymodel.Day, "2024-05-01", "2024-05-01", pkgLabel(), sqlbuild.Label{Column: "breakdown", Name: "version"})
	sh.Expected = []map[string]string{{"package": "b"}}
	end := day("2024-05-01")
	res := &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("package", ""), col("breakdown", ""), col("value", int64(0)), col("data_end", time.Time{})},
		Rows: [][]any{
			{end, "a b", "c", int64(1), end},
			{end, "a", "b c", int64(2), end},
			{end, "a\x00\x01", "1:b", int64(4), end},
			{end, "a", "\x00\x011:b", int64(8), end},
			{end, "b", "", int64(16), end},
			{end, "a", "b c", int64(32), end},
		},
	}
	f := convert(t, sh, res)
	got := map[string]int64{}
	for _, fl := range f.Fields[1:] {
		got[fl.Labels.String()] = ints(fl)[0]
	}
	want := map[string]int64{
		"package=a b, version=c": 1, "package=a, version=b c": 34,
		"package=a\x00\x01, version=1:b": 4, "package=a, version=\x00\x011:b": 8,
		"package=b, version=": 16, "package=b": 0,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("series %v, want %v", got, want)
	}
}

func TestTimeSeriesRejectsMissingColumns(t *testing.T) {
	sh := seriesShape(querymodel.Day, "2024-05-01", "2024-05-01", pkgLabel())
	res := &frames.Result{Columns: []frames.Column{col("time", time.Time{}), col("value", int64(0))}, Rows: [][]any{{day("2024-05-01"), int64(1)}}}
	if _, err := frames.Convert(sqlbuild.Statement{Shape: sh}, res); err == nil {
		t.Fatal("a missing label column was accepted")
	}
}

func TestTableTypes(t *testing.T) {
	s := "x"
	var nilTime *time.Time
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	res := &frames.Result{
		Columns: []frames.Column{
			col("country_code", ""), col("downloads", int64(0)), col("rank", uint64(0)), col("share", float64(0)),
			col("name", &s), col("last_upload", nilTime), col("at", time.Time{}), col("requires", []string{}),
			col("price", decimal.Decimal{}), col("ok", false),
		},
		Rows: [][]any{
			{"US", int64(10), uint64(1), 0.5, &s, &when, when, []string{"a", "b"}, decimal.RequireFromString("1.25"), true},
			{"DE", int64(3), uint64(2), 0.25, (*string)(nil), nilTime, when, []string{}, decimal.Zero, false},
		},
	}
	f, err := frames.Convert(sqlbuild.Statement{SQL: "SELECT x", Shape: sqlbuild.Shape{Kind: sqlbuild.KindTable}}, res)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []data.FieldType{data.FieldTypeString, data.FieldTypeInt64, data.FieldTypeUint64, data.FieldTypeFloat64,
		data.FieldTypeNullableString, data.FieldTypeNullableTime, data.FieldTypeTime, data.FieldTypeString,
		data.FieldTypeFloat64, data.FieldTypeBool}
	for i, want := range wantTypes {
		if got := f.Fields[i].Type(); got != want {
			t.Errorf("field %s: %s, want %s", f.Fields[i].Name, got, want)
		}
	}
	if f.Fields[5].At(1).(*time.Time) != nil || *f.Fields[4].At(0).(*string) != "x" {
		t.Error("nullable values lost")
	}
	if got := f.Fields[7].At(0).(string); got != `["a","b"]` {
		t.Errorf("array as %q", got)
	}
	if got := f.Fields[8].At(0).(float64); got != 1.25 {
		t.Errorf("decimal as %v", got)
	}
	if f.Fields[3].Config == nil || f.Fields[3].Config.Unit != "percentunit" {
		t.Error("share has no percent unit")
	}
	if f.Meta.ExecutedQueryString != "SELECT x" {
		t.Error("executed query not set")
	}
	if _, err := json.Marshal(f); err != nil {
		t.Errorf("frame does not marshal: %v", err)
	}
}

func TestUserSQLLongBecomesWide(t *testing.T) {
	d1, d2 := day("2024-05-01"), day("2024-05-02")
	res := &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("project", ""), col("downloads", int64(0))},
		Rows:    [][]any{{d2, "b", int64(4)}, {d1, "a", int64(1)}, {d1, "b", int64(2)}, {d2, "a", int64(3)}},
	}
	f, err := frames.Convert(sqlbuild.Statement{Shape: sqlbuild.Shape{Kind: sqlbuild.KindUserSQL}}, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Fields) != 3 || f.Fields[1].Labels["project"] != "a" || f.Fields[0].Len() != 2 {
		t.Fatalf("not widened: %v", f.Fields)
	}
	if v := f.Fields[1].At(1).(*int64); *v != 3 {
		t.Fatalf("a on day 2 = %d", *v)
	}
	// A table without a leading time column stays as it is.
	res = &frames.Result{Columns: []frames.Column{col("project", ""), col("n", int64(0))}, Rows: [][]any{{"a", int64(1)}}}
	if f, err = frames.Convert(sqlbuild.Statement{Shape: sqlbuild.Shape{Kind: sqlbuild.KindUserSQL}}, res); err != nil || len(f.Fields) != 2 {
		t.Fatalf("%v %v", f, err)
	}
}

// fakeRows serves fixed rows the way clickhouse-go's driver.Rows does.
type fakeRows struct {
	cols []fakeColumn
	rows [][]any
	i    int
}

type fakeColumn struct {
	name string
	typ  reflect.Type
}

func (c fakeColumn) Name() string             { return c.name }
func (c fakeColumn) Nullable() bool           { return c.typ.Kind() == reflect.Pointer }
func (c fakeColumn) ScanType() reflect.Type   { return c.typ }
func (c fakeColumn) DatabaseTypeName() string { return c.typ.String() }

func (r *fakeRows) ColumnTypes() []driver.ColumnType {
	out := make([]driver.ColumnType, len(r.cols))
	for i, c := range r.cols {
		out[i] = c
	}
	return out
}
func (r *fakeRows) Next() bool { r.i++; return r.i <= len(r.rows) }
func (r *fakeRows) Err() error { return nil }
func (r *fakeRows) Scan(dest ...any) error {
	for i, d := range dest {
		reflect.ValueOf(d).Elem().Set(reflect.ValueOf(r.rows[r.i-1][i]))
	}
	return nil
}

func TestRead(t *testing.T) {
	s := "x"
	rows := &fakeRows{
		cols: []fakeColumn{{"package", reflect.TypeOf("")}, {"n", reflect.TypeOf(uint64(0))}, {"maybe", reflect.TypeOf(&s)}},
		rows: [][]any{{"requests", uint64(3), &s}, {"numpy", uint64(1), (*string)(nil)}},
	}
	res, err := frames.Read(context.Background(), rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[1][0] != "numpy" || res.Rows[0][1] != uint64(3) || res.Rows[1][2].(*string) != nil {
		t.Fatalf("rows %v", res.Rows)
	}
	if res.Columns[1].Name != "n" || res.Columns[1].ScanType.Kind() != reflect.Uint64 {
		t.Fatalf("columns %v", res.Columns)
	}
}

type fakeQuerier struct{ rows *fakeRows }

func (q fakeQuerier) Query(context.Context, string, ...any) (driver.Rows, error) {
	return fakeDriverRows{q.rows}, nil
}

// fakeDriverRows completes fakeRows into a driver.Rows.
type fakeDriverRows struct{ *fakeRows }

func (fakeDriverRows) ScanStruct(any) error { return nil }
func (fakeDriverRows) Totals(...any) error  { return nil }
func (fakeDriverRows) Columns() []string    { return nil }
func (fakeDriverRows) Close() error         { return nil }
func (fakeDriverRows) HasData() bool        { return true }
func (fakeDriverRows) NextResultSet() bool  { return false }

func TestRun(t *testing.T) {
	rows := &fakeRows{
		cols: []fakeColumn{{"package", reflect.TypeOf("")}, {"downloads", reflect.TypeOf(int64(0))}},
		rows: [][]any{{"requests", int64(3)}},
	}
	st := sqlbuild.Statement{SQL: "SELECT 1", Params: map[string]string{"a": "b"}, Shape: sqlbuild.Shape{Kind: sqlbuild.KindTable},
		Source: catalog.Source{Table: "pypi_downloads"}}
	f, err := frames.Run(context.Background(), fakeQuerier{rows}, st, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Rows() != 1 || f.Meta.ExecutedQueryString != "SELECT 1" {
		t.Fatalf("%v", f)
	}
	if got := f.Meta.Custom; !reflect.DeepEqual(got, map[string]any{"sourceTable": "pypi_downloads"}) {
		t.Fatalf("meta.custom %v", got)
	}
	// The reason for the table goes with it.
	rows.i = 0
	st.Reason = "pypi_downloads: fewest live rows"
	if f, err = frames.Run(context.Background(), fakeQuerier{rows}, st, 0); err != nil ||
		!reflect.DeepEqual(f.Meta.Custom, map[string]any{"sourceTable": "pypi_downloads", "sourceReason": st.Reason}) {
		t.Fatalf("meta.custom %v (%v)", f.Meta.Custom, err)
	}
	// A query that counts no downloads names no source.
	rows.i = 0
	st.Source = catalog.Source{}
	if f, err = frames.Run(context.Background(), fakeQuerier{rows}, st, 0); err != nil || f.Meta.Custom != nil {
		t.Fatalf("meta.custom %v (%v)", f.Meta.Custom, err)
	}
}

// Run scans a time series with sqlbuild's column types straight into the
// frame; any other types take Read and Convert. Both ways give the same
// frame, in daily and weekly buckets, with rows outside the range, an
// expected series without rows, and a data_end before the range's end.
func TestRunSeriesBothWays(t *testing.T) {
	for _, g := range []querymodel.Granularity{querymodel.Day, querymodel.Week} {
		sh, res := breakdownResult()
		sh.Granularity = g
		sh.Start = day("2025-01-10")
		sh.Expected = []map[string]string{{"package": "requests", "python_minor": "2.7"}}
		cut := day("2025-11-20")
		for _, row := range res.Rows {
			row[4] = cut
		}
		st := sqlbuild.Statement{SQL: "SELECT series", Shape: sh, Notices: []string{"scanned raw"},
			Source: catalog.Source{Table: "pypi_downloads_per_day_by_version_by_python"}}
		want, err := frames.Convert(st, res)
		if err != nil {
			t.Fatal(err)
		}
		fast := fakeRowsOf(res, nil)
		got, err := frames.Run(context.Background(), fakeQuerier{fast}, st, 0)
		if err != nil {
			t.Fatal(err)
		}
		// data_end as ClickHouse sends a scalar subquery: Nullable, and
		// NULL on some rows.
		nullable := fakeRowsOf(res, func(col, row int, v any) any {
			if col != 4 {
				return v
			}
			if row%3 == 1 {
				return (*time.Time)(nil)
			}
			d := v.(time.Time)
			return &d
		})
		gotNullable, err := frames.Run(context.Background(), fakeQuerier{nullable}, st, 0)
		if err != nil {
			t.Fatal(err)
		}
		// The value as UInt64 is not the scanned shape: the general way.
		general := fakeRowsOf(res, func(_, _ int, v any) any {
			if n, ok := v.(int64); ok {
				return uint64(n)
			}
			return v
		})
		slow, err := frames.Run(context.Background(), fakeQuerier{general}, st, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want.Rows() == 0 || len(want.Fields) != 13 {
			t.Fatalf("%s: frame of %d rows, %d fields", g, want.Rows(), len(want.Fields))
		}
		for name, c := range map[string]struct {
			rows *fakeRows
			want bool
		}{"scanned": {fast, true}, "nullable data_end": {nullable, true}, "general": {general, false}} {
			c.rows.i = 0
			if _, ok, err := frames.ScanSeries(context.Background(), c.rows, sh, 0); ok != c.want || err != nil {
				t.Fatalf("%s: scanned straight %v (%v), want %v", name, ok, err, c.want)
			}
		}
		for name, f := range map[string]*data.Frame{"scanned": got, "nullable data_end": gotNullable, "general": slow} {
			if diff := cmp.Diff(want, f, data.FrameTestCompareOptions()...); diff != "" {
				t.Fatalf("%s, %s way differs from Convert:\n%s", g, name, diff)
			}
		}
	}
}

// fakeRowsOf serves a Result as driver rows, each value passed through
// conv when given (which sets the column's type from the first row).
func fakeRowsOf(res *frames.Result, conv func(col, row int, v any) any) *fakeRows {
	rows := &fakeRows{}
	for ri, r := range res.Rows {
		out := make([]any, len(r))
		for i, v := range r {
			if conv != nil {
				v = conv(i, ri, v)
			}
			out[i] = v
		}
		rows.rows = append(rows.rows, out)
	}
	for i, c := range res.Columns {
		rows.cols = append(rows.cols, fakeColumn{c.Name, reflect.TypeOf(rows.rows[0][i])})
	}
	return rows
}
