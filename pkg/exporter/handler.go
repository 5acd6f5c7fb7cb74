package exporter

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// scrapeTimeoutHeader is how Prometheus tells a target its scrape timeout.
const scrapeTimeoutHeader = "X-Prometheus-Scrape-Timeout-Seconds"

// maxTimeoutMargin is kept from the scrape timeout for encoding and the
// network, so a scrape waiting for the first load still answers in time.
const maxTimeoutMargin = 500 * time.Millisecond

// HandlerOpts configure MetricsHandler.
type HandlerOpts struct {
	// Registry holds what is gathered on every scrape besides the
	// exporter's status: build info and, unless the exporter's own metrics
	// are off, the Go and process collectors.
	Registry *prometheus.Registry
	// ExporterMetrics adds the handler's own promhttp_metric_handler_*
	// metrics to Registry, as node_exporter does unless
	// --web.disable-exporter-metrics.
	ExporterMetrics bool
	// MaxRequests caps scrapes served at once; more are refused with 503,
	// as promhttp's MaxRequestsInFlight does. 0 means no cap.
	MaxRequests int
	// DefaultTimeout is the scrape timeout when Prometheus sends none.
	DefaultTimeout time.Duration
	ErrorLog       promhttp.Logger
}

// MetricsHandler serves the exporter's metrics for cfg (its status and the
// cache's snapshot) and the registry's after letting the cache refresh. It
// waits (only while no snapshot exists) until the scrape's timeout, from
// Prometheus' header or the default, less a margin. The snapshot's metrics
// are encoded once per snapshot and format; see exposition.
func MetricsHandler(cache *Cache, cfg Config, o HandlerOpts) http.Handler {
	expo := newExposition(cache, cfg, o.Registry, o.ErrorLog)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), waitBudget(r, o.DefaultTimeout))
		cache.Wait(ctx)
		cancel()
		expo.ServeHTTP(w, r)
	})
	h = limitRequests(o.MaxRequests, h)
	if o.ExporterMetrics {
		// Outside the cap, so refused scrapes are counted with code 503.
		h = promhttp.InstrumentMetricHandler(o.Registry, h)
	}
	return h
}

// limitRequests serves at most max requests at once and refuses the rest
// with promhttp's answer; a scrape waiting for the first load holds its
// place.
func limitRequests(max int, h http.Handler) http.Handler {
	if max <= 0 {
		return h
	}
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, r)
		default:
			http.Error(w, fmt.Sprintf("Limit of concurrent requests reached (%d), try again later.", max), http.StatusServiceUnavailable)
		}
	})
}

// waitBudget is the scrape timeout less a tenth of it, at most
// maxTimeoutMargin.
func waitBudget(r *http.Request, def time.Duration) time.Duration {
	timeout := def
	if v := r.Header.Get(scrapeTimeoutHeader); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
			timeout = time.Duration(s * float64(time.Second))
		}
	}
	return timeout - min(timeout/10, maxTimeoutMargin)
}
