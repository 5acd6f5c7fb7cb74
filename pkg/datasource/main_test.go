package datasource_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// env is what every test of the package shares: one ClickHouse with the
// test sample, the plugin binary started as Grafana starts it, and a
// direct connection for ground truth.
type env struct {
	srv  *chtest.Server
	host *pluginhost.Host
	ds   pluginhost.DataSource
	conn driver.Conn
	bin  string
	cfg  sample.Config
}

var shared env

// sampleEnd fixes the data's last day so expectations do not move daily.
func sampleEnd() time.Time { return time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC) }

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "clickpy-plugin-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	shared.cfg = sample.Config{Seed: 5, End: sampleEnd(), Size: sample.SizeTest}
	srv, err := chtest.Start(ctx, chtest.Config{Sample: "test", Seed: shared.cfg.Seed, End: shared.cfg.End, Database: "clickpy_test_plugin",
		DemoUser: &chtest.DemoUser{Name: demoUser, Password: demoPassword, Settings: [][2]string{
			{"max_rows_to_read", strconv.Itoa(demoMaxRows)}, {"read_overflow_mode", "break"}}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting ClickHouse:", err)
		return 1
	}
	defer srv.Stop()
	shared.srv = srv
	if shared.conn, err = srv.Open(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer shared.conn.Close()
	if shared.bin, err = pluginhost.Build(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The plugin's own log goes to a file; it is printed when a test fails.
	pluginLog, err := os.Create(dir + "/plugin.log")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer pluginLog.Close()
	if shared.host, err = pluginhost.Start(shared.bin, pluginLog); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer shared.host.Close()
	shared.ds = dataSourceFor(srv, "main", srv.Database)
	code := m.Run()
	if code != 0 {
		if b, err := os.ReadFile(dir + "/plugin.log"); err == nil && len(b) > 0 {
			fmt.Fprintf(os.Stderr, "plugin log (last 4 kB):\n%s\n", tail(string(b), 4096))
		}
	}
	return code
}

// dataSourceFor turns the test server's connection options into the
// settings Grafana would store for it.
func dataSourceFor(srv *chtest.Server, uid, database string) pluginhost.DataSource {
	host, port, _ := net.SplitHostPort(srv.Options.Addr[0])
	p, _ := strconv.Atoi(port)
	proto := "native"
	if srv.Options.Protocol == clickhouse.HTTP {
		proto = "http"
	}
	return pluginhost.DataSource{
		UID: uid,
		JSONData: map[string]any{
			"host": host, "port": p, "protocol": proto, "secure": srv.Options.TLS != nil,
			"username": srv.Options.Auth.Username, "database": database,
			"queryTimeout": "30s", "dialTimeout": "5s",
		},
		Secure: map[string]string{"password": srv.Options.Auth.Password},
	}
}

// dataRange is the whole span of the sample.
func dataRange() (time.Time, time.Time) {
	return shared.cfg.Start(), shared.cfg.EndDate().Add(24*time.Hour - time.Second)
}

func mustT(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
