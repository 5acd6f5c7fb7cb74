package frames_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Every time series statement sqlbuild writes, from the views and from the
// raw table, comes back from a real server (clickpy-local, or the one in
// CLICKPY_TEST_CLICKHOUSE_URL) with the column types Run scans straight
// into the frame; a type change on either side would otherwise fall back
// to the slower general way unnoticed.
func TestServerSeriesTakeTheScannedWay(t *testing.T) {
	ctx := context.Background()
	srv, conn := chtest.StartTB(t, chtest.Config{Sample: "none", Database: "clickpy_test_frames"})
	db := srv.Database
	if err := conn.Exec(ctx, "INSERT INTO "+db+".pypi (date, country_code, project, type, installer, python_minor, system, version) VALUES "+
		"('2025-03-01', 'DE', 'requests', 'bdist_wheel', 'pip', '3.12', 'Linux', '2.32.3'), "+
		"('2025-03-02', 'US', 'requests', 'sdist', 'uv', '3.11', 'Darwin', '2.31.0'), "+
		"('2025-03-02', 'US', 'numpy', 'bdist_wheel', 'pip', '3.12', 'Linux', '2.1.0')"); err != nil {
		t.Fatal(err)
	}
	full, err := catalog.Read(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	rawOnly := *full
	rawOnly.Sources = slices.DeleteFunc(slices.Clone(full.Sources), func(s catalog.Source) bool { return !s.Raw })
	from, to := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	for catName, cat := range map[string]*catalog.Catalog{"views": full, "raw": &rawOnly} {
		for _, brk := range []string{"", "version", "python_minor", "system", "country_code", "installer", "type"} {
			model := map[string]any{"queryType": "timeseries", "packages": []string{"requests", "numpy"}, "breakdown": brk}
			if brk == "" {
				delete(model, "breakdown")
			}
			raw, _ := json.Marshal(model)
			qm, err := querymodel.Parse(raw, "")
			if err != nil {
				t.Fatal(err)
			}
			st, err := sqlbuild.Build(sqlbuild.Request{Query: qm, From: from, To: to, MaxDataPoints: 1000,
				Interval: time.Minute, Database: db, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := conn.Query(clickhouse.Context(ctx, clickhouse.WithParameters(st.Params)), st.SQL)
			if err != nil {
				t.Fatalf("%s %q: %v", catName, brk, err)
			}
			f, ok, err := frames.ScanSeries(ctx, rows, st.Shape, 0)
			rows.Close()
			if !ok || err != nil {
				var types []string
				for _, ct := range rows.ColumnTypes() {
					types = append(types, ct.Name()+" "+ct.DatabaseTypeName())
				}
				t.Fatalf("%s, breakdown %q from %s: scanned straight %v (%v); columns %v", catName, brk, st.Source.Table, ok, err, types)
			}
			if len(f.Fields) < 3 || f.Rows() == 0 {
				t.Fatalf("%s %q: %d fields, %d rows", catName, brk, len(f.Fields), f.Rows())
			}
		}
	}
}
