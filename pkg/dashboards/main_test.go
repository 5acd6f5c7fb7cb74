package dashboards_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// env is the plugin binary, started as Grafana starts it, talking to a
// ClickHouse holding the test sample. Tests that need it call plugin(t);
// the static checks (JSON, YAML, compose) run without it.
type env struct {
	srv  *chtest.Server
	host *pluginhost.Host
	ds   pluginhost.DataSource
	cfg  sample.Config
	dir  string
	log  *os.File
	err  error
}

var (
	shared    env
	startOnce sync.Once
)

// sampleEnd fixes the data's last day so expectations do not move daily.
func sampleEnd() time.Time { return time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC) }

// testNow is the wall clock the dashboards' relative ranges and the alert
// rules are evaluated at: the morning after the last loaded day, as on
// ClickPy.
func testNow() time.Time { return sampleEnd().Add(24*time.Hour + 9*time.Hour) }

func TestMain(m *testing.M) { os.Exit(runMain(m)) }

func runMain(m *testing.M) int {
	code := m.Run()
	if shared.host != nil {
		if code != 0 {
			if b, err := os.ReadFile(filepath.Join(shared.dir, "plugin.log")); err == nil && len(b) > 0 {
				fmt.Fprintf(os.Stderr, "plugin log (last 4 kB):\n%s\n", tail(string(b), 4096))
			}
		}
		shared.host.Close()
	}
	if shared.log != nil {
		shared.log.Close()
	}
	if shared.srv != nil {
		shared.srv.Stop()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	return code
}

// plugin starts the environment on first use.
func plugin(t *testing.T) *env {
	t.Helper()
	startOnce.Do(func() { shared.err = shared.start() })
	if shared.err != nil {
		t.Fatalf("starting the plugin and ClickHouse: %v", shared.err)
	}
	return &shared
}

func (e *env) start() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "clickpy-dashboards-test-")
	if err != nil {
		return fmt.Errorf("creating temp dir: %w", err)
	}
	e.dir = dir
	e.cfg = sample.Config{Seed: 1, End: sampleEnd(), Size: sample.SizeTest}
	e.srv, err = chtest.Start(ctx, chtest.Config{Sample: "test", Seed: e.cfg.Seed, End: e.cfg.End, Database: "clickpy_test_dashboards"})
	if err != nil {
		return fmt.Errorf("starting ClickHouse: %w", err)
	}
	bin, err := pluginhost.Build(ctx, dir)
	if err != nil {
		return err
	}
	if e.log, err = os.Create(filepath.Join(dir, "plugin.log")); err != nil {
		return fmt.Errorf("creating plugin log: %w", err)
	}
	if e.host, err = pluginhost.Start(bin, e.log); err != nil {
		return err
	}
	e.ds = dataSourceFor(e.srv, nil)
	return nil
}

// dataSourceFor is the test server as a configured data source: the
// given jsonData (as provisioned) with the server's address, protocol
// and database, which the provisioning file leaves to the environment.
func dataSourceFor(srv *chtest.Server, jsonData map[string]any) pluginhost.DataSource {
	host, port, _ := net.SplitHostPort(srv.Options.Addr[0])
	p, _ := strconv.Atoi(port)
	proto := "native"
	if srv.Options.Protocol == clickhouse.HTTP {
		proto = "http"
	}
	jd := map[string]any{"queryTimeout": "30s", "dialTimeout": "5s"}
	for k, v := range jsonData {
		jd[k] = v
	}
	for k, v := range map[string]any{
		"host": host, "port": p, "protocol": proto, "secure": srv.Options.TLS != nil,
		"username": srv.Options.Auth.Username, "database": srv.Database,
	} {
		jd[k] = v
	}
	return pluginhost.DataSource{
		UID:      "clickpy",
		JSONData: jd,
		Secure:   map[string]string{"password": srv.Options.Auth.Password},
	}
}

// moduleRoot is where the committed dashboards and provisioning live.
func moduleRoot(t testing.TB) string {
	t.Helper()
	root, err := chtest.ModuleRoot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
