package main

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// BenchmarkLoad measures loading each sample set through the HTTP
// interface into an empty clickpy-local (or the real server named by
// CLICKPY_TEST_CLICKHOUSE_URL), views included. Run with -benchtime=1x.
func BenchmarkLoad(b *testing.B) {
	for _, size := range []sample.Size{sample.SizeTest, sample.SizeDemo} {
		b.Run(string(size), func(b *testing.B) {
			ctx := context.Background()
			srv, conn := chtest.StartTB(b, chtest.Config{Sample: "none", Database: "clickpy_bench_load"})
			var rows uint64
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := srv.Database
				resetDatabase(ctx, b, conn, db)
				b.StartTimer()
				st, err := sample.Load(ctx, conn, db, sample.Config{Seed: 1, End: sample.DefaultEnd(), Size: size})
				if err != nil {
					b.Fatal(err)
				}
				rows += st.Rows
				elapsed += st.Elapsed
			}
			b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
		})
	}
}

func resetDatabase(ctx context.Context, b *testing.B, conn driver.Conn, db string) {
	b.Helper()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		b.Fatal(err)
	}
	if err := schema.Apply(ctx, chtest.ExecWith(conn), schema.Options{Database: db}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDailySeries is ClickPy's reason for its views: one package's
// daily downloads from pypi_downloads_per_day against count() over the raw
// table, on the demo set (kept in .data/bench-demo between runs).
func BenchmarkDailySeries(b *testing.B) {
	ctx := context.Background()
	srv, conn := chtest.StartTB(b, chtest.DemoConfig("clickpy_bench_demo"))
	db := srv.Database
	queries := map[string]string{
		"view": "SELECT date, sum(count) FROM " + db + ".pypi_downloads_per_day WHERE project = {p:String} GROUP BY date ORDER BY date",
		"raw":  "SELECT date, count() FROM " + db + ".pypi WHERE project = {p:String} GROUP BY date ORDER BY date",
	}
	for _, name := range []string{"view", "raw"} {
		b.Run(name, func(b *testing.B) {
			pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"p": "boto3"}))
			for i := 0; i < b.N; i++ {
				rows, err := conn.Query(pctx, queries[name])
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				rows.Close()
				if n < 300 {
					b.Fatalf("%d days for boto3", n)
				}
			}
		})
	}
}
