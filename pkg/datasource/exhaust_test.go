package datasource_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
)

// silentServer accepts connections and never answers: a hung server, or a
// firewall that lets the handshake through.
func silentServer(t *testing.T) int {
	t.Helper()
	hole, err := net.Listen("tcp", "127.0.0.1:0")
	mustT(t, err)
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := hole.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		hole.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return hole.Addr().(*net.TCPAddr).Port
}

// Against a server that never answers, eight queries of one request and a
// health check sent beside them each fail within their own timeout plus
// one second: no query waits for another's turn at the catalogue.
func TestSilentServerNoHeadOfLineBlocking(t *testing.T) {
	from, to := dataRange()
	port := silentServer(t)
	const queryTimeout = 3 * time.Second
	const slack = time.Second
	for _, proto := range []string{"http", "native"} {
		ds := withJSON(shared.ds, "silent-hol-"+proto, map[string]any{"port": port, "protocol": proto,
			"dialTimeout": "1s", "queryTimeout": queryTimeout.String(), "cacheTTL": "0s"})
		var qs []backend.DataQuery
		for n := range 8 {
			qs = append(qs, query(fmt.Sprintf("Q%d", n), map[string]any{"queryType": "timeseries", "packages": []string{fmt.Sprintf("pkg-%d", n)}}, from, to))
		}
		var wg sync.WaitGroup
		var healthTook time.Duration
		var health *backend.CheckHealthResult
		var healthErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			health, healthErr = shared.host.CheckHealth(context.Background(), ds)
			healthTook = time.Since(start)
		}()
		start := time.Now()
		resp, err := shared.host.QueryData(context.Background(), ds, qs)
		took := time.Since(start)
		wg.Wait()
		mustT(t, err)
		mustT(t, healthErr)
		t.Logf("%s: 8 queries failed in %s, the health check in %s (query timeout %s)", proto, took.Round(time.Millisecond), healthTook.Round(time.Millisecond), queryTimeout)
		if took > queryTimeout+slack {
			t.Errorf("%s: 8 queries took %s, over their timeout %s plus %s", proto, took, queryTimeout, slack)
		}
		if healthTook > queryTimeout+slack {
			t.Errorf("%s: the health check took %s, over %s plus %s", proto, healthTook, queryTimeout, slack)
		}
		if health.Status != backend.HealthStatusError {
			t.Errorf("%s: health %v %q against a silent server", proto, health.Status, health.Message)
		}
		for _, q := range qs {
			r := resp.Responses[q.RefID]
			if r.Error == nil {
				t.Errorf("%s %s: answered from a silent server", proto, q.RefID)
			}
		}
	}
	checkPluginAlive(t)
}

// largeQueries are answers of the kind that took a plugin to 3.5 GB (one
// row with a 400 MB array): one row with a 96 MB array, one 300 MB string,
// many rows of text. Each is larger than the 64 MiB cap, and small enough
// for a loaded machine's chDB to produce well within the timeout.
func largeQueries() map[string]string {
	return map[string]string{
		"array":  "SELECT range(toUInt64(12000000)) AS r",
		"string": "SELECT arrayStringConcat(arrayMap(x -> repeat('x', 1000000), range(300))) AS s",
		"rows":   "SELECT toString(number) AS s, repeat('y', 100) AS pad FROM numbers(900000)",
	}
}

// The three large answers fail with an error naming the byte cap, within
// the query timeout, and leave the plugin process below 200 MB resident.
// The plugin runs in a process of its own here, so that the figure is its
// alone.
func TestLargeResultsAreCapped(t *testing.T) {
	from, to := dataRange()
	logFile, err := os.Create(filepath.Join(t.TempDir(), "plugin.log"))
	mustT(t, err)
	defer logFile.Close()
	host, err := pluginhost.Start(shared.bin, logFile)
	mustT(t, err)
	defer host.Close()
	const timeout = 60 * time.Second
	ds := withJSON(shared.ds, "large", map[string]any{"queryTimeout": timeout.String(), "cacheTTL": "0s"})
	rssBefore := rssMB(t, host.Pid())
	peak := rssBefore
	for name, sql := range largeQueries() {
		start := time.Now()
		resp, err := host.QueryData(context.Background(), ds, []backend.DataQuery{query("A", map[string]any{"queryType": "sql", "rawSql": sql}, from, to)})
		took := time.Since(start)
		mustT(t, err)
		r := resp.Responses["A"]
		peak = max(peak, rssMB(t, host.Pid()))
		t.Logf("%s: %s, %v", name, took.Round(time.Millisecond), r.Error)
		if r.Error == nil {
			t.Errorf("%s: answered %d frames past the cap", name, len(r.Frames))
			continue
		}
		if msg := r.Error.Error(); !strings.Contains(msg, "maxResultBytes") && !strings.Contains(msg, "max_result_bytes") && !strings.Contains(msg, "more rows") {
			t.Errorf("%s: error %q names no cap", name, msg)
		}
		if took > timeout+time.Second {
			t.Errorf("%s: took %s, past the %s query timeout", name, took, timeout)
		}
	}
	// Memory the Go runtime freed goes back to the system within a few
	// seconds; the cap's error path returns it at once.
	var rss float64
	for range 50 {
		if rss = rssMB(t, host.Pid()); rss < 200 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("plugin resident memory: %.1f MB before, %.1f MB at the highest seen, %.1f MB after the large queries", rssBefore, peak, rss)
	if rss >= 200 {
		t.Errorf("plugin resident memory %.1f MB after the large queries, want below 200 MB", rss)
	}
	if host.Exited() {
		t.Fatal("the plugin process exited")
	}
}
