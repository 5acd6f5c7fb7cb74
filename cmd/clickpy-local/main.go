// Command clickpy-local is a ClickHouse server for development and tests:
// the real ClickHouse engine (chDB, embedded) holding ClickPy's schema and a
// sample set, served on loopback through the ClickHouse HTTP interface.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clickpy-local:", err)
		os.Exit(1)
	}
}
