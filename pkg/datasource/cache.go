package datasource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// resultCache keeps frames by SQL and parameters: ClickPy's data changes
// once a day, and dashboards repeat the same queries on every refresh.
// Identical queries in flight run once.
//
// Entries expire on read rather than by a background sweep: the expirable
// LRU of golang-lru v2 starts a goroutine it never stops, so every instance
// Grafana replaced (on each save of the data source) left one behind.
type resultCache struct {
	lru    *lru.Cache[string, cachedFrame]
	ttl    time.Duration
	flight singleflight.Group
}

type cachedFrame struct {
	frame *data.Frame
	added time.Time
}

func newResultCache(size int, ttl time.Duration) *resultCache {
	c := &resultCache{ttl: ttl}
	if ttl > 0 {
		// New fails only for a size below 1, which the settings refuse.
		c.lru, _ = lru.New[string, cachedFrame](max(size, 1))
	}
	return c
}

func cacheKey(sql string, params map[string]string) string {
	h := sha256.New()
	h.Write([]byte(sql))
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		// Separators that cannot occur in UTF-8 text keep keys unambiguous.
		h.Write([]byte{0xff})
		h.Write([]byte(k))
		h.Write([]byte{0xfe})
		h.Write([]byte(params[k]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// get returns the cached frame or runs fn once for all callers asking for
// the same key; hit reports whether ClickHouse was spared. The frame is
// shared: callers copy it before changing anything.
func (c *resultCache) get(ctx context.Context, key string, fn func(context.Context) (*data.Frame, error)) (*data.Frame, bool, error) {
	if c.lru != nil {
		if e, ok := c.lru.Get(key); ok {
			if time.Since(e.added) < c.ttl {
				return e.frame, true, nil
			}
			c.lru.Remove(key)
		}
	}
	// ran is set only in the caller whose fn runs: the others joined a run
	// in flight and spared ClickHouse as a cache hit does.
	ran := false
	ch := c.flight.DoChan(key, func() (any, error) {
		ran = true
		// The first caller's cancellation must not fail the others, so the
		// shared run keeps the values but not the cancellation of ctx; its
		// own timeout still bounds it.
		f, err := fn(context.WithoutCancel(ctx))
		if err == nil && c.lru != nil {
			c.lru.Add(key, cachedFrame{frame: f, added: time.Now()})
			c.dropExpired()
		}
		return f, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, false, r.Err
		}
		return r.Val.(*data.Frame), !ran, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// dropExpired frees expired entries at the least recently used end, so an
// idle cache does not hold old frames until they are evicted by size.
func (c *resultCache) dropExpired() {
	for {
		k, e, ok := c.lru.GetOldest()
		if !ok || time.Since(e.added) < c.ttl {
			return
		}
		c.lru.Remove(k)
	}
}

func (c *resultCache) purge() {
	if c.lru != nil {
		c.lru.Purge()
	}
}
