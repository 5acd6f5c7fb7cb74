package datasource_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
)

// replicaResult is one query of the replica run: when it started and
// ended, and what it answered.
type replicaResult struct {
	start, end time.Time
	downloads  float64
	err        error
}

// With two servers in host, stopping the first mid-run fails at most the
// queries in flight at that moment (with a clear error); every query sent
// after it is answered by the second, and every answer equals the truth.
// The health check names the server that stopped.
func TestReplicasFailOver(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	var first *chtest.Server
	var second string
	if shared.srv.Real {
		// A real server cannot be stopped here: the first address is down
		// from the start, the real server the second.
		second = shared.srv.Options.Addr[0]
	} else {
		cfg := chtest.Config{Sample: "test", Seed: shared.cfg.Seed, End: shared.cfg.End, Database: shared.srv.Database}
		var err error
		first, err = chtest.Start(ctx, cfg)
		mustT(t, err)
		t.Cleanup(first.Stop)
		b, err := chtest.Start(ctx, cfg)
		mustT(t, err)
		t.Cleanup(b.Stop)
		second = b.Addr
	}
	firstAddr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	if first != nil {
		firstAddr = first.Addr
	}
	ds := withJSON(shared.ds, "replicas", map[string]any{"host": firstAddr + "," + second, "port": nil, "cacheTTL": "0s", "queryTimeout": "10s", "dialTimeout": "2s"})

	model := map[string]any{"queryType": "totals", "packages": []string{"requests"}}
	var truth uint64
	mustT(t, shared.conn.QueryRow(ctx, fmt.Sprintf("SELECT count() FROM %s.pypi WHERE project = 'requests' AND date BETWEEN '%s' AND '%s'",
		shared.srv.Database, from.Format(time.DateOnly), to.Format(time.DateOnly))).Scan(&truth))
	if truth == 0 {
		t.Fatal("no downloads of requests in the sample")
	}

	if first != nil {
		h, err := shared.host.CheckHealth(ctx, ds)
		mustT(t, err)
		if h.Status != backend.HealthStatusOk || !strings.Contains(h.Message, "2 of 2 answer") {
			t.Fatalf("both replicas up: health %v %q", h.Status, h.Message)
		}
	}

	var mu sync.Mutex
	var results []replicaResult
	var stoppedAt time.Time
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				r := replicaResult{start: time.Now()}
				resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{query(fmt.Sprintf("W%d-%d", w, n), model, from, to)})
				r.end = time.Now()
				if err != nil {
					r.err = err
				} else {
					for _, dr := range resp.Responses {
						if dr.Error != nil {
							r.err = dr.Error
						} else if len(dr.Frames) == 1 {
							r.downloads = frameDownloadsOf(dr.Frames[0], "downloads")
						}
					}
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second)
	if first != nil {
		first.Stop()
	}
	mu.Lock()
	stoppedAt = time.Now()
	mu.Unlock()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()

	var before, after, inFlightFailed int
	for _, r := range results {
		switch {
		case r.end.Before(stoppedAt) && r.err == nil:
			before++
		case r.start.After(stoppedAt):
			after++
		}
		if r.err != nil {
			if r.start.After(stoppedAt) || first == nil {
				t.Errorf("a query sent %s after the stop failed: %v", r.start.Sub(stoppedAt).Round(time.Millisecond), r.err)
			} else {
				inFlightFailed++
				if msg := r.err.Error(); !strings.Contains(msg, "ClickHouse") {
					t.Errorf("a query in flight at the stop failed without a clear error: %v", msg)
				}
			}
			continue
		}
		if r.downloads != float64(truth) {
			t.Errorf("answered %v downloads, truth %d", r.downloads, truth)
		}
	}
	t.Logf("%d queries in all: %d answered before the stop, %d sent after it (all answered), %d in flight at the stop failed", len(results), before, after, inFlightFailed)
	if after == 0 || (first != nil && before == 0) {
		t.Errorf("the run did not span the stop: %d before, %d after", before, after)
	}

	h, err := shared.host.CheckHealth(ctx, ds)
	mustT(t, err)
	if h.Status != backend.HealthStatusOk || !strings.Contains(h.Message, "1 of 2 answer") || !strings.Contains(h.Message, firstAddr) {
		t.Errorf("one replica down: health %v %q, want OK naming %s as not answering", h.Status, h.Message, firstAddr)
	}
}

// frameDownloadsOf adds up the named number field.
func frameDownloadsOf(f *data.Frame, name string) float64 {
	fl, _ := f.FieldByName(name)
	if fl == nil {
		return -1
	}
	var sum float64
	for i := range fl.Len() {
		if v, err := fl.NullableFloatAt(i); err == nil && v != nil {
			sum += *v
		}
	}
	return sum
}
