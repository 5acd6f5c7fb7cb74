package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/promslog"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/exporter"
)

// benchConfigs are the two shapes measured: the plain families only, and
// every breakdown at the default top 10 (72 series a package).
func benchConfigs(db string) map[string]exporter.Config {
	plain := exporter.DefaultConfig()
	plain.Database, plain.TopPackages = db, 1000
	all := plain
	all.Breakdowns = nil
	for _, d := range exporter.Dimensions() {
		all.Breakdowns = append(all.Breakdowns, exporter.Breakdown{Dimension: d, Top: exporter.DefaultBreakdownTop, Other: exporter.DefaultOther})
	}
	return map[string]exporter.Config{"plain": plain, "all_breakdowns_top10": all}
}

// BenchmarkDemo runs on the demo set (about 5M downloads, kept in
// .data/bench-exporter between runs; the first run loads it in about a
// minute) with the top 1,000 packages tracked:
//
//   - refresh: one Loader.Load, every family query;
//   - process: the exporter binary itself, reporting its first refresh,
//     a scrape and its resident memory (VmRSS, and the peak VmHWM).
func BenchmarkDemo(b *testing.B) {
	ctx := context.Background()
	srv, conn := chtest.StartTB(b, chtest.DemoConfig("clickpy_bench_exporter"))
	configs := benchConfigs(srv.Database)

	for _, name := range []string{"plain", "all_breakdowns_top10"} {
		cfg := configs[name]
		b.Run("refresh/"+name, func(b *testing.B) {
			l := exporter.NewLoader(conn, cfg, promslog.NewNopLogger())
			for b.Loop() {
				snap, err := l.Load(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(snap.Packages) != 1000 {
					b.Fatalf("%d packages tracked", len(snap.Packages))
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/refresh")
		})
	}

	if srv.Real {
		return
	}
	bin := filepath.Join(b.TempDir(), "clickpy-exporter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building the exporter: %v\n%s", err, out)
	}
	for _, name := range []string{"plain", "all_breakdowns_top10"} {
		b.Run("process/"+name, func(b *testing.B) {
			for b.Loop() {
				benchProcess(b, bin, "http://"+srv.Addr, configs[name])
			}
		})
	}
}

// benchProcess starts the exporter binary, scrapes it once its first
// snapshot is loaded, and reports time and memory figures.
func benchProcess(b *testing.B, bin, url string, cfg exporter.Config) {
	b.Helper()
	dir := b.TempDir()
	var yml strings.Builder
	fmt.Fprintf(&yml, "database: %s\ntopPackages: %d\n", cfg.Database, cfg.TopPackages)
	if len(cfg.Breakdowns) > 0 {
		yml.WriteString("breakdowns:\n")
	}
	for _, bd := range cfg.Breakdowns {
		fmt.Fprintf(&yml, "  %s: {top: %d}\n", bd.Dimension, bd.Top)
	}
	cfgPath := filepath.Join(dir, "exporter.yml")
	if err := os.WriteFile(cfgPath, []byte(yml.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	addr := freePort(b)
	cmd := exec.Command(bin, "--config.file="+cfgPath, "--clickhouse.url="+url, "--web.listen-address="+addr, "--log.level=warn")
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	ready := time.Time{}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if code, _, err := fetch("http://" + addr + "/-/ready"); err == nil && code == 200 {
			ready = time.Now()
			break
		}
	}
	if ready.IsZero() {
		b.Fatal("exporter not ready within 5 minutes")
	}
	scrapeStart := time.Now()
	_, body, err := fetch("http://" + addr + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	scrape := time.Since(scrapeStart)
	refresh := metricValue(body, "clickpy_exporter_refresh_duration_seconds")
	rss, hwm := procMemory(b, cmd.Process.Pid)
	b.ReportMetric(ready.Sub(start).Seconds(), "s-to-ready")
	b.ReportMetric(refresh, "s-first-refresh")
	b.ReportMetric(float64(scrape.Microseconds())/1e3, "ms-scrape")
	b.ReportMetric(float64(strings.Count(body, "\nclickpy_package_")), "series")
	b.ReportMetric(rss/(1<<20), "MiB-RSS")
	b.ReportMetric(hwm/(1<<20), "MiB-peak-RSS")
}

func fetch(url string) (int, string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func metricValue(body, name string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// procMemory reads VmRSS and VmHWM, in bytes, from /proc.
func procMemory(b *testing.B, pid int) (rss, hwm float64) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[2] == "kB" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			switch f[0] {
			case "VmRSS:":
				rss = kb * 1024
			case "VmHWM:":
				hwm = kb * 1024
			}
		}
	}
	return rss, hwm
}
