// Command clickpy-exporter publishes PyPI download counts from ClickPy's
// ClickHouse tables as Prometheus metrics: per tracked package the
// all-time total, the last complete day, the last 7 and 30 days, chosen
// breakdowns and the data's freshness, refreshed at most once per
// configured interval and served from a snapshot.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// run is main without the process: flags in, exit status out.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	opts, err := parseFlags(args, stdout, nil)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if err := serve(ctx, opts, stderr, getenv); err != nil {
		fmt.Fprintln(stderr, "clickpy-exporter:", err)
		return 1
	}
	return 0
}
