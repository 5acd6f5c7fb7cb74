package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/clickpy/clickpy-grafana/pkg/exporter"
)

const (
	readHeaderTimeout = 10 * time.Second
	shutdownTimeout   = 5 * time.Second
)

// serve runs the exporter until ctx ends or the listener fails.
func serve(ctx context.Context, opts *options, logOut io.Writer, getenv func(string) string) error {
	opts.log.Writer = logOut
	logger := promslog.New(&opts.log)

	cfg := exporter.DefaultConfig()
	if opts.configFile != "" {
		var err error
		if cfg, err = exporter.LoadConfig(opts.configFile); err != nil {
			return err
		}
	}
	chOpts, err := opts.clickhouseOptions(getenv)
	if err != nil {
		return err
	}
	if cfg, err = cfg.WithDatabase(chOpts.Auth.Database); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	chOpts.Auth.Database = cfg.Database
	chOpts.ReadTimeout = cfg.QueryTimeout + chOpts.DialTimeout
	user := chOpts.Auth.Username
	if user == "" {
		user = "default" // what clickhouse-go sends
	}
	// Never the password: only where and as whom.
	logger.Info("starting "+programName, "version", version.Info(), "clickhouse", strings.Join(chOpts.Addr, ","),
		"protocol", chOpts.Protocol.String(), "user", user, "database", cfg.Database,
		"packages", len(cfg.Packages), "top_packages", cfg.TopPackages, "breakdowns", len(cfg.Breakdowns),
		"min_refresh_interval", cfg.MinRefreshInterval, "query_timeout", cfg.QueryTimeout, "exclude_mirrors", cfg.ExcludeMirrors)

	conn, err := clickhouse.Open(chOpts)
	if err != nil {
		return fmt.Errorf("opening ClickHouse connection to %s: %w", strings.Join(chOpts.Addr, ","), err)
	}
	defer conn.Close()

	loader := exporter.NewLoader(conn, cfg, logger)
	cache := exporter.NewCache(loader.Load, cfg.MinRefreshInterval, logger)
	runCtx, stopCache := context.WithCancel(ctx)
	defer stopCache()
	go cache.Run(runCtx)

	reg := prometheus.NewRegistry()
	// The handler adds the exporter's own collector (status and snapshot);
	// build info stays with --web.disable-exporter-metrics, as in
	// node_exporter.
	reg.MustRegister(versioncollector.NewCollector("clickpy_exporter"))
	if opts.exporterMetrics {
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	mux, err := routes(opts, cfg, cache, reg, logger)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := web.ListenAndServe(srv, opts.web, logger); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	logger.Info("stopped")
	return nil
}

func routes(opts *options, cfg exporter.Config, cache *exporter.Cache, reg *prometheus.Registry, logger *slog.Logger) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	mux.Handle(opts.telemetryPath, exporter.MetricsHandler(cache, cfg, exporter.HandlerOpts{
		Registry: reg, ExporterMetrics: opts.exporterMetrics, MaxRequests: opts.maxRequests,
		DefaultTimeout: opts.scrapeTimeout, ErrorLog: errorLog{logger},
	}))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "Healthy.\n")
	})
	// Ready once a snapshot exists: before that a scrape has no data.
	mux.HandleFunc("/-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if cache.Status().Snapshot == nil {
			http.Error(w, "Not ready: no snapshot loaded from ClickHouse yet.", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "Ready.\n")
	})
	if opts.telemetryPath == "/" {
		return mux, nil
	}
	landing, err := web.NewLandingPage(web.LandingConfig{
		Name:        programName,
		Description: "PyPI download counts from ClickPy's ClickHouse tables, for Prometheus",
		Version:     version.Info(),
		Links: []web.LandingLinks{
			{Address: opts.telemetryPath, Text: "Metrics"},
			{Address: "/-/ready", Text: "Ready", Description: "whether the first snapshot is loaded"},
		},
		ExtraHTML: landingSummary(cfg),
		Profiling: "false",
	})
	if err != nil {
		return nil, fmt.Errorf("building the landing page: %w", err)
	}
	mux.Handle("/", landing)
	return mux, nil
}

// landingSummary says what this instance tracks, so a reader of the page
// knows which config it runs without shell access.
func landingSummary(cfg exporter.Config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<h2>Tracking</h2>\n<ul>\n<li>database <code>%s</code></li>\n", html.EscapeString(cfg.Database))
	if len(cfg.Packages) > 0 {
		fmt.Fprintf(&b, "<li>%d listed packages</li>\n", len(cfg.Packages))
	}
	if cfg.TopPackages > 0 {
		fmt.Fprintf(&b, "<li>the top %d packages of the last 30 days</li>\n", cfg.TopPackages)
	}
	for _, bd := range cfg.Breakdowns {
		fmt.Fprintf(&b, "<li>breakdown by <code>%s</code>: top %d, rest as <code>%s</code></li>\n",
			bd.Dimension, bd.Top, html.EscapeString(bd.Other))
	}
	fmt.Fprintf(&b, "<li>refreshed at most every %s, queries time out after %s, mirrors %s</li>\n</ul>\n",
		cfg.MinRefreshInterval, cfg.QueryTimeout, map[bool]string{true: "excluded", false: "included"}[cfg.ExcludeMirrors])
	return b.String()
}

// errorLog lets promhttp report encoding errors through slog.
type errorLog struct{ logger *slog.Logger }

func (l errorLog) Println(v ...any) { l.logger.Error(fmt.Sprint(v...)) }
