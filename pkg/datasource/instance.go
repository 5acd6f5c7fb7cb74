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
	"github.com/clickpy/clickpy-grafana/pkg/failover"
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
	// maxIdleConns is the most connections the pool keeps idle.
	maxIdleConns = 5
)

// Instance is one configured data source.
type Instance struct {
	settings Settings
	conn     driver.Conn
	metrics  *Metrics
	cache    *resultCache
	limits   *querylimits.Limits

	// mu guards the catalogue and its read in flight; it is never held
	// across a network call.
	mu      sync.Mutex
	catalog *catalog.Catalog
	reading *catalogRead
	// spans are packages' first and last days, read with the catalogue.
	spans spanCache
}

// catalogRead is one read of the catalogue that every query needing it
// waits for, each only as long as its own context lasts.
type catalogRead struct {
	done chan struct{}
	cat  *catalog.Catalog
	err  error
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
		limits: querylimits.New(st.QueryTimeout, maxResultRows, st.MaxResultBytes, extra)}, nil
}

// do runs fn under the query limits, dropping settings the server refuses
// (see querylimits), and again when its connection broke (see failover):
// as often as the pool may hold connections to a server that went, plus
// one per address.
func (i *Instance) do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts := len(i.settings.Addrs) + min(i.settings.MaxOpenConns, maxIdleConns)
	return failover.Do(ctx, attempts, func(ctx context.Context) error { return i.limits.Do(ctx, i.conn, fn) })
}

// Dispose closes the pool when Grafana replaces the instance.
func (i *Instance) Dispose() {
	i.cache.purge()
	_ = i.conn.Close()
}

// catalogue returns the view catalogue, reading it again when older than
// catalogTTL (or always, with fresh). Concurrent callers share one read;
// each stops waiting when its own context ends, and the read itself runs
// under the query timeout whoever waits for it. A failed read is kept for
// no one: the next caller starts another.
func (i *Instance) catalogue(ctx context.Context, fresh bool) (*catalog.Catalog, error) {
	i.mu.Lock()
	if !fresh && i.catalog != nil && time.Since(i.catalog.ReadAt) < catalogTTL {
		c := i.catalog
		i.mu.Unlock()
		return c, nil
	}
	r := i.reading
	if r == nil {
		r = &catalogRead{done: make(chan struct{})}
		i.reading = r
		go i.readCatalogue(context.WithoutCancel(ctx), r)
	}
	i.mu.Unlock()
	select {
	case <-r.done:
		return r.cat, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("reading which ClickPy tables exist: %w", ctx.Err())
	}
}

func (i *Instance) readCatalogue(ctx context.Context, r *catalogRead) {
	defer close(r.done)
	err := i.do(ctx, func(ctx context.Context) (err error) {
		r.cat, err = catalog.ReadWithGitHub(ctx, i.conn, i.settings.Database, i.settings.GitHubDatabase)
		return err
	})
	i.mu.Lock()
	defer i.mu.Unlock()
	i.reading = nil
	if err != nil {
		r.cat, r.err = nil, fmt.Errorf("reading which ClickPy tables exist: %w", err)
		return
	}
	i.catalog = r.cat
}
