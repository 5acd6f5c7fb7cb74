// Command clickpy-schema applies ClickPy's schema to any ClickHouse server
// (>= 23.8), optionally ON CLUSTER, and can load a sample set into it: the
// one-shot loader of the docker-compose stack uses it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

type options struct {
	url        string
	user       string
	password   string
	database   string
	github     string
	noGitHub   bool
	cluster    string
	replicated bool
	clickpyKey bool
	print      bool
	sample     string
	seed       uint64
	endDate    string
	timeout    time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clickpy-schema:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("clickpy-schema", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8123", "ClickHouse server as a clickhouse-go DSN (http://, https:// or clickhouse://)")
	fs.StringVar(&o.user, "user", "", "user name (overrides the one in --url)")
	fs.StringVar(&o.password, "password", "", "password; CLICKHOUSE_PASSWORD is read when this is empty")
	fs.StringVar(&o.database, "database", schema.DefaultDatabase, "database to create")
	fs.StringVar(&o.github, "github-database", "", "database for the GitHub event table and its repository map (default: --database; ClickPy uses github)")
	fs.BoolVar(&o.noGitHub, "no-github", false, "leave the GitHub objects out")
	fs.StringVar(&o.cluster, "cluster", "", "run every statement ON CLUSTER this cluster")
	fs.BoolVar(&o.replicated, "replicated", false, "use Replicated* table engines (clusters with replicas)")
	fs.BoolVar(&o.clickpyKey, "clickpy-keys", false, "sort the summaries by ClickPy's published keys, whose installer-by-type table merges file types (to reproduce the public instance)")
	fs.BoolVar(&o.print, "print", false, "print the statements instead of running them")
	fs.StringVar(&o.sample, "sample", "none", "sample set to load after the schema: none, test, demo or bench")
	fs.Uint64Var(&o.seed, "seed", 1, "sample seed")
	fs.StringVar(&o.endDate, "end-date", "", "last day of sample data, YYYY-MM-DD (default yesterday, UTC)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.password == "" {
		o.password = os.Getenv("CLICKHOUSE_PASSWORD")
	}
	return o, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	sopts := schema.Options{Database: o.database, Cluster: o.cluster, Replicated: o.replicated, PublishedKeys: o.clickpyKey,
		GitHubDatabase: o.github, NoGitHub: o.noGitHub}
	if o.print {
		stmts, err := schema.Statements(sopts)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, strings.Join(stmts, ";\n\n")+";")
		return err
	}
	cfg, err := sampleConfig(o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	copts, err := clickhouse.ParseDSN(o.url)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	if o.user != "" {
		copts.Auth.Username = o.user
	}
	if o.password != "" {
		copts.Auth.Password = o.password
	}
	copts.Auth.Database = "default"
	conn, err := clickhouse.Open(copts)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", strings.Join(copts.Addr, ","), err)
	}
	defer conn.Close()
	exec := schema.ExecWith(conn)
	if err := schema.Apply(ctx, exec, sopts); err != nil {
		return err
	}
	fmt.Fprintf(out, "schema applied to database %s\n", o.database)
	if cfg == nil {
		return nil
	}
	st, err := sample.Load(ctx, conn, o.database, *cfg)
	if err != nil {
		return fmt.Errorf("loading the %s sample: %w", o.sample, err)
	}
	fmt.Fprintf(out, "loaded the %s sample: %d rows in %s\n", o.sample, st.Rows, st.Elapsed.Round(time.Millisecond))
	if o.github != "" && o.github != o.database && !o.noGitHub {
		n, err := sample.LoadGitHub(ctx, conn, o.github, *cfg)
		if err != nil {
			return fmt.Errorf("loading the %s sample's GitHub events: %w", o.sample, err)
		}
		fmt.Fprintf(out, "loaded %d GitHub events into %s\n", n, o.github)
	}
	return nil
}

func sampleConfig(o options) (*sample.Config, error) {
	if o.sample == "none" {
		return nil, nil
	}
	size, err := sample.ParseSize(o.sample)
	if err != nil {
		return nil, fmt.Errorf("--sample: %w", err)
	}
	end := sample.DefaultEnd()
	if o.endDate != "" {
		end, err = time.Parse(time.DateOnly, o.endDate)
		if err != nil {
			return nil, fmt.Errorf("--end-date %q is not YYYY-MM-DD", o.endDate)
		}
	}
	return &sample.Config{Seed: o.seed, End: end, Size: size}, nil
}
