// Package datasource is the Grafana data-source instance: it turns the
// settings Grafana stores into a ClickHouse connection and answers
// QueryData, CheckHealth and CallResource by way of the query model, the
// view catalogue, SQL building and frames.
package datasource

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querylimits"
)

// PluginID is the data source's id; it must match plugin.json.
const PluginID = "clickpy-pypi-datasource"

const (
	// catalogTTL is how long a read catalogue is trusted: views are
	// created rarely, but a missing one should be noticed within minutes.
	catalogTTL = 5 * time.Minute
	// maxResultRows keeps a runaway user query from filling memory: the
	// server stops where frames would refuse the result anyway.
	maxResultRows = frames.MaxRows
	// parallelQueries bounds how many of one request's queries run at once.
	parallelQueries = 4
)

// Instance is one configured data source.
type Instance struct {
	settings Settings
	conn     driver.Conn
	metrics  *Metrics
	cache    *resultCache
	limits   *querylimits.Limits

	mu      sync.Mutex
	catalog *catalog.Catalog
	// spans are packages' first and last days, read with the catalogue.
	spans spanCache
}

// NewFactory returns the SDK's instance factory, sharing one set of
// metrics between instances.
func NewFactory(m *Metrics) datasource.InstanceFactoryFunc {
	return func(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
		return NewInstance(ctx, s, m)
	}
}

// NewInstance checks the settings and opens the connection pool. With m
// nil (an instance outside Grafana, as in benchmarks) its metrics go to a
// registry nobody reads.
func NewInstance(_ context.Context, s backend.DataSourceInstanceSettings, m *Metrics) (*Instance, error) {
	st, err := LoadSettings(s)
	if err != nil {
		return nil, err
	}
	if m == nil {
		if m, err = NewMetrics(prometheus.NewRegistry()); err != nil {
			return nil, err
		}
	}
	conn, err := open(st)
	if err != nil {
		return nil, err
	}
	extra := clickhouse.Settings{}
	for _, s := range st.Settings {
		extra[s.Name] = clickhouse.CustomSetting{Value: s.Value}
	}
	return &Instance{settings: st, conn: conn, metrics: m, cache: newResultCache(st.CacheSize, st.CacheTTL),
		limits: querylimits.New(st.QueryTimeout, maxResultRows, extra)}, nil
}

// do runs fn under the query limits, dropping settings the server refuses
// (see querylimits).
func (i *Instance) do(ctx context.Context, fn func(ctx context.Context) error) error {
	return i.limits.Do(ctx, i.conn, fn)
}

// Dispose closes the pool when Grafana replaces the instance.
func (i *Instance) Dispose() {
	i.cache.purge()
	_ = i.conn.Close()
}

// catalogue returns the view catalogue, reading it again when older than
// catalogTTL. A failed read keeps no stale copy beyond its age.
func (i *Instance) catalogue(ctx context.Context) (*catalog.Catalog, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.catalog != nil && time.Since(i.catalog.ReadAt) < catalogTTL {
		return i.catalog, nil
	}
	var c *catalog.Catalog
	err := i.do(ctx, func(ctx context.Context) (err error) {
		c, err = catalog.Read(ctx, i.conn, i.settings.Database)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading which ClickPy tables exist: %w", err)
	}
	i.catalog = c
	return c, nil
}
