package exporter

import (
	"context"
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

// MetricsHandler serves the exporter's metrics for cfg (its status and the
// cache's snapshot) and reg's (build info, Go, process) after letting the
// cache refresh. It waits (only while no snapshot exists) until the
// scrape's timeout, from Prometheus' header or defaultTimeout, less a
// margin. The snapshot's metrics are encoded once per snapshot and format;
// see exposition.
func MetricsHandler(cache *Cache, cfg Config, reg *prometheus.Registry, defaultTimeout time.Duration, errorLog promhttp.Logger) http.Handler {
	metrics := promhttp.InstrumentMetricHandler(reg, newExposition(cache, cfg, reg, errorLog))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), waitBudget(r, defaultTimeout))
		cache.Wait(ctx)
		cancel()
		metrics.ServeHTTP(w, r)
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
