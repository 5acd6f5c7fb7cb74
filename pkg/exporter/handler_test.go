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
	srv := httptest.NewServer(MetricsHandler(cache, DefaultConfig(), HandlerOpts{Registry: prometheus.NewRegistry(), ExporterMetrics: true, DefaultTimeout: 10 * time.Second}))
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

// With a cap of 1, a request in progress holds the one place: another is
// refused with promhttp's 503 answer, and once the first is done a request
// gets through again.
func TestLimitRequests(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(limitRequests(1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("hold") {
			entered <- struct{}{}
			<-release
		}
		_, _ = io.WriteString(w, "ok")
	})))
	defer srv.Close()
	get := func(q string) (int, string) {
		resp, err := http.Get(srv.URL + q)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	first := make(chan int, 1)
	go func() { code, _ := get("?hold"); first <- code }()
	<-entered
	if code, body := get(""); code != http.StatusServiceUnavailable || body != "Limit of concurrent requests reached (1), try again later.\n" {
		t.Errorf("while the first is served: %d %q", code, body)
	}
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Errorf("the first request: %d", code)
	}
	if code, body := get(""); code != http.StatusOK || body != "ok" {
		t.Errorf("after the first: %d %q", code, body)
	}
}

// The handler's own promhttp metrics are there only when asked for.
func TestMetricsHandlerExporterMetrics(t *testing.T) {
	cache := NewCache(nil, time.Hour, nil)
	cache.status.Snapshot, cache.status.Up, cache.lastStart = knownSnapshot(), true, time.Now()
	for _, on := range []bool{true, false} {
		srv := httptest.NewServer(MetricsHandler(cache, knownConfig(), HandlerOpts{
			Registry: prometheus.NewRegistry(), ExporterMetrics: on, MaxRequests: 1, DefaultTimeout: time.Second}))
		for range 2 {
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), MetricTotal) {
				t.Errorf("exporter metrics %v: %d\n%s", on, resp.StatusCode, body)
			}
			if got := strings.Contains(string(body), "promhttp_metric_handler_requests_total"); got != on {
				t.Errorf("exporter metrics %v: promhttp metrics present %v", on, got)
			}
		}
		srv.Close()
	}
}
