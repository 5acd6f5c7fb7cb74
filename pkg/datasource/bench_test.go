package datasource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
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
		"totals":               {"queryType": "totals"},
		"emerging":             {"queryType": "emerging"},
		"needing_refresh":      {"queryType": "needing_refresh"},
		"hot":                  {"queryType": "hot", "minDownloads": 50},
		"recent_releases":      {"queryType": "recent_releases"},
		"releases":             {"queryType": "releases", "packages": []string{"requests"}},
		"dependencies":         {"queryType": "dependencies", "packages": []string{"requests"}},
		"dependents":           {"queryType": "dependents", "packages": []string{"urllib3"}},
		"sql": {"queryType": "sql", "rawSql": "SELECT date AS time, sum(count) AS downloads FROM $__table(date, project)" +
			" WHERE $__dateFilter(date) AND project = 'requests' GROUP BY date ORDER BY date"},
	}
}

// uncached is the shared server without the result cache, so every call
// reaches ClickHouse.
func uncached() pluginhost.DataSource {
	ds := dataSourceFor(shared.srv, "nocache", shared.srv.Database)
	ds.JSONData["cacheTTL"] = "0s"
	return ds
}

// benchTarget is a ClickHouse with a sample, the plugin binary talking to
// it, and the range the sample covers.
type benchTarget struct {
	host     *pluginhost.Host
	ds       pluginhost.DataSource
	conn     driver.Conn
	database string
	from, to time.Time
}

// target is the shared test set, or with CLICKPY_BENCH_SET=demo the demo
// set (kept in .data/bench-demo between runs) with a plugin of its own.
func target(b *testing.B) benchTarget {
	if os.Getenv("CLICKPY_BENCH_SET") != "demo" {
		from, to := dataRange()
		return benchTarget{host: shared.host, ds: uncached(), conn: shared.conn, database: shared.srv.Database, from: from, to: to}
	}
	srv, conn := chtest.StartTB(b, chtest.DemoConfig("clickpy_bench_demo"))
	host, err := pluginhost.Start(shared.bin, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(host.Close)
	ds := dataSourceFor(srv, "demo", srv.Database)
	ds.JSONData["cacheTTL"] = "0s"
	cfg := sample.Config{Seed: chtest.DemoConfig("").Seed, End: sample.DefaultEnd(), Size: sample.SizeDemo}
	return benchTarget{host: host, ds: ds, conn: conn, database: srv.Database,
		from: cfg.Start(), to: cfg.EndDate().Add(24*time.Hour - time.Second)}
}

// BenchmarkQueryTypes runs each query type three ways in every iteration,
// in rotating order: the same SQL, parameters and settings directly through
// clickhouse-go; the data-source instance in this process (parsing, SQL
// building, frames; no gRPC); and the plugin binary over gRPC as Grafana
// calls it. The cache is off. Interleaving keeps the machine's drift out
// of the ratios, which are the figures to read: plugin/direct (goal 1.10)
// and inproc/direct (the plugin's own work, without the SDK's transport).
// handler_ms is the plugin process's own time per call (the SDK's
// grpc_server_handling_seconds), so plugin_ms minus handler_ms is the
// transport: gRPC, and the Arrow decoding Grafana would do.
func BenchmarkQueryTypes(b *testing.B) {
	ctx := context.Background()
	t := target(b)
	cat, err := catalog.Read(ctx, t.conn, t.database)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(t.ds.JSONData)
	if err != nil {
		b.Fatal(err)
	}
	inst, err := datasource.NewInstance(ctx, backend.DataSourceInstanceSettings{UID: "inproc", JSONData: raw,
		DecryptedSecureJSONData: t.ds.Secure}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer inst.Dispose()
	models := benchModels()
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		q := query("A", models[name], t.from, t.to)
		qm, err := querymodel.Parse(q.JSON, "")
		if err != nil {
			b.Fatal(err)
		}
		st, err := sqlbuild.Build(sqlbuild.Request{Query: qm, From: t.from, To: t.to, Interval: q.Interval,
			MaxDataPoints: q.MaxDataPoints, Database: t.database, Catalog: cat})
		if err != nil {
			b.Fatal(err)
		}
		// The settings the plugin sends, so only the plugin's own work
		// differs.
		pctx := clickhouse.Context(ctx, clickhouse.WithParameters(st.Params), clickhouse.WithSettings(clickhouse.Settings{
			"readonly": 2, "max_execution_time": 30, "max_result_rows": 1_000_000, "max_result_bytes": 64 << 20,
			"result_overflow_mode": "throw", "read_overflow_mode": "throw",
		}))
		ways := []func(b *testing.B){
			func(b *testing.B) { direct(b, t.conn, pctx, st.SQL) },
			func(b *testing.B) {
				resp, err := inst.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
				if err != nil || resp.Responses["A"].Error != nil {
					b.Fatal(err, resp.Responses["A"].Error)
				}
			},
			func(b *testing.B) {
				resp, err := t.host.QueryData(ctx, t.ds, []backend.DataQuery{q})
				if err != nil || resp.Responses["A"].Error != nil {
					b.Fatal(err, resp.Responses["A"].Error)
				}
			},
		}
		b.Run(name, func(b *testing.B) {
			sum0, n0 := handlingTime(b, t.host)
			spent := make([]time.Duration, len(ways))
			for i := 0; i < b.N; i++ {
				for k := range ways {
					w := (i + k) % len(ways)
					start := time.Now()
					ways[w](b)
					spent[w] += time.Since(start)
				}
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Millisecond) }
			b.ReportMetric(ms(spent[0]), "direct_ms")
			b.ReportMetric(ms(spent[1]), "inproc_ms")
			b.ReportMetric(ms(spent[2]), "plugin_ms")
			b.ReportMetric(float64(spent[1])/float64(spent[0]), "inproc/direct")
			b.ReportMetric(float64(spent[2])/float64(spent[0]), "plugin/direct")
			sum1, n1 := handlingTime(b, t.host)
			if n1-n0 < float64(b.N) {
				b.Fatalf("the plugin counted %v QueryData calls, want %d", n1-n0, b.N)
			}
			b.ReportMetric((sum1-sum0)/(n1-n0)*1000, "handler_ms")
		})
	}
}

// direct runs sql through clickhouse-go and scans every value, as any
// client of the same query would.
func direct(b *testing.B, conn driver.Conn, ctx context.Context, sql string) {
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	vals := make([]any, len(rows.ColumnTypes()))
	for j, ct := range rows.ColumnTypes() {
		vals[j] = newScan(ct.ScanType())
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			b.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCacheHit is a repeated panel query answered from the cache,
// through gRPC as Grafana sees it (ns/op: the round trip, with the SDK's
// Arrow encoding and decoding on both sides) and inside the plugin
// (handler_ms: from the SDK's grpc_server_handling_seconds, the handler
// from request to encoded frames). The goal is under 1 ms.
func BenchmarkCacheHit(b *testing.B) {
	ctx := context.Background()
	from, to := dataRange()
	for _, name := range []string{"summary", "timeseries", "timeseries_breakdown"} {
		q := query("A", benchModels()[name], from, to)
		b.Run(name, func(b *testing.B) {
			if _, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{q}); err != nil {
				b.Fatal(err)
			}
			sum0, n0 := handlingTime(b, shared.host)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{q})
				if err != nil || resp.Responses["A"].Error != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			sum1, n1 := handlingTime(b, shared.host)
			if n1-n0 < float64(b.N) {
				b.Fatalf("the plugin counted %v QueryData calls, want %d", n1-n0, b.N)
			}
			b.ReportMetric((sum1-sum0)/(n1-n0)*1000, "handler_ms")
		})
	}
}

// handlingTime is the plugin's total time in QueryData and the number of
// calls, from the SDK's gRPC server histogram.
func handlingTime(b *testing.B, host *pluginhost.Host) (seconds, calls float64) {
	m, err := host.CollectMetrics(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	match := map[string]string{"grpc_method": "QueryData"}
	// Absent until the first call.
	seconds, _ = m.Sum("grpc_server_handling_seconds_sum", match)
	calls, _ = m.Sum("grpc_server_handling_seconds_count", match)
	return seconds, calls
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

func rssMB(b testing.TB, pid int) float64 {
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
