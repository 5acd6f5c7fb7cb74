package datasource_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func benchModels() map[string]map[string]any {
	return map[string]map[string]any{
		"timeseries":           {"queryType": "timeseries", "packages": []string{"requests"}},
		"timeseries_breakdown": {"queryType": "timeseries", "packages": []string{"requests"}, "breakdown": "python_minor"},
		"breakdown_country":    {"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "country_code"},
		"summary":              {"queryType": "summary", "packages": []string{"requests"}},
		"ranking":              {"queryType": "ranking", "packages": []string{"requests"}},
		"top_packages":         {"queryType": "top_packages"},
		"details":              {"queryType": "details", "packages": []string{"requests"}},
	}
}

// uncached is the shared server without the result cache, so every call
// reaches ClickHouse.
func uncached() pluginhost.DataSource {
	ds := dataSourceFor(shared.srv, "nocache", shared.srv.Database)
	ds.JSONData["cacheTTL"] = "0s"
	return ds
}

// BenchmarkQueryTypes compares each query type through the plugin binary
// (gRPC, parsing, SQL building, frames; cache off) with the same SQL run
// directly through clickhouse-go. The goal is plugin/direct <= 1.10.
func BenchmarkQueryTypes(b *testing.B) {
	ctx := context.Background()
	from, to := dataRange()
	ds := uncached()
	cat, err := catalog.Read(ctx, shared.conn, shared.srv.Database)
	if err != nil {
		b.Fatal(err)
	}
	for name, model := range benchModels() {
		q := query("A", model, from, to)
		b.Run(name+"/plugin", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{q})
				if err != nil || resp.Responses["A"].Error != nil {
					b.Fatal(err, resp.Responses["A"].Error)
				}
			}
		})
		b.Run(name+"/direct", func(b *testing.B) {
			qm, err := querymodel.Parse(q.JSON, "")
			if err != nil {
				b.Fatal(err)
			}
			st, err := sqlbuild.Build(sqlbuild.Request{Query: qm, From: from, To: to, Interval: q.Interval,
				MaxDataPoints: q.MaxDataPoints, Database: shared.srv.Database, Catalog: cat})
			if err != nil {
				b.Fatal(err)
			}
			// The same settings the plugin sends, so only the plugin's own
			// work differs.
			pctx := clickhouse.Context(ctx, clickhouse.WithParameters(st.Params), clickhouse.WithSettings(clickhouse.Settings{
				"max_execution_time": 30, "max_result_rows": 1_000_000,
				"result_overflow_mode": "throw", "read_overflow_mode": "throw",
			}))
			for i := 0; i < b.N; i++ {
				rows, err := shared.conn.Query(pctx, st.SQL)
				if err != nil {
					b.Fatal(err)
				}
				vals := make([]any, len(rows.ColumnTypes()))
				for j, ct := range rows.ColumnTypes() {
					vals[j] = newScan(ct.ScanType())
				}
				for rows.Next() {
					if err := rows.Scan(vals...); err != nil {
						b.Fatal(err)
					}
				}
				rows.Close()
			}
		})
	}
}

// BenchmarkCacheHit is a repeated panel query answered from the cache,
// measured through gRPC as Grafana sees it. The goal is under 1 ms.
func BenchmarkCacheHit(b *testing.B) {
	ctx := context.Background()
	from, to := dataRange()
	q := query("A", benchModels()["timeseries_breakdown"], from, to)
	if _, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{q}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{q})
		if err != nil || resp.Responses["A"].Error != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPluginMemory issues 10,000 varied queries (half repeats, half
// new ranges) and reports the plugin process's resident memory after.
func BenchmarkPluginMemory(b *testing.B) {
	ctx := context.Background()
	from, to := dataRange()
	models := benchModels()
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	for i := 0; i < b.N; i++ {
		for k := 0; k < 10000; k += 10 {
			var qs []backend.DataQuery
			for j := 0; j < 10; j++ {
				shift := time.Duration((k/2+j)%60) * 24 * time.Hour
				qs = append(qs, query(fmt.Sprintf("Q%d", j), models[names[(k+j)%len(names)]], from.Add(shift), to))
			}
			if _, err := shared.host.QueryData(ctx, shared.ds, qs); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(rssMB(b, shared.host.Pid()), "rss_MB")
}

func rssMB(b *testing.B, pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
