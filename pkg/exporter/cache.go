package exporter

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// failedRetryInterval is how soon a scrape may retry after a failed
// refresh when that is sooner than the minimum interval, so the exporter
// recovers within seconds of ClickHouse coming back (or finishing its
// start-up) instead of serving stale values for the whole interval.
const failedRetryInterval = 15 * time.Second

// noSnapshotRetryInterval applies while there is nothing to serve yet
// (ClickHouse was down or still loading at start-up): every scrape may
// try again, since each waits for its try anyway.
const noSnapshotRetryInterval = time.Second

// LoadFunc builds a snapshot; Loader.Load is the real one.
type LoadFunc func(ctx context.Context) (*Snapshot, error)

// Status is what the exporter knows at one moment: the last good snapshot
// and how refreshing has gone.
type Status struct {
	// Snapshot is the last good one; nil until a refresh succeeds. A failed
	// refresh leaves it in place, so values survive a ClickHouse outage.
	Snapshot *Snapshot
	// Up is whether the latest refresh succeeded.
	Up           bool
	LastSuccess  time.Time
	LastDuration time.Duration
	Refreshes    uint64
	Errors       map[string]uint64
	LastError    error
}

// Cache keeps the latest snapshot and refreshes it at most once per
// minimum interval, when a scrape finds it older than that. Scrapes never
// wait for a refresh except while there is no snapshot yet, and then only
// as long as their own deadline allows.
type Cache struct {
	load        LoadFunc
	minInterval time.Duration
	logger      *slog.Logger
	now         func() time.Time
	// start hands a requested refresh to Run; buffered so trigger never
	// blocks (a new request is only made once the previous one is done).
	start chan chan struct{}

	mu        sync.Mutex
	status    Status
	running   chan struct{} // closed when the running refresh ends
	lastStart time.Time
	observers []func(*Snapshot)
}

// OnSnapshot calls f with every new snapshot, on the refreshing goroutine
// and before the refresh counts as done, so work that depends only on the
// snapshot (encoding it for scrapes) is not left to a scrape.
func (c *Cache) OnSnapshot(f func(*Snapshot)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.observers = append(c.observers, f)
}

// NewCache returns a cache that refreshes through load; call Run.
func NewCache(load LoadFunc, minInterval time.Duration, logger *slog.Logger) *Cache {
	errs := make(map[string]uint64, len(ErrorKinds()))
	for _, k := range ErrorKinds() {
		errs[k] = 0
	}
	return &Cache{
		load:        load,
		minInterval: minInterval,
		logger:      logger,
		now:         time.Now,
		start:       make(chan chan struct{}, 1),
		status:      Status{Errors: errs},
	}
}

// Run performs refreshes until ctx ends, starting with the first load at
// once so the first scrape waits as little as possible.
func (c *Cache) Run(ctx context.Context) {
	c.trigger()
	for {
		select {
		case <-ctx.Done():
			return
		case done := <-c.start:
			c.refresh(ctx)
			c.mu.Lock()
			c.running = nil
			c.mu.Unlock()
			close(done)
		}
	}
}

// trigger asks for a refresh when the last one started at least the
// minimum interval ago (sooner after a failure) and none is running. It returns the channel closed when the running refresh ends,
// nil when none runs.
func (c *Cache) trigger() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running != nil {
		return c.running
	}
	interval := c.minInterval
	switch {
	case c.status.Refreshes > 0 && c.status.Snapshot == nil:
		interval = min(interval, noSnapshotRetryInterval)
	case c.status.Refreshes > 0 && !c.status.Up:
		interval = min(interval, failedRetryInterval)
	}
	if !c.lastStart.IsZero() && c.now().Sub(c.lastStart) < interval {
		return nil
	}
	c.running = make(chan struct{})
	c.lastStart = c.now()
	c.start <- c.running
	return c.running
}

// Wait is called by each scrape before collecting: it starts a refresh if
// the snapshot is due, and while no snapshot exists yet waits for the
// running refresh or until ctx ends, whichever is first.
func (c *Cache) Wait(ctx context.Context) {
	done := c.trigger()
	if done == nil || c.Status().Snapshot != nil {
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// Status returns a copy of the current state.
func (c *Cache) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.status
	s.Errors = maps.Clone(c.status.Errors)
	return s
}

func (c *Cache) refresh(ctx context.Context) {
	start := c.now()
	snap, err := c.load(ctx)
	took := c.now().Sub(start)
	if err != nil && ctx.Err() != nil {
		// The exporter is shutting down (SIGTERM): the refresh it cut
		// short is no failure of ClickHouse's, to log or count.
		c.logger.Debug("refresh stopped by shutdown", "duration", took)
		return
	}
	if observers := c.record(snap, err, took); err == nil {
		for _, f := range observers {
			f(snap)
		}
	}
}

// record updates the status with a refresh's outcome and returns the
// observers to tell of a new snapshot.
func (c *Cache) record(snap *Snapshot, err error, took time.Duration) []func(*Snapshot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status.Refreshes++
	c.status.LastDuration = took
	c.status.LastError = err
	if err != nil {
		kind := Classify(err)
		c.status.Up = false
		c.status.Errors[kind]++
		c.logger.Error("refresh failed; serving the last good values", "kind", kind, "duration", took, "err", err)
		return nil
	}
	c.status.Up = true
	c.status.Snapshot = snap
	c.status.LastSuccess = c.now()
	c.logger.Info("refreshed", "packages", len(snap.Packages), "last_day", snap.LastDay.Format(time.DateOnly), "duration", took)
	return slices.Clone(c.observers)
}
