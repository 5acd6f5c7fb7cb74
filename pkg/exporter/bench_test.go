package exporter

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// benchSnapshot is 1,000 packages, each with every configured breakdown
// full (top values and other).
func benchSnapshot(cfg Config, packages int) *Snapshot {
	s := &Snapshot{LastDay: day("2026-10-31")}
	for i := range packages {
		p := PackageStats{
			Name: fmt.Sprintf("package-%04d", i), Total: uint64(1e9 / (i + 1)), LastDay: uint64(1e6 / (i + 1)),
			Last7Days: uint64(7e6 / (i + 1)), Last30Days: uint64(3e7 / (i + 1)), Prior7Days: uint64(7e6 / (i + 1)),
			NewestDay: s.LastDay,
		}
		for _, b := range cfg.Breakdowns {
			bv := BreakdownValues{Dimension: b.Dimension}
			for v := range b.Top {
				bv.Values = append(bv.Values, LabelCount{fmt.Sprintf("%s-value-%d", b.Dimension, v), uint64(1000 - v)})
			}
			bv.Values = append(bv.Values, LabelCount{b.Other, 5})
			p.Breakdowns = append(p.Breakdowns, bv)
		}
		s.Packages = append(s.Packages, p)
	}
	return s
}

// BenchmarkScrape is one scrape of /metrics served from a snapshot of
// 1,000 packages, through the same handler and registry shape as the
// exporter (Go collector included), with and without gzip. The goal is
// under 50 ms a scrape.
func BenchmarkScrape(b *testing.B) {
	all := DefaultConfig()
	for _, d := range Dimensions() {
		all.Breakdowns = append(all.Breakdowns, Breakdown{d, DefaultBreakdownTop, DefaultOther})
	}
	one := DefaultConfig()
	one.Breakdowns = []Breakdown{{PythonMinor, 5, DefaultOther}}
	configs := map[string]Config{"plain": DefaultConfig(), "python_minor_top5": one, "all_breakdowns_top10": all}
	for _, name := range []string{"plain", "python_minor_top5", "all_breakdowns_top10"} {
		cfg := configs[name]
		for _, gz := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/gzip=%v", name, gz), func(b *testing.B) {
				snap := benchSnapshot(cfg, 1000)
				cache := NewCache(nil, time.Hour, nil)
				cache.status.Snapshot, cache.status.Up, cache.lastStart = snap, true, time.Now()
				reg := prometheus.NewRegistry()
				reg.MustRegister(collectors.NewGoCollector())
				srv := httptest.NewServer(MetricsHandler(cache, cfg, HandlerOpts{Registry: reg, ExporterMetrics: true, DefaultTimeout: 10 * time.Second}))
				defer srv.Close()
				client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
				scrape := func() int64 {
					req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
					if gz {
						req.Header.Set("Accept-Encoding", "gzip")
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					return n
				}
				// The first scrape of a snapshot builds, gathers and encodes
				// its metrics; the others reuse them.
				first := time.Now()
				size := scrape()
				firstTook := time.Since(first)
				b.ResetTimer()
				start := time.Now()
				for b.Loop() {
					scrape()
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/scrape")
				b.ReportMetric(float64(size)/1024, "KiB/scrape")
				b.ReportMetric(float64(firstTook.Microseconds())/1e3, "first_ms")
				c := cfg
				c.Packages, c.TopPackages = nil, len(snap.Packages)
				b.ReportMetric(float64(c.SeriesEstimate()), "series")
			})
		}
	}
}

// BenchmarkSnapshotMemory reports the heap a 1,000-package snapshot and
// its built metrics hold, the part of resident memory that grows with the
// config.
func BenchmarkSnapshotMemory(b *testing.B) {
	cfg := DefaultConfig()
	for _, d := range Dimensions() {
		cfg.Breakdowns = append(cfg.Breakdowns, Breakdown{d, DefaultBreakdownTop, DefaultOther})
	}
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		cache := NewCache(nil, time.Hour, nil)
		cache.status.Snapshot = benchSnapshot(cfg, 1000)
		c := NewCollector(cache, cfg)
		m := c.dataMetrics(cache.status.Snapshot)
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-heap")
}
