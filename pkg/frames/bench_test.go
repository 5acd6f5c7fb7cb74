package frames_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// breakdownResult is a year of daily rows for one package split 11 ways,
// the shape of a timeseries query with a breakdown (top 10 and other).
func breakdownResult() (sqlbuild.Shape, *frames.Result) {
	brk := sqlbuild.Label{Column: "breakdown", Name: "python_minor"}
	sh := seriesShape(querymodel.Day, "2025-01-01", "2025-12-31", pkgLabel(), brk)
	res := &frames.Result{Columns: []frames.Column{col("time", time.Time{}), col("package", ""),
		col("breakdown", ""), col("value", int64(0)), col("data_end", time.Time{})}}
	end := day("2025-12-31")
	for d := day("2025-01-01"); !d.After(end); d = d.AddDate(0, 0, 1) {
		for v := 0; v < 11; v++ {
			res.Rows = append(res.Rows, []any{d, "requests", fmt.Sprintf("3.%d", v), int64(100 + v), end})
		}
	}
	return sh, res
}

// BenchmarkConvertTimeSeries is the plugin's own work on a breakdown
// series after ClickHouse answers: 4,015 rows into an 11-series frame.
func BenchmarkConvertTimeSeries(b *testing.B) {
	sh, res := breakdownResult()
	st := sqlbuild.Statement{SQL: "SELECT 1", Shape: sh}
	b.ReportAllocs()
	for b.Loop() {
		f, err := frames.Convert(st, res)
		if err != nil || len(f.Fields) != 12 {
			b.Fatal(err, len(f.Fields))
		}
	}
}

// BenchmarkRead scans the same rows through the driver interface.
func BenchmarkRead(b *testing.B) {
	_, res := breakdownResult()
	rows := &fakeRows{}
	for _, c := range res.Columns {
		rows.cols = append(rows.cols, fakeColumn{c.Name, c.ScanType})
	}
	rows.rows = res.Rows
	b.ReportAllocs()
	for b.Loop() {
		rows.i = 0
		if got, err := frames.Read(context.Background(), rows, 0); err != nil || len(got.Rows) != len(res.Rows) {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunTimeSeries is the same series scanned by Run straight into
// the frame (the fake rows' reflection stands in for the driver's Scan).
func BenchmarkRunTimeSeries(b *testing.B) {
	sh, res := breakdownResult()
	st := sqlbuild.Statement{SQL: "SELECT 1", Shape: sh}
	rows := fakeRowsOf(res, nil)
	b.ReportAllocs()
	for b.Loop() {
		rows.i = 0
		f, err := frames.Run(context.Background(), fakeQuerier{rows}, st, 0)
		if err != nil || len(f.Fields) != 12 {
			b.Fatal(err)
		}
	}
}
