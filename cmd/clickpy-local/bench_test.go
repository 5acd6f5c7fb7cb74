package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	if err := schema.Apply(ctx, schema.ExecWith(conn), schema.Options{Database: db}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkViewVsRaw is ClickPy's reason for its views: the same answer
// from a summary table and from count() over the raw table, alternated in
// every iteration so drift cancels out of raw/view. series is one
// package's daily downloads (pypi_downloads_per_day); top is the overview's
// ten most downloaded packages over everything (pypi_downloads). The demo
// set is kept in .data/bench-demo between runs; CLICKPY_BENCH_SET=bench
// uses the 50M-row bench set in .data/bench-bench (about 15 minutes to
// load the first time).
func BenchmarkViewVsRaw(b *testing.B) {
	ctx := context.Background()
	cfg := chtest.DemoConfig("clickpy_bench_demo")
	if os.Getenv("CLICKPY_BENCH_SET") == "bench" {
		cfg = chtest.Config{Sample: "bench", Seed: 1, Database: "clickpy_bench_bench", DataDir: filepath.Join(".data", "bench-bench")}
	}
	srv, conn := chtest.StartTB(b, cfg)
	db := srv.Database
	pairs := []struct {
		name      string
		view, raw string
		minRows   int
	}{
		{"series", "SELECT date, toInt64(sum(count)) FROM " + db + ".pypi_downloads_per_day WHERE project = {p:String} GROUP BY date ORDER BY date",
			"SELECT date, toInt64(count()) FROM " + db + ".pypi WHERE project = {p:String} GROUP BY date ORDER BY date", 300},
		{"top", "SELECT project, toInt64(sum(count)) AS c FROM " + db + ".pypi_downloads GROUP BY project ORDER BY c DESC, project LIMIT 10",
			"SELECT project, toInt64(count()) AS c FROM " + db + ".pypi GROUP BY project ORDER BY c DESC, project LIMIT 10", 10},
	}
	pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"p": "boto3"}))
	for _, pair := range pairs {
		b.Run(pair.name, func(b *testing.B) {
			var spent [2]time.Duration
			var answers [2]string
			for i := 0; i < b.N; i++ {
				for k := 0; k < 2; k++ {
					w := (i + k) % 2
					sql := pair.view
					if w == 1 {
						sql = pair.raw
					}
					start := time.Now()
					answers[w] = readAll(pctx, b, conn, sql, pair.minRows)
					spent[w] += time.Since(start)
				}
				if answers[0] != answers[1] {
					b.Fatalf("view and raw disagree:\n%s\n%s", answers[0], answers[1])
				}
			}
			b.ReportMetric(float64(spent[0])/float64(b.N)/float64(time.Millisecond), "view_ms")
			b.ReportMetric(float64(spent[1])/float64(b.N)/float64(time.Millisecond), "raw_ms")
			b.ReportMetric(float64(spent[1])/float64(spent[0]), "raw/view")
		})
	}
}

// readAll returns the result as text, failing with fewer than minRows rows.
func readAll(ctx context.Context, b *testing.B, conn driver.Conn, sql string, minRows int) string {
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out strings.Builder
	n := 0
	for rows.Next() {
		var (
			day  time.Time
			name string
			c    int64
		)
		key := any(&name)
		if rows.ColumnTypes()[0].DatabaseTypeName() == "Date" {
			key = &day
		}
		if err := rows.Scan(key, &c); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&out, "%s%s %d\n", name, day.Format(time.DateOnly), c)
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	if n < minRows {
		b.Fatalf("%d rows, want at least %d", n, minRows)
	}
	return out.String()
}
