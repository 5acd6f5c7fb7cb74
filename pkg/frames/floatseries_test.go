package frames_test

import (
	"math"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// A baseline series is null, never 0, where a day has no value, stops at
// the last date with data, and has a series for every listed package.
func TestFloatSeriesKeepsNulls(t *testing.T) {
	sh := sqlbuild.Shape{Kind: sqlbuild.KindFloatSeries, TimeColumn: "time", ValueColumn: "value",
		DataEndColumn: "data_end", Labels: []sqlbuild.Label{pkgLabel()}, ValueName: "expected",
		Start: day("2026-01-01"), End: day("2026-01-05"), Granularity: querymodel.Day, Packages: []string{"b", "a", "c"},
		Expected: []map[string]string{{"package": "b"}, {"package": "a"}, {"package": "c"}}}
	one, nan := 1.5, math.NaN()
	end := day("2026-01-04")
	res := &frames.Result{
		Columns: []frames.Column{col("time", time.Time{}), col("package", ""), col("value", &one), col("data_end", &end)},
		Rows: [][]any{
			{day("2026-01-01"), "a", &one, &end},
			{day("2026-01-02"), "a", (*float64)(nil), &end},
			{day("2026-01-03"), "a", &nan, &end},
			{day("2026-01-04"), "a", ptr(2.25), &end},
			{day("2026-01-02"), "b", ptr(7.0), &end},
		},
	}
	f := convert(t, sh, res)
	if got, want := times(f), []string{"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"}; !equal(got, want) {
		t.Fatalf("days %v, want %v (through the data's end, not the range's)", got, want)
	}
	if len(f.Fields) != 4 {
		t.Fatalf("%d fields, want time and b, a, c", len(f.Fields))
	}
	want := map[string][]*float64{
		"b": {nil, ptr(7.0), nil, nil},
		"a": {ptr(1.5), nil, nil, ptr(2.25)},
		"c": {nil, nil, nil, nil},
	}
	for i, name := range []string{"b", "a", "c"} {
		fl := f.Fields[i+1]
		if fl.Labels["package"] != name || fl.Name != "expected" {
			t.Errorf("field %d: %s %v, want expected{package=%s}", i+1, fl.Name, fl.Labels, name)
		}
		for r, w := range want[name] {
			got, _ := fl.At(r).(*float64)
			if (got == nil) != (w == nil) || (got != nil && *got != *w) {
				t.Errorf("%s day %d: %v, want %v", name, r, show(got), show(w))
			}
		}
	}
}

func ptr(x float64) *float64 { return &x }

func show(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
