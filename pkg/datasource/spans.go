package datasource

import (
	"context"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
)

// maxCachedSpans bounds the packages whose days are kept: ClickPy holds
// some 600,000 packages, dashboards look at a few.
const maxCachedSpans = 4096

// spanCache keeps packages' first and last days for as long as the
// catalogue they were read with: both go stale together.
type spanCache struct {
	mu     sync.Mutex
	readAt time.Time
	spans  map[string]catalog.Span
}

// lookup returns the cached spans of pkgs and the packages not cached.
func (c *spanCache) lookup(cat *catalog.Catalog, pkgs []string) (map[string]catalog.Span, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.readAt.Equal(cat.ReadAt) {
		c.readAt, c.spans = cat.ReadAt, map[string]catalog.Span{}
	}
	found := make(map[string]catalog.Span, len(pkgs))
	var missing []string
	for _, p := range pkgs {
		if s, ok := c.spans[p]; ok {
			found[p] = s
		} else {
			missing = append(missing, p)
		}
	}
	return found, missing
}

func (c *spanCache) store(cat *catalog.Catalog, spans map[string]catalog.Span) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.readAt.Equal(cat.ReadAt) {
		return
	}
	if len(c.spans)+len(spans) > maxCachedSpans {
		c.spans = map[string]catalog.Span{}
	}
	for p, s := range spans {
		c.spans[p] = s
	}
}

// packageSpans returns the first and last days of pkgs, reading those not
// cached in one query. A failed read is logged and leaves them out: the
// query is then answered from a dated table, still right.
func (i *Instance) packageSpans(ctx context.Context, cat *catalog.Catalog, pkgs []string) map[string]catalog.Span {
	found, missing := i.spans.lookup(cat, pkgs)
	if len(missing) == 0 {
		return found
	}
	var read map[string]catalog.Span
	err := i.do(ctx, func(ctx context.Context) (err error) {
		read, err = cat.ReadSpans(ctx, i.conn, missing)
		return err
	})
	if err != nil {
		log.DefaultLogger.Warn("reading packages' first and last days; answering from dated tables", "packages", missing, "error", err)
		return found
	}
	i.spans.store(cat, read)
	for p, s := range read {
		found[p] = s
	}
	return found
}
