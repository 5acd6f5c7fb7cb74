package exporter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/promslog"
)

// fakeSource is a loader whose answers the test scripts: each load takes
// the next result, optionally blocking until released.
type fakeSource struct {
	mu      sync.Mutex
	results []fakeResult
	loads   atomic.Int32
	release chan struct{} // when non-nil, loads wait for it
}

type fakeResult struct {
	snap *Snapshot
	err  error
}

func (f *fakeSource) load(ctx context.Context) (*Snapshot, error) {
	f.loads.Add(1)
	f.mu.Lock()
	release := f.release
	f.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.results[0]
	if len(f.results) > 1 {
		f.results = f.results[1:]
	}
	return r.snap, r.err
}

// clock is a settable now for the cache's interval checks.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func startCache(t *testing.T, f *fakeSource, interval time.Duration) (*Cache, *clock) {
	t.Helper()
	c := NewCache(f.load, interval, promslog.NewNopLogger())
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	c.now = clk.now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return c, clk
}

func snapNamed(name string) *Snapshot {
	return &Snapshot{LastDay: day("2026-10-31"), Packages: []PackageStats{{Name: name, LastDay: 1}}}
}

func waitCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestCacheFirstScrapeWaitsForFirstLoad(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{snap: snapNamed("a")}}, release: make(chan struct{})}
	c, _ := startCache(t, f, time.Minute)
	go func() {
		time.Sleep(50 * time.Millisecond)
		f.release <- struct{}{}
	}()
	c.Wait(waitCtx(t, 10*time.Second))
	st := c.Status()
	if st.Snapshot == nil || !st.Up {
		t.Fatalf("first scrape returned before the first load: %+v", st)
	}
	if n := f.loads.Load(); n != 1 {
		t.Errorf("%d loads, want 1", n)
	}
}

func TestCacheScrapeNeverWaitsPastItsTimeout(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{snap: snapNamed("a")}}, release: make(chan struct{})}
	c, _ := startCache(t, f, time.Minute)
	start := time.Now()
	c.Wait(waitCtx(t, 100*time.Millisecond))
	if took := time.Since(start); took > time.Second {
		t.Errorf("scrape waited %s with a 100ms timeout", took)
	}
	if c.Status().Snapshot != nil {
		t.Error("snapshot present although the load is still blocked")
	}
}

func TestCacheServesSnapshotWithinInterval(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{snap: snapNamed("a")}, {snap: snapNamed("b")}}}
	c, clk := startCache(t, f, 5*time.Minute)
	c.Wait(waitCtx(t, 10*time.Second))
	for range 20 {
		clk.add(10 * time.Second) // 200s in all, under the interval
		c.Wait(waitCtx(t, 10*time.Second))
	}
	if n := f.loads.Load(); n != 1 {
		t.Fatalf("%d loads within the interval, want 1", n)
	}
	clk.add(2 * time.Minute)
	c.Wait(waitCtx(t, 10*time.Second))
	waitFor(t, func() bool { return c.Status().Refreshes == 2 })
	if got := c.Status().Snapshot.Packages[0].Name; got != "b" {
		t.Errorf("after the interval the snapshot is %q, want the refreshed b", got)
	}
}

// Once a snapshot exists, a scrape that triggers a refresh is served the
// current snapshot at once rather than waiting for the new one.
func TestCacheRefreshInBackground(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{snap: snapNamed("a")}, {snap: snapNamed("b")}}}
	c, clk := startCache(t, f, time.Minute)
	c.Wait(waitCtx(t, 10*time.Second))
	f.mu.Lock()
	f.release = make(chan struct{})
	f.mu.Unlock()
	clk.add(2 * time.Minute)
	start := time.Now()
	c.Wait(waitCtx(t, 10*time.Second))
	if took := time.Since(start); took > time.Second {
		t.Errorf("scrape waited %s for a background refresh", took)
	}
	if got := c.Status().Snapshot.Packages[0].Name; got != "a" {
		t.Errorf("served %q during the refresh, want a", got)
	}
	f.release <- struct{}{}
	waitFor(t, func() bool { return c.Status().Refreshes == 2 })
}

func TestCacheKeepsLastGoodValuesOnFailure(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	f := &fakeSource{results: []fakeResult{
		{snap: snapNamed("good")},
		{err: fmt.Errorf("querying totals: %w", refused)},
		{err: fmt.Errorf("querying totals: %w", context.DeadlineExceeded)},
		{snap: snapNamed("again")},
	}}
	c, clk := startCache(t, f, time.Minute)
	c.Wait(waitCtx(t, 10*time.Second))
	good := c.Status()
	for i := 2; i <= 3; i++ {
		clk.add(time.Minute)
		c.Wait(waitCtx(t, 10*time.Second))
		waitFor(t, func() bool { return c.Status().Refreshes == uint64(i) })
		st := c.Status()
		if st.Up {
			t.Errorf("refresh %d failed but up is still 1", i)
		}
		if st.Snapshot != good.Snapshot || st.LastSuccess != good.LastSuccess {
			t.Errorf("refresh %d failed and the last good snapshot was dropped", i)
		}
	}
	// After a failure the next try comes sooner than the interval, but
	// not at every scrape.
	clk.add(failedRetryInterval / 2)
	c.Wait(waitCtx(t, 10*time.Second))
	time.Sleep(20 * time.Millisecond)
	if n := c.Status().Refreshes; n != 3 {
		t.Fatalf("%d refreshes: a failure was retried before failedRetryInterval", n)
	}
	clk.add(failedRetryInterval / 2)
	c.Wait(waitCtx(t, 10*time.Second))
	waitFor(t, func() bool { return c.Status().Refreshes == 4 })
	if got := c.Status().Snapshot.Packages[0].Name; !c.Status().Up || got != "again" {
		t.Errorf("no quick retry after a failure: up %v, snapshot %q", c.Status().Up, got)
	}
	st := c.Status()
	if st.Errors[KindConnection] != 1 || st.Errors[KindTimeout] != 1 {
		t.Errorf("errors by kind: %v", st.Errors)
	}
	if st.LastError != nil {
		t.Errorf("last error after recovery: %v", st.LastError)
	}
}

// A failed first load does not make every later scrape wait: without a
// refresh running there is nothing to wait for. A second on, a scrape
// tries again.
func TestCacheNoWaitAfterFailedFirstLoad(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{err: errors.New("boom")}, {snap: snapNamed("late")}}}
	c, clk := startCache(t, f, time.Minute)
	c.Wait(waitCtx(t, 10*time.Second))
	waitFor(t, func() bool { return c.Status().Refreshes == 1 })
	start := time.Now()
	c.Wait(waitCtx(t, 10*time.Second))
	if took := time.Since(start); took > time.Second {
		t.Errorf("waited %s with no refresh due", took)
	}
	if c.Status().Errors[KindOther] != 1 {
		t.Errorf("errors: %v", c.Status().Errors)
	}
	// With nothing to serve, the next scrape a second later tries again
	// and waits for it.
	clk.add(noSnapshotRetryInterval)
	c.Wait(waitCtx(t, 10*time.Second))
	if st := c.Status(); st.Snapshot == nil || st.Snapshot.Packages[0].Name != "late" {
		t.Errorf("no retry while there is no snapshot: %+v", st)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A refresh cut short by the exporter's own shutdown is no ClickHouse
// failure: it is neither counted nor logged as one.
func TestCacheShutdownIsNoRefreshError(t *testing.T) {
	f := &fakeSource{results: []fakeResult{{snap: snapNamed("a")}}, release: make(chan struct{})}
	var logs bytes.Buffer
	c := NewCache(f.load, time.Minute, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	for f.loads.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	st := c.Status()
	if st.Refreshes != 0 || sumErrors(st.Errors) != 0 {
		t.Errorf("shutdown counted as a refresh: %+v", st)
	}
	if strings.Contains(logs.String(), "failed") {
		t.Errorf("shutdown logged as a failure:\n%s", logs.String())
	}
}

func sumErrors(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}
