package datasource

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the plugin's own metrics. Grafana scrapes them through the
// SDK, which serves the default registry; they are made once in main and
// shared by every data-source instance, since registering twice fails.
type Metrics struct {
	Queries     *prometheus.CounterVec
	Latency     *prometheus.HistogramVec
	CacheHits   prometheus.Counter
	CacheMisses prometheus.Counter
	ViewChosen  *prometheus.CounterVec
	RowsRead    *prometheus.CounterVec
}

// NewMetrics creates the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "queries_total",
			Help: "Panel, alert and variable queries answered, by query type and outcome (ok, error, bad_request).",
		}, []string{"query_type", "outcome"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "clickhouse_query_duration_seconds",
			Help:    "Time ClickHouse took to answer a query, cache misses only.",
			Buckets: prometheus.ExponentialBuckets(0.002, 2.5, 12),
		}, []string{"query_type"}),
		CacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "cache_hits_total",
			Help: "Queries answered from the result cache.",
		}),
		CacheMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "cache_misses_total",
			Help: "Queries that went to ClickHouse.",
		}),
		ViewChosen: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "source_table_total",
			Help: "Queries by the table chosen to count downloads (a summary view or the raw pypi table).",
		}, []string{"table"}),
		RowsRead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "clickpy", Subsystem: "plugin", Name: "rows_read_total",
			Help: "Rows ClickHouse read for the plugin's queries, as the server reported them, by the table chosen (user_sql for sql queries without $__table); cache misses only.",
		}, []string{"table"}),
	}
	for _, c := range []prometheus.Collector{m.Queries, m.Latency, m.CacheHits, m.CacheMisses, m.ViewChosen, m.RowsRead} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
