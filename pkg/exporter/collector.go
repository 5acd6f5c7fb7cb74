package exporter

import (
	"fmt"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector publishes the cache's snapshot as constant metrics. It never
// queries ClickHouse itself: the HTTP handler lets the cache refresh, then
// the registry gathers whatever snapshot is current.
type Collector struct {
	cache      *Cache
	statusOnly bool
	breakdowns []Breakdown
	families   []packageFamily
	descs      map[string]*prometheus.Desc

	// The data metrics of a snapshot are built once and reused by every
	// scrape of it: with a thousand packages building them is most of a
	// scrape's cost.
	mu    sync.Mutex
	built *Snapshot
	data  []prometheus.Metric
}

// NewCollector describes the metrics for cfg's breakdowns.
func NewCollector(cache *Cache, cfg Config) *Collector { return newCollector(cache, cfg, false) }

// newCollector with statusOnly collects the exporter's status alone: the
// MetricsHandler gathers that on every scrape, and the snapshot's metrics
// once per snapshot (see snapshotMetrics).
func newCollector(cache *Cache, cfg Config, statusOnly bool) *Collector {
	c := &Collector{cache: cache, statusOnly: statusOnly, breakdowns: cfg.Breakdowns, families: packageFamilies(), descs: map[string]*prometheus.Desc{}}
	pkg := []string{labelPackage}
	for _, f := range c.families {
		c.descs[f.name] = prometheus.NewDesc(f.name, f.help, pkg, nil)
	}
	for _, b := range c.breakdowns {
		name := BreakdownMetric(b.Dimension)
		c.descs[name] = prometheus.NewDesc(name, fmt.Sprintf(
			"Downloads of the package in the 30 days ending on the last complete day by %s: its top %d values, the rest summed as %q.%s",
			b.Dimension, b.Top, b.Other, cached), []string{labelPackage, string(b.Dimension)}, nil)
	}
	add := func(name, help string, labels ...string) {
		c.descs[name] = prometheus.NewDesc(name, help, labels, nil)
	}
	add(MetricDataLastDay, "Start (UTC midnight) of the newest day in ClickPy's data, taken as the last complete day, as a Unix timestamp."+cached)
	add(MetricDataCapped, "1 when ClickHouse stops reading at a cap without an error and the exporter's user may not change that, so counts over many rows can come back low (the exporter's log says which cap); 0 otherwise.")
	add(MetricUp, "Whether the exporter's latest refresh from ClickHouse succeeded (1) or failed (0); after a failure the last good values are still served.")
	add(MetricLastSuccess, "When the exporter last refreshed its snapshot from ClickHouse successfully, as a Unix timestamp.")
	add(MetricRefreshSeconds, "How long the exporter's latest refresh from ClickHouse took, failed or not.")
	add(MetricRefreshErrors, "Refreshes from ClickHouse that failed, by kind: connection, auth, timeout, schema, query, other.", labelKind)
	add(MetricRefreshes, "Refreshes from ClickHouse attempted.")
	add(MetricTracked, "Packages in the snapshot being served: the explicit list plus the top packages.")
	return c
}

// Describe sends every descriptor; the set is fixed by the config.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// Collect sends the exporter's own metrics and the snapshot's.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.cache.Status()
	c.collectStatus(ch, st)
	if !c.statusOnly && st.Snapshot != nil {
		snapshotMetrics{c, st.Snapshot}.Collect(ch)
	}
}

// snapshotMetrics collects one snapshot's metrics, whichever snapshot the
// cache holds by then.
type snapshotMetrics struct {
	c    *Collector
	snap *Snapshot
}

func (s snapshotMetrics) Describe(ch chan<- *prometheus.Desc) { s.c.Describe(ch) }

func (s snapshotMetrics) Collect(ch chan<- prometheus.Metric) {
	for _, m := range s.c.dataMetrics(s.snap) {
		ch <- m
	}
}

func (c *Collector) collectStatus(ch chan<- prometheus.Metric, st Status) {
	up := 0.0
	if st.Up {
		up = 1
	}
	gauge := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v, labels...)
	}
	counter := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.CounterValue, v, labels...)
	}
	gauge(MetricUp, up)
	if !st.LastSuccess.IsZero() {
		gauge(MetricLastSuccess, float64(st.LastSuccess.UnixMilli())/1e3)
	}
	if st.Refreshes > 0 {
		gauge(MetricRefreshSeconds, st.LastDuration.Seconds())
	}
	counter(MetricRefreshes, float64(st.Refreshes))
	for _, k := range ErrorKinds() {
		counter(MetricRefreshErrors, float64(st.Errors[k]), k)
	}
	if st.Snapshot != nil {
		gauge(MetricTracked, float64(len(st.Snapshot.Packages)))
	}
}

func (c *Collector) dataMetrics(s *Snapshot) []prometheus.Metric {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.built == s {
		return c.data
	}
	c.data = c.build(s)
	c.built = s
	return c.data
}

// build turns a snapshot into constant metrics. Breakdowns are published
// only for the dimensions configured now, so a snapshot cannot carry a
// label the descriptors do not know.
func (c *Collector) build(s *Snapshot) []prometheus.Metric {
	out := make([]prometheus.Metric, 0, 2+len(s.Packages)*len(c.families))
	capped := 0.0
	if s.CapWarning != "" {
		capped = 1
	}
	out = append(out, prometheus.MustNewConstMetric(c.descs[MetricDataCapped], prometheus.GaugeValue, capped))
	if !s.LastDay.IsZero() {
		out = append(out, prometheus.MustNewConstMetric(c.descs[MetricDataLastDay], prometheus.GaugeValue, float64(s.LastDay.Unix())))
	}
	for i := range s.Packages {
		p := &s.Packages[i]
		for _, f := range c.families {
			if v, ok := f.value(p); ok {
				out = append(out, prometheus.MustNewConstMetric(c.descs[f.name], f.valueType, v, p.Name))
			}
		}
		for _, bv := range p.Breakdowns {
			desc, ok := c.descs[BreakdownMetric(bv.Dimension)]
			if !ok {
				continue
			}
			for _, v := range bv.Values {
				out = append(out, prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(v.Downloads), p.Name, v.Label))
			}
		}
	}
	return out
}
