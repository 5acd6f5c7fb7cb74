package datasource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
)

// withJSON copies a data source under a new UID with some jsonData changed
// (a nil value removes the key).
func withJSON(ds pluginhost.DataSource, uid string, changes map[string]any) pluginhost.DataSource {
	out := pluginhost.DataSource{UID: uid, JSONData: map[string]any{}, Secure: map[string]string{}, Updated: ds.Updated}
	for k, v := range ds.JSONData {
		out.JSONData[k] = v
	}
	for k, v := range ds.Secure {
		out.Secure[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out.JSONData, k)
		} else {
			out.JSONData[k] = v
		}
	}
	return out
}

// closedPort is a loopback port nothing listens on: listened on, then
// closed.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	mustT(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	mustT(t, l.Close())
	return port
}

// goroutines reads the plugin process's go_goroutines.
func goroutines(t *testing.T) float64 {
	t.Helper()
	m, err := shared.host.CollectMetrics(context.Background())
	mustT(t, err)
	n, ok := m.Sum("go_goroutines", nil)
	if !ok {
		t.Fatalf("no go_goroutines in the plugin's metrics:\n%s", m)
	}
	return n
}

// settleGoroutines polls until the plugin's goroutines are at most limit,
// and returns the last count.
func settleGoroutines(t *testing.T, limit float64, within time.Duration) float64 {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		n := goroutines(t)
		if n <= limit || time.Now().After(deadline) {
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkPluginAlive fails unless the plugin process runs and the main data
// source still answers.
func checkPluginAlive(t *testing.T) {
	t.Helper()
	if shared.host.Exited() {
		t.Fatal("the plugin process exited")
	}
	from, to := dataRange()
	resp, err := shared.host.QueryData(context.Background(), shared.ds, []backend.DataQuery{query("GOOD", goodModel(), from, to)})
	if err != nil {
		t.Fatalf("the main data source stopped answering: %v", err)
	}
	checkGoodAnswer(t, "main data source", resp.Responses["GOOD"])
}

// A data source with a bad setting fails every call with a message naming
// the setting, and the plugin keeps serving the others.
func TestSettingsErrors(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	cases := []struct {
		uid     string
		changes map[string]any
		field   string
	}{
		{"bad-host", map[string]any{"host": ""}, "host"},
		{"bad-host-url", map[string]any{"host": "http://db.example:8123"}, "host"},
		{"bad-port", map[string]any{"port": 70000}, "port"},
		{"bad-protocol", map[string]any{"protocol": "grpc"}, "protocol"},
		{"bad-database", map[string]any{"database": "x;y"}, "database"},
		{"bad-query-timeout", map[string]any{"queryTimeout": "soon"}, "queryTimeout"},
		{"bad-dial-timeout", map[string]any{"dialTimeout": "-5s"}, "dialTimeout"},
		{"bad-json-type", map[string]any{"port": "8123"}, "jsonData"},
		{"bad-setting-name", map[string]any{"clickhouseSettings": []map[string]string{{"name": "max_threads; DROP", "value": "1"}}}, "clickhouseSettings[0].name"},
	}
	for _, c := range cases {
		t.Run(c.uid, func(t *testing.T) {
			ds := withJSON(shared.ds, c.uid, c.changes)
			start := time.Now()
			resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{query("A", goodModel(), from, to), query("B", goodModel(), from, to)})
			var msg string
			switch {
			case err != nil:
				// The SDK passes an instance-factory error back as the
				// gRPC call's error, which Grafana shows as the panel error.
				msg = err.Error()
			default:
				for _, r := range resp.Responses {
					if r.Error != nil {
						msg = r.Error.Error()
					}
				}
				if msg == "" {
					t.Fatalf("QueryData succeeded with a bad %s", c.field)
				}
			}
			t.Logf("QueryData: %s", msg)
			if !strings.Contains(msg, "setting "+c.field) {
				t.Errorf("QueryData error %q does not name setting %s", msg, c.field)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("QueryData took %s to refuse the settings", d)
			}
			h, err := shared.host.CheckHealth(ctx, ds)
			if err != nil {
				t.Fatalf("CheckHealth: %v", err)
			}
			if h.Status != backend.HealthStatusError {
				t.Errorf("CheckHealth status %v, want error (%s)", h.Status, h.Message)
			}
			if !strings.Contains(h.Message, "setting "+c.field) {
				t.Errorf("CheckHealth message %q does not name setting %s", h.Message, c.field)
			}
			r, err := shared.host.CallResource(ctx, ds, "catalog", "")
			if err == nil {
				t.Errorf("CallResource answered %d: %s", r.Status, r.Body)
			} else if !strings.Contains(err.Error(), "setting "+c.field) {
				t.Errorf("CallResource error %q does not name setting %s", err, c.field)
			}
		})
	}
	checkPluginAlive(t)
}

// ClickHouse down, a wrong password and a query past its timeout each give
// a prompt error saying what is wrong; the server stays usable, and the
// plugin process keeps running without leaking goroutines.
func TestClickHouseFailures(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	first := goroutines(t)
	var base float64

	const dialTimeout = 2 * time.Second
	port := closedPort(t)
	down := map[string]pluginhost.DataSource{
		"http":   withJSON(shared.ds, "down-http", map[string]any{"port": port, "protocol": "http", "dialTimeout": "2s", "queryTimeout": "5s"}),
		"native": withJSON(shared.ds, "down-native", map[string]any{"port": port, "protocol": "native", "dialTimeout": "2s", "queryTimeout": "5s"}),
	}

	// A server that accepts connections and never answers: bounded by the
	// dial timeout too.
	const holeDial = time.Second
	holePort := silentServer(t)
	silent := map[string]pluginhost.DataSource{
		"http":   withJSON(shared.ds, "silent-http", map[string]any{"port": holePort, "protocol": "http", "dialTimeout": "1s", "queryTimeout": "5s"}),
		"native": withJSON(shared.ds, "silent-native", map[string]any{"port": holePort, "protocol": "native", "dialTimeout": "1s", "queryTimeout": "5s"}),
	}

	// The password server: a second clickpy-local with a password, or on a
	// real server the same one.
	var pwds pluginhost.DataSource
	if shared.srv.Real {
		pwds = withJSON(shared.ds, "wrong-password", map[string]any{"queryTimeout": "5s"})
	} else {
		srv2, err := chtest.Start(ctx, chtest.Config{Sample: "none", Args: []string{"--password", "secret"}})
		mustT(t, err)
		t.Cleanup(srv2.Stop)
		right := dataSourceFor(srv2, "right-password", srv2.Database)
		right.Secure["password"] = "secret"
		h, err := shared.host.CheckHealth(ctx, right)
		mustT(t, err)
		if h.Status != backend.HealthStatusOk || !strings.Contains(h.Message, "no downloads loaded yet") {
			t.Errorf("the right password: health %v %q", h.Status, h.Message)
		}
		pwds = withJSON(right, "wrong-password", map[string]any{"queryTimeout": "5s"})
	}
	pwds.Secure["password"] = "not-the-password"

	timeout := withJSON(shared.ds, "timeout", map[string]any{"queryTimeout": "1s", "cacheTTL": "0s"})
	slowSQL := map[string]any{"queryType": "sql", "rawSql": "SELECT sum(cityHash64(number)) AS s FROM numbers(100000000000)"}

	measured := map[string]time.Duration{}
	worst := func(name string, d time.Duration) {
		if d > measured[name] {
			measured[name] = d
		}
	}

	// unreachable checks that both the health check and a query say
	// ClickHouse cannot be reached, each within limit, and returns the
	// health message and the query's response for checks of the caller's.
	unreachable := func(kind, proto string, ds pluginhost.DataSource, limit time.Duration) (string, backend.DataResponse) {
		start := time.Now()
		h, err := shared.host.CheckHealth(ctx, ds)
		d := time.Since(start)
		worst(kind+"/"+proto+"/health", d)
		mustT(t, err)
		if h.Status != backend.HealthStatusError || !strings.Contains(h.Message, "cannot reach ClickHouse") {
			t.Errorf("%s %s: health %v %q", kind, proto, h.Status, h.Message)
		}
		if d > limit {
			t.Errorf("%s %s: health took %s", kind, proto, d)
		}
		start = time.Now()
		resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{query("A", goodModel(), from, to)})
		d = time.Since(start)
		worst(kind+"/"+proto+"/query", d)
		mustT(t, err)
		r := resp.Responses["A"]
		if r.Error == nil || !strings.Contains(r.Error.Error(), "cannot reach ClickHouse") {
			t.Errorf("%s %s: query error %v", kind, proto, r.Error)
		}
		if d > limit {
			t.Errorf("%s %s: query took %s", kind, proto, d)
		}
		return h.Message, r
	}

	// Each scenario runs more than once: a leak per call shows up as a
	// count that grows with the calls.
	const rounds = 3
	for round := 0; round < rounds; round++ {
		if round == 1 {
			// The instances and their connection pools exist from here on.
			base = goroutines(t)
		}
		for proto, ds := range down {
			msg, r := unreachable("down", proto, ds, dialTimeout+time.Second)
			if !strings.Contains(msg, fmt.Sprint(port)) {
				t.Errorf("down %s: health message %q does not name the port", proto, msg)
			}
			if r.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("down %s: error source %q, want downstream", proto, r.ErrorSource)
			}
		}

		// The silent server costs the dial timeout per call: every other round.
		for proto, ds := range silent {
			if round == 1 {
				break
			}
			unreachable("silent", proto, ds, holeDial+time.Second)
		}

		start := time.Now()
		h, err := shared.host.CheckHealth(ctx, pwds)
		d := time.Since(start)
		worst("password/health", d)
		mustT(t, err)
		if h.Status != backend.HealthStatusError || !strings.Contains(h.Message, "password") || !strings.Contains(h.Message, "user") {
			t.Errorf("wrong password: health %v %q", h.Status, h.Message)
		}
		if d > 5*time.Second+time.Second {
			t.Errorf("wrong password: health took %s", d)
		}
		start = time.Now()
		resp, err := shared.host.QueryData(ctx, pwds, []backend.DataQuery{query("A", goodModel(), from, to)})
		d = time.Since(start)
		worst("password/query", d)
		mustT(t, err)
		r := resp.Responses["A"]
		if r.Error == nil || !strings.Contains(r.Error.Error(), "password") || r.Status != backend.StatusUnauthorized {
			t.Errorf("wrong password: query status %d error %v", r.Status, r.Error)
		}
		if d > 5*time.Second+time.Second {
			t.Errorf("wrong password: query took %s", d)
		}

		start = time.Now()
		resp, err = shared.host.QueryData(ctx, timeout, []backend.DataQuery{query("SLOW", slowSQL, from, to)})
		d = time.Since(start)
		worst("timeout/query", d)
		mustT(t, err)
		r = resp.Responses["SLOW"]
		if round == 0 {
			t.Logf("wrong password: %q", h.Message)
			t.Logf("slow query: %v", r.Error)
		}
		if r.Error == nil || !strings.Contains(strings.ToLower(r.Error.Error()), "timeout") {
			t.Errorf("slow query: error %v", r.Error)
		} else if r.Status != backend.StatusTimeout {
			t.Errorf("slow query: status %d, want %d (%v)", r.Status, backend.StatusTimeout, r.Error)
		}
		if d > 3*time.Second {
			t.Errorf("slow query: took %s, want about the 1s query timeout", d)
		}
		// The server is usable right after.
		start = time.Now()
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		var n uint64
		err = shared.conn.QueryRow(qctx, "SELECT count() FROM "+shared.srv.Database+".pypi").Scan(&n)
		cancel()
		d = time.Since(start)
		worst("timeout/next-direct", d)
		if err != nil || n == 0 {
			t.Errorf("after the slow query, ClickHouse answered %d, %v", n, err)
		}
		start = time.Now()
		resp, err = shared.host.QueryData(ctx, timeout, []backend.DataQuery{query("GOOD", goodModel(), from, to)})
		worst("timeout/next-plugin", time.Since(start))
		mustT(t, err)
		checkGoodAnswer(t, "after the slow query", resp.Responses["GOOD"])
	}
	for _, k := range []string{"down/http/health", "down/http/query", "down/native/health", "down/native/query",
		"silent/http/health", "silent/http/query", "silent/native/health", "silent/native/query",
		"password/health", "password/query", "timeout/query", "timeout/next-direct", "timeout/next-plugin"} {
		t.Logf("slowest %-20s %s", k, measured[k].Round(time.Millisecond))
	}

	if shared.host.Exited() {
		t.Fatal("the plugin process exited")
	}
	// Every instance made here keeps a connection pool (a goroutine for
	// idle connections and, over HTTP, keep-alive connections) and a cache
	// until Grafana replaces it. Counted after the first round, which made
	// them, the failures themselves must leave nothing behind.
	n := settleGoroutines(t, base+2, 5*time.Second)
	t.Logf("plugin goroutines: %v at the start, %v after the first round, %v at the end", first, base, n)
	if n > base+2 {
		t.Errorf("the plugin holds %v goroutines, %v after the first round of failures", n, base)
	}
	checkPluginAlive(t)
}

// Grafana replaces an instance whenever the data source is saved; the
// replaced instance, disposed a few seconds later, must take its
// goroutines (connection pool, cache expiry) with it.
func TestReplacedInstancesReleaseGoroutines(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	const versions = 8
	ask := func(k int) {
		ds := withJSON(shared.ds, "replaced", nil)
		ds.Updated = time.Unix(int64(1000+k), 0)
		resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{query("A", goodModel(), from, to)})
		mustT(t, err)
		checkGoodAnswer(t, fmt.Sprintf("version %d", k), resp.Responses["A"])
	}
	ask(0)
	// One live instance with its pool and cache is the baseline.
	time.Sleep(200 * time.Millisecond)
	base := goroutines(t)
	for k := 1; k <= versions; k++ {
		ask(k)
	}
	// The SDK disposes a replaced instance 5 s after replacing it.
	n := settleGoroutines(t, base+2, 9*time.Second)
	t.Logf("plugin goroutines: %v with one instance, %v after %d replacements", base, n, versions)
	if n > base+2 {
		t.Errorf("%d replaced instances left %v goroutines behind", versions, n-base)
	}
}

// The health check on the test database reports the version, the tables
// and the sample's last day, and warns that the data is old.
func TestHealthGood(t *testing.T) {
	ctx := context.Background()
	var version string
	mustT(t, shared.conn.QueryRow(ctx, "SELECT version()").Scan(&version))
	h, err := shared.host.CheckHealth(ctx, shared.ds)
	mustT(t, err)
	if h.Status != backend.HealthStatusOk {
		t.Fatalf("status %v: %s", h.Status, h.Message)
	}
	for _, want := range []string{"ClickHouse " + version, "database " + shared.srv.Database, "all ClickPy tables present",
		"newest data " + shared.cfg.EndDate().Format(time.DateOnly), "days old"} {
		if !strings.Contains(h.Message, want) {
			t.Errorf("message %q lacks %q", h.Message, want)
		}
	}
	// The sample ends on a fixed day, so by now it is weeks old.
	age := int(time.Since(shared.cfg.EndDate()).Hours() / 24)
	if !strings.Contains(h.Message, fmt.Sprintf(" %d days old", age)) && !strings.Contains(h.Message, fmt.Sprintf(" %d days old", age-1)) {
		t.Errorf("message %q does not say the data is %d days old", h.Message, age)
	}
	var d struct {
		Version  string   `json:"version"`
		Database string   `json:"database"`
		Present  []string `json:"present"`
		Missing  []string `json:"missing"`
		LastDate string   `json:"lastDate"`
		Stale    bool     `json:"stale"`
	}
	mustT(t, json.Unmarshal(h.JSONDetails, &d))
	if d.Version != version || d.Database != shared.srv.Database {
		t.Errorf("details: version %q database %q", d.Version, d.Database)
	}
	if d.LastDate != shared.cfg.EndDate().Format(time.DateOnly) {
		t.Errorf("details: lastDate %q, want %s", d.LastDate, shared.cfg.EndDate().Format(time.DateOnly))
	}
	if !d.Stale {
		t.Error("details: not stale")
	}
	if len(d.Missing) != 0 {
		t.Errorf("details: missing %v", d.Missing)
	}
	for _, want := range []string{"pypi", "pypi_downloads_per_day", "pypi_downloads_max_min"} {
		if !contains(d.Present, want) {
			t.Errorf("details: present %v lacks %s", d.Present, want)
		}
	}
	// Present lists exactly the database's tables that exist.
	var tables []string
	rows, err := shared.conn.Query(ctx, "SELECT name FROM system.tables WHERE database = {db:String}", clickhouse.Named("db", shared.srv.Database))
	mustT(t, err)
	for rows.Next() {
		var n string
		mustT(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	rows.Close()
	for _, p := range d.Present {
		if !contains(tables, p) {
			t.Errorf("details: present lists %s, not in system.tables %v", p, tables)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// A database with only the raw table is degraded but works; one without
// the raw table, or that does not exist, fails the health check.
func TestHealthPartialSchema(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	const rawOnly, noRaw = "clickpy_test_rawonly", "clickpy_test_noraw"
	for _, db := range []string{rawOnly, noRaw} {
		mustT(t, shared.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db))
		mustT(t, shared.conn.Exec(ctx, "CREATE DATABASE "+db))
		t.Cleanup(func() { _ = shared.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db) })
	}
	mustT(t, shared.conn.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.pypi AS %s.pypi", rawOnly, shared.srv.Database)))
	mustT(t, shared.conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s.pypi SELECT * FROM %s.pypi", rawOnly, shared.srv.Database)))
	mustT(t, shared.conn.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.notes (x UInt8) ENGINE = Memory", noRaw)))

	t.Run("raw only", func(t *testing.T) {
		ds := withJSON(shared.ds, "rawonly", map[string]any{"database": rawOnly})
		h, err := shared.host.CheckHealth(ctx, ds)
		mustT(t, err)
		if h.Status != backend.HealthStatusOk {
			t.Errorf("status %v: %s", h.Status, h.Message)
		}
		var d struct {
			Present  []string `json:"present"`
			Missing  []string `json:"missing"`
			LastDate string   `json:"lastDate"`
		}
		mustT(t, json.Unmarshal(h.JSONDetails, &d))
		if !strings.Contains(h.Message, "degraded") {
			t.Errorf("message %q does not say degraded", h.Message)
		}
		if len(d.Present) != 1 || d.Present[0] != "pypi" {
			t.Errorf("present %v, want [pypi]", d.Present)
		}
		if !contains(d.Missing, "pypi_downloads_per_day") || !contains(d.Missing, "pypi_downloads_max_min") {
			t.Errorf("missing %v", d.Missing)
		}
		for _, m := range d.Missing {
			if !strings.Contains(h.Message, m) {
				t.Errorf("message does not list missing %s: %q", m, h.Message)
			}
		}
		if d.LastDate != shared.cfg.EndDate().Format(time.DateOnly) {
			t.Errorf("lastDate %q from the raw table, want %s", d.LastDate, shared.cfg.EndDate().Format(time.DateOnly))
		}
		// Queries still answer, from the raw table, with the same counts.
		model := map[string]any{"queryType": "timeseries", "packages": []string{"requests", "boto3"}, "granularity": "day"}
		want, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("A", model, from, to)})
		mustT(t, err)
		got, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{query("A", model, from, to)})
		mustT(t, err)
		if got.Responses["A"].Error != nil || want.Responses["A"].Error != nil {
			t.Fatalf("raw only: %v; main: %v", got.Responses["A"].Error, want.Responses["A"].Error)
		}
		g, w := frameDownloads(got.Responses["A"].Frames[0]), frameDownloads(want.Responses["A"].Frames[0])
		if g != w || g == 0 {
			t.Errorf("raw only counts %v downloads, the summaries %v", g, w)
		}
	})
	t.Run("no raw table", func(t *testing.T) {
		h, err := shared.host.CheckHealth(ctx, withJSON(shared.ds, "noraw", map[string]any{"database": noRaw}))
		mustT(t, err)
		if h.Status != backend.HealthStatusError {
			t.Errorf("status %v: %s", h.Status, h.Message)
		}
		if !strings.Contains(h.Message, "raw pypi table is missing") {
			t.Errorf("message %q does not name the raw table", h.Message)
		}
	})
	t.Run("no database", func(t *testing.T) {
		h, err := shared.host.CheckHealth(ctx, withJSON(shared.ds, "nodb", map[string]any{"database": "clickpy_test_absent"}))
		mustT(t, err)
		if h.Status != backend.HealthStatusError {
			t.Errorf("status %v: %s", h.Status, h.Message)
		}
		if !strings.Contains(h.Message, "clickpy_test_absent") {
			t.Errorf("message %q does not name the database", h.Message)
		}
	})
}
