package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// The web side without ClickHouse: basic auth from --web.config.file,
// the landing page, readiness, up 0 with the failure counted, and the
// password nowhere in the log even at debug level.
func TestWebConfigLandingPageAndNoClickHouse(t *testing.T) {
	dir := t.TempDir()
	hash, err := bcrypt.GenerateFromPassword([]byte("scrape-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webConfig := filepath.Join(dir, "web.yml")
	if err := os.WriteFile(webConfig, fmt.Appendf(nil, "basic_auth_users:\n  prometheus: %s\n", hash), 0o600); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "exporter.yml")
	if err := os.WriteFile(config, []byte("packages: [requests]\nbreakdowns:\n  installer: {top: 3}\nminRefreshInterval: 1s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "ch-Secret-7f3a"
	e := startExporter(t, []string{
		"--web.config.file=" + webConfig,
		"--config.file=" + config,
		"--clickhouse.url=http://reader:" + secret + "-url@" + closedPort(t) + "/clickpy",
		"--log.level=debug",
		"--scrape.timeout=2s",
	}, map[string]string{passwordEnv: secret})
	base := "http://" + e.addr

	if code, _ := get(t, base+"/metrics"); code != http.StatusUnauthorized {
		t.Errorf("metrics without credentials: %d", code)
	}
	if code, _ := get(t, base+"/metrics", "prometheus", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("metrics with a wrong password: %d", code)
	}
	code, body := get(t, base+"/", "prometheus", "scrape-pw")
	if code != http.StatusOK || !strings.Contains(body, `href="/metrics"`) || !strings.Contains(body, "<code>installer</code>: top 3") ||
		!strings.Contains(body, "<code>clickpy</code>") {
		t.Errorf("landing page %d:\n%s", code, body)
	}
	if code, _ := get(t, base+"/-/healthy", "prometheus", "scrape-pw"); code != http.StatusOK {
		t.Errorf("healthy: %d", code)
	}
	if code, _ := get(t, base+"/-/ready", "prometheus", "scrape-pw"); code != http.StatusServiceUnavailable {
		t.Errorf("ready without a snapshot: %d", code)
	}
	code, body = get(t, base+"/metrics", "prometheus", "scrape-pw")
	for _, want := range []string{"\nclickpy_up 0\n", `clickpy_exporter_refresh_errors_total{kind="connection"} 1`, "clickpy_exporter_build_info{", "process_resident_memory_bytes"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics (%d) lack %q", code, want)
		}
	}
	if strings.Contains(body, "clickpy_package_") {
		t.Error("package metrics without ever reaching ClickHouse")
	}
	if code := e.stop(); code != 0 {
		t.Errorf("exit status %d after shutdown", code)
	}
	logs := e.logs.String()
	if strings.Contains(logs, secret) {
		t.Errorf("the password reached the log:\n%s", logs)
	}
	if !strings.Contains(logs, "kind=connection") || !strings.Contains(logs, "database=clickpy") || !strings.Contains(logs, "user=reader") {
		t.Errorf("log lacks the refresh failure or connection summary:\n%s", logs)
	}
}

// --web.disable-exporter-metrics drops the Go, process and promhttp
// metrics and keeps build info and the exporter's status, as in
// node_exporter.
func TestDisableExporterMetrics(t *testing.T) {
	e := startExporter(t, []string{"--web.disable-exporter-metrics", "--clickhouse.url=http://" + closedPort(t), "--scrape.timeout=1s"}, nil)
	code, body := get(t, "http://"+e.addr+"/metrics")
	for _, prefix := range []string{"go_", "process_", "promhttp_"} {
		if strings.Contains(body, "\n"+prefix) || strings.HasPrefix(body, prefix) {
			t.Errorf("%s* metrics with --web.disable-exporter-metrics", prefix)
		}
	}
	for _, want := range []string{"clickpy_exporter_build_info{", "\nclickpy_up 0\n", "clickpy_exporter_refresh_errors_total"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics (%d) lack %q", code, want)
		}
	}
}

func TestConfigErrorStopsStartup(t *testing.T) {
	config := filepath.Join(t.TempDir(), "exporter.yml")
	if err := os.WriteFile(config, []byte("topPackages: lots\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	code := run(t.Context(), []string{"--config.file=" + config, "--web.listen-address=127.0.0.1:0"}, &out, &out, func(string) string { return "" })
	if code != 1 || !strings.Contains(out.String(), "topPackages (line 1)") {
		t.Errorf("exit %d, output %q", code, out.String())
	}
}
