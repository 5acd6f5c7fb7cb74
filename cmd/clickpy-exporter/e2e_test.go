package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// update rewrites the end-to-end fixture instead of comparing with it:
// go test ./cmd/clickpy-exporter -run TestEndToEndFixture -update
var update = flag.Bool("update", false, "rewrite testdata/e2e-output.txt from this run")

// fixturePath holds the exporter's /metrics on the test set, as
// node_exporter's collector/fixtures/e2e-output.txt holds its own.
const fixturePath = "testdata/e2e-output.txt"

// volatile are the metric families whose values depend on the build, the
// machine or the clock rather than on the data: left out of the fixture.
var volatile = regexp.MustCompile(`^(go_|process_|promhttp_|clickpy_exporter_build_info|` +
	`clickpy_exporter_refresh_duration_seconds|clickpy_exporter_last_refresh_success_timestamp_seconds)`)

// The exporter's whole /metrics on the test set (fixed seed and end day),
// with every breakdown and mirrors excluded, is the committed fixture once
// the volatile families are left out, and promtool check metrics passes
// on it as scraped.
func TestEndToEndFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: starts ClickHouse and the exporter")
	}
	promtool := hosttools.Require(t, "promtool")
	end := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	srv, err := chtest.Start(context.Background(), chtest.Config{Sample: "test", Seed: 7, End: end, Database: "clickpy_test_exporter_e2e"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	dsn := "http://default@" + srv.Addr
	if srv.Real {
		dsn = os.Getenv(chtest.EnvURL)
	}
	cfgPath := filepath.Join(t.TempDir(), "exporter.yml")
	if err := os.WriteFile(cfgPath, fmt.Appendf(nil, `database: %s
packages: [%s, %s, no-such-package]
topPackages: 2
breakdowns:
  version: {top: 3}
  country_code: {top: 3}
  python_minor: {top: 3, other: rest}
  installer: {top: 2}
  system: {top: 2}
  type: {top: 2}
minRefreshInterval: 1h
excludeMirrors: true
`, srv.Database, sample.DropPackage, sample.HotPackage), 0o600); err != nil {
		t.Fatal(err)
	}
	exp := startExporter(t, []string{"--config.file=" + cfgPath, "--clickhouse.url=" + dsn}, nil)
	base := "http://" + exp.addr
	waitUntil(t, "the first snapshot is loaded", 2*time.Minute, func() bool {
		code, _ := get(t, base+"/-/ready")
		return code == http.StatusOK
	})
	code, body := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}

	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = strings.NewReader(body)
	if out, err := check.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}

	got := stableLines(body)
	if *update {
		if err := os.MkdirAll(filepath.Dir(fixturePath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fixturePath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", fixturePath)
		return
	}
	want, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("/metrics differs from %s (rewrite it with -update if the change is meant):\n%s", fixturePath, lineDiff(string(want), got))
	}
}

// stableLines keeps the exposition's lines, comments included, of the
// families that do not depend on build, machine or clock.
func stableLines(body string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(body, "\n") {
		name := line
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			name = rest
		} else if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name = rest
		}
		if line == "" || volatile.MatchString(name) {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// lineDiff lists the lines only one side has, in order.
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	if b.Len() == 0 {
		return "(same lines, in another order)"
	}
	return b.String()
}
