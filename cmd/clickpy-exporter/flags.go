package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"
)

const (
	programName = "clickpy-exporter"
	// defaultAddress is the exporter's port; 9000 and 8123 are ClickHouse's.
	defaultAddress = ":9716"
	defaultURL     = "http://127.0.0.1:8123"
	// passwordEnv holds the ClickHouse password when neither flag gives one.
	passwordEnv = "CLICKPY_EXPORTER_CLICKHOUSE_PASSWORD"
	dialTimeout = 10 * time.Second
	maxOpenConn = 4
)

// options are the parsed command line.
type options struct {
	web           *web.FlagConfig
	telemetryPath string
	configFile    string
	url           string
	user          string
	password      string
	passwordFile  string
	scrapeTimeout time.Duration
	// exporterMetrics is false with --web.disable-exporter-metrics.
	exporterMetrics bool
	maxRequests     int
	log             promslog.Config
}

// parseFlags reads the command line in the style of Prometheus' own
// exporters. exit, when non-nil, replaces os.Exit after --help and
// --version so tests can call it.
func parseFlags(args []string, out io.Writer, exit func(int)) (*options, error) {
	app := kingpin.New(programName, "Prometheus exporter for PyPI download counts from ClickPy's ClickHouse tables.")
	app.UsageWriter(out)
	app.ErrorWriter(out)
	if exit != nil {
		app.Terminate(exit)
	}
	app.Version(version.Print(programName))
	app.HelpFlag.Short('h')
	o := &options{web: kingpinflag.AddFlags(app, defaultAddress)}
	app.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").StringVar(&o.telemetryPath)
	disableExporterMetrics := app.Flag("web.disable-exporter-metrics",
		"Exclude metrics about the exporter itself (promhttp_*, process_*, go_*).").Bool()
	app.Flag("web.max-requests", "Maximum number of parallel scrape requests. Use 0 to disable.").
		Default("40").IntVar(&o.maxRequests)
	app.Flag("config.file", "YAML file choosing the tracked packages, breakdowns and refresh settings; "+
		"without it the top 10 packages are tracked.").Default("").StringVar(&o.configFile)
	app.Flag("clickhouse.url", "ClickHouse to read from, as a clickhouse-go DSN: http://host:8123, https://host:8443, "+
		"clickhouse://host:9000 (native), optionally with /database and ?secure=true.").Default(defaultURL).StringVar(&o.url)
	app.Flag("clickhouse.user", "ClickHouse user; overrides the URL's.").Default("").StringVar(&o.user)
	app.Flag("clickhouse.password", "ClickHouse password; prefer --clickhouse.password-file or $"+passwordEnv+
		", which other users of the machine cannot read from the process list.").Default("").StringVar(&o.password)
	app.Flag("clickhouse.password-file", "File holding the ClickHouse password (one trailing newline is dropped).").
		Default("").StringVar(&o.passwordFile)
	app.Flag("scrape.timeout", "How long a scrape may wait for the first load when Prometheus sends no "+
		"X-Prometheus-Scrape-Timeout-Seconds header.").Default("10s").DurationVar(&o.scrapeTimeout)
	promslogflag.AddFlags(app, &o.log)
	if _, err := app.Parse(args); err != nil {
		return nil, fmt.Errorf("parsing flags: %w", err)
	}
	o.exporterMetrics = !*disableExporterMetrics
	if o.maxRequests < 0 {
		return nil, fmt.Errorf("--web.max-requests must be 0 (no limit) or more, got %d", o.maxRequests)
	}
	if !strings.HasPrefix(o.telemetryPath, "/") {
		return nil, fmt.Errorf("--web.telemetry-path must start with /, got %q", o.telemetryPath)
	}
	if o.scrapeTimeout <= 0 {
		return nil, fmt.Errorf("--scrape.timeout must be positive, got %s", o.scrapeTimeout)
	}
	return o, nil
}

// clickhouseOptions turns the URL, user and password flags into
// connection options. The password comes from the flag, else the file,
// else the environment, else the URL.
func (o *options) clickhouseOptions(getenv func(string) string) (*clickhouse.Options, error) {
	ch, err := clickhouse.ParseDSN(withSecureHTTPS(o.url))
	if err != nil {
		// clickhouse-go redacts credentials from its parse errors.
		return nil, fmt.Errorf("--clickhouse.url: %w", err)
	}
	if o.user != "" {
		ch.Auth.Username = o.user
	}
	pw, err := o.readPassword(getenv)
	if err != nil {
		return nil, err
	}
	if pw != "" {
		ch.Auth.Password = pw
	}
	if ch.DialTimeout == 0 {
		ch.DialTimeout = dialTimeout
	}
	if ch.MaxOpenConns == 0 {
		ch.MaxOpenConns = maxOpenConn
	}
	ch.ClientInfo.Products = append(ch.ClientInfo.Products, struct{ Name, Version string }{programName, version.Version})
	return ch, nil
}

func (o *options) readPassword(getenv func(string) string) (string, error) {
	switch {
	case o.password != "" && o.passwordFile != "":
		return "", errors.New("give the ClickHouse password by --clickhouse.password or --clickhouse.password-file, not both")
	case o.password != "":
		return o.password, nil
	case o.passwordFile != "":
		b, err := os.ReadFile(o.passwordFile)
		if err != nil {
			return "", fmt.Errorf("--clickhouse.password-file: %w", err)
		}
		s := strings.TrimSuffix(string(b), "\n")
		return strings.TrimSuffix(s, "\r"), nil
	}
	return getenv(passwordEnv), nil
}

// withSecureHTTPS adds secure=true to an https URL that lacks it:
// clickhouse-go refuses https without the flag, which surprises anyone
// pasting a URL from a browser.
func withSecureHTTPS(u string) string {
	if !strings.HasPrefix(strings.ToLower(u), "https://") || strings.Contains(u, "secure=") {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&secure=true"
	}
	return u + "?secure=true"
}
