package datasource

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestCacheRunsIdenticalQueriesOnce(t *testing.T) {
	c := newResultCache(10, time.Minute)
	var runs atomic.Int32
	release := make(chan struct{})
	fn := func(context.Context) (*data.Frame, error) {
		runs.Add(1)
		<-release
		return data.NewFrame("x"), nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := c.get(context.Background(), "k", fn); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Fatalf("%d runs for 20 identical queries in flight", n)
	}
	if _, hit, _ := c.get(context.Background(), "k", fn); !hit {
		t.Fatal("no cache hit after the run")
	}
}

func TestCacheExpiresAndIsBounded(t *testing.T) {
	c := newResultCache(2, 50*time.Millisecond)
	fn := func(context.Context) (*data.Frame, error) { return data.NewFrame("x"), nil }
	for _, k := range []string{"a", "b", "c"} {
		if _, _, err := c.get(context.Background(), k, fn); err != nil {
			t.Fatal(err)
		}
	}
	if c.lru.Len() != 2 {
		t.Fatalf("%d entries, bound is 2", c.lru.Len())
	}
	time.Sleep(120 * time.Millisecond)
	if _, hit, _ := c.get(context.Background(), "c", fn); hit {
		t.Fatal("entry outlived its TTL")
	}
}

func TestCacheKeepsErrorsOutAndSurvivesCancel(t *testing.T) {
	c := newResultCache(10, time.Minute)
	boom := errors.New("boom")
	if _, _, err := c.get(context.Background(), "k", func(context.Context) (*data.Frame, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if _, hit, _ := c.get(context.Background(), "k", func(context.Context) (*data.Frame, error) { return data.NewFrame("x"), nil }); hit {
		t.Fatal("an error was cached")
	}
	// The first caller gives up; a second caller of the same key still gets
	// the result of the shared run.
	release := make(chan struct{})
	slow := func(ctx context.Context) (*data.Frame, error) {
		select {
		case <-release:
			return data.NewFrame("slow"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, _, err := c.get(ctx, "s", slow); done <- err }()
	time.Sleep(20 * time.Millisecond)
	second := make(chan error, 1)
	go func() { _, _, err := c.get(context.Background(), "s", slow); second <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("second caller failed with the first's cancellation: %v", err)
	}
}

func TestCacheOff(t *testing.T) {
	c := newResultCache(10, 0)
	fn := func(context.Context) (*data.Frame, error) { return data.NewFrame("x"), nil }
	c.get(context.Background(), "k", fn)
	if _, hit, _ := c.get(context.Background(), "k", fn); hit {
		t.Fatal("a TTL of 0 still cached")
	}
}

func TestCacheKeyDistinguishesParams(t *testing.T) {
	a := cacheKey("SELECT {a:String}", map[string]string{"a": "x", "b": "y"})
	b := cacheKey("SELECT {a:String}", map[string]string{"a": "xb", "": "y"})
	c := cacheKey("SELECT {a:String}", map[string]string{"b": "y", "a": "x"})
	if a == b || a != c {
		t.Fatalf("keys: %s %s %s", a, b, c)
	}
}

// BenchmarkResultCacheHit is the cache lookup alone, in process.
func BenchmarkResultCacheHit(b *testing.B) {
	c := newResultCache(1000, time.Minute)
	fn := func(context.Context) (*data.Frame, error) { return data.NewFrame("x"), nil }
	key := cacheKey("SELECT 1", map[string]string{"p": "requests"})
	c.get(context.Background(), key, fn)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, hit, _ := c.get(context.Background(), key, fn); !hit {
			b.Fatal("miss")
		}
	}
}
