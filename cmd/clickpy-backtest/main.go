// Command clickpy-backtest replays the downloads drop alerts day by day
// over the whole history of a ClickHouse holding a ClickPy sample set, and
// prints per rule its recall on the sample's planted drops, false alarms
// per package-year and delay to fire, one figure to a line. The Grafana
// rules are read from provisioning files and replayed through the data
// source (in process); the Prometheus rules on the exporter's metrics
// rebuilt from the same answers. go tool mage backtest loads a sample into
// clickpy-local and runs it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/backtest"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "clickpy-backtest:", err)
		os.Exit(1)
	}
}

type options struct {
	url      string
	password string
	sample   sample.Size
	seed     uint64
	end      time.Time
	rules    []namedPath
	packages int
	timeout  time.Duration
}

// namedPath is a rules file and the name it has in the report.
type namedPath struct{ name, path string }

// rulesFlag collects --rules name=path (or path, named by its file).
type rulesFlag struct{ list *[]namedPath }

func (r rulesFlag) String() string { return "" }

func (r rulesFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok {
		name, path = v, v
	}
	if path == "" {
		return errors.New("want name=path or path")
	}
	*r.list = append(*r.list, namedPath{name, path})
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{sample: sample.SizeTest}
	fs := flag.NewFlagSet("clickpy-backtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "clickhouse.url", "http://127.0.0.1:8123/pypi", "ClickHouse holding the sample, as a clickhouse-go DSN with the database as its path")
	fs.StringVar(&o.password, "clickhouse.password", "", "password; CLICKHOUSE_PASSWORD is read when this and the URL's are empty")
	fs.Var(&o.sample, "sample", "the sample set the server holds: test, demo or bench")
	fs.Uint64Var(&o.seed, "seed", 1, "the sample's seed")
	end := fs.String("end-date", "", "the sample's last day, YYYY-MM-DD (required: the planted events' days depend on it)")
	fs.Var(rulesFlag{&o.rules}, "rules", "a Grafana alert provisioning file to replay, as name=path (repeatable; default: the provisioned rules and the previous 7-day-mean rule)")
	fs.IntVar(&o.packages, "packages", 0, "replay the top N packages and every package with a planted event (0: every package)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "how long the whole replay may take")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *end == "" {
		return o, errors.New("--end-date: the sample's last day is required (the planted events' days depend on it)")
	}
	t, err := time.Parse(time.DateOnly, *end)
	if err != nil {
		return o, fmt.Errorf("--end-date: want YYYY-MM-DD, got %q", *end)
	}
	o.end = t
	if len(o.rules) == 0 {
		o.rules = []namedPath{{"provisioned", "provisioning/alerting/clickpy-rules.yaml"},
			{"7-day mean, before", "pkg/backtest/testdata/rules-7day-mean.yaml"}}
	}
	if o.packages < 0 {
		return o, fmt.Errorf("--packages: %d is negative", o.packages)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	truth, err := sample.Expect(sample.Config{Seed: o.seed, End: o.end, Size: o.sample})
	if err != nil {
		return err
	}
	cfg := backtest.Config{Truth: truth, Packages: packages(truth, o.packages),
		PromRules: []backtest.PromRule{backtest.PreviousPromDropRule(), backtest.PromDropRule()}}
	for i, r := range o.rules {
		rules, err := backtest.ReadGrafanaRules(r.path)
		if err != nil {
			return err
		}
		for _, rule := range rules {
			// The previous files' staleness rules are the same rule again.
			if i == 0 || !rule.Freshness() {
				cfg.GrafanaRules = append(cfg.GrafanaRules, backtest.NamedGrafanaRule{Source: r.name, Rule: rule})
			}
		}
	}
	inst, err := instance(ctx, o)
	if err != nil {
		return err
	}
	defer inst.Dispose()
	start := time.Now()
	res, err := backtest.Run(ctx, inst, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backtest of the %s sample (seed %d, %s to %s): %d packages, %d days, replayed in %s\n\n",
		o.sample, o.seed, truth.Start.Format(time.DateOnly), truth.End.Format(time.DateOnly), len(cfg.Packages),
		res.History.Days, time.Since(start).Round(time.Second))
	return backtest.WriteFigures(stdout, res.Figures)
}

// packages are all the sample's packages, or its top n and every package
// with a planted event.
func packages(t sample.Truth, n int) []string {
	if n == 0 || n >= len(t.Packages) {
		return t.Packages
	}
	out := append([]string(nil), t.Packages[:n]...)
	seen := map[string]bool{}
	for _, p := range out {
		seen[p] = true
	}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, d := range t.Events.Drops {
		add(d.Package)
	}
	for _, d := range t.Events.Declines {
		add(d.Package)
	}
	add(t.Drop)
	return out
}

// instance is the data source, in process, on the DSN's server.
func instance(ctx context.Context, o options) (*datasource.Instance, error) {
	opts, err := clickhouse.ParseDSN(o.url)
	if err != nil {
		return nil, fmt.Errorf("--clickhouse.url: %w", err)
	}
	if len(opts.Addr) == 0 {
		return nil, fmt.Errorf("--clickhouse.url: no host in %q", o.url)
	}
	host, port, err := net.SplitHostPort(opts.Addr[0])
	if err != nil {
		return nil, fmt.Errorf("--clickhouse.url: %w", err)
	}
	p, _ := strconv.Atoi(port)
	proto := "native"
	if opts.Protocol == clickhouse.HTTP {
		proto = "http"
	}
	db := opts.Auth.Database
	if db == "" {
		db = "pypi"
	}
	password := o.password
	if password == "" {
		password = opts.Auth.Password
	}
	if password == "" {
		password = os.Getenv("CLICKHOUSE_PASSWORD")
	}
	jd, err := json.Marshal(map[string]any{"host": host, "port": p, "protocol": proto, "secure": opts.TLS != nil,
		"username": opts.Auth.Username, "database": db, "queryTimeout": "10m", "cacheTTL": "0s"})
	if err != nil {
		return nil, fmt.Errorf("data source settings: %w", err)
	}
	return datasource.NewInstance(ctx, backend.DataSourceInstanceSettings{UID: "backtest", JSONData: jd,
		DecryptedSecureJSONData: map[string]string{"password": password}}, nil)
}
