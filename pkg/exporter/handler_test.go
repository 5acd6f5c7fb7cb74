package exporter

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/promslog"
)

func TestWaitBudget(t *testing.T) {
	req := func(h string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if h != "" {
			r.Header.Set(scrapeTimeoutHeader, h)
		}
		return r
	}
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"", 9500 * time.Millisecond},         // default 10s less 0.5s
		{"1", 900 * time.Millisecond},         // a tenth of a short timeout
		{"30", 29500 * time.Millisecond},      // at most 0.5s kept
		{"2.5", 2250 * time.Millisecond},      // fractions as Prometheus sends them
		{"nonsense", 9500 * time.Millisecond}, // ignored
		{"-3", 9500 * time.Millisecond},       // ignored
	}
	for _, tc := range cases {
		if got := waitBudget(req(tc.header), 10*time.Second); got != tc.want {
			t.Errorf("header %q: %s, want %s", tc.header, got, tc.want)
		}
	}
}

// With ClickHouse hanging on the first load, a scrape still answers within
// its timeout, with up 0 and no data.
func TestMetricsHandlerAnswersWithinScrapeTimeout(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	cache := NewCache(func(ctx context.Context) (*Snapshot, error) {
		select {
		case <-block:
		case <-ctx.Done():
		}
		return nil, ctx.Err()
	}, time.Minute, promslog.NewNopLogger())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go cache.Run(ctx)
	srv := httptest.NewServer(MetricsHandler(cache, DefaultConfig(), prometheus.NewRegistry(), 10*time.Second, nil))
	defer srv.Close()

	r, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	// 2s: the handler waits 1.8s (TestWaitBudget), which leaves a loaded
	// machine 0.2s to write the answer.
	r.Header.Set(scrapeTimeoutHeader, "2")
	start := time.Now()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("scrape took %s with a 2s timeout", took)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "\nclickpy_up 0\n") {
		t.Errorf("status %d, body:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), MetricTotal) {
		t.Error("data metrics without a snapshot")
	}
}
