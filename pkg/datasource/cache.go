package datasource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/sync/singleflight"
)

// resultCache keeps frames by SQL and parameters: ClickPy's data changes
// once a day, and dashboards repeat the same queries on every refresh.
// Identical queries in flight run once.
type resultCache struct {
	lru    *expirable.LRU[string, *data.Frame]
	flight singleflight.Group
}

func newResultCache(size int, ttl time.Duration) *resultCache {
	c := &resultCache{}
	if ttl > 0 {
		c.lru = expirable.NewLRU[string, *data.Frame](size, nil, ttl)
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
		if f, ok := c.lru.Get(key); ok {
			return f, true, nil
		}
	}
	ch := c.flight.DoChan(key, func() (any, error) {
		// The first caller's cancellation must not fail the others, so the
		// shared run keeps the values but not the cancellation of ctx; its
		// own timeout still bounds it.
		f, err := fn(context.WithoutCancel(ctx))
		if err == nil && c.lru != nil {
			c.lru.Add(key, f)
		}
		return f, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, false, r.Err
		}
		return r.Val.(*data.Frame), false, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

func (c *resultCache) purge() {
	if c.lru != nil {
		c.lru.Purge()
	}
}
