package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chhttp"
	"github.com/clickpy/clickpy-grafana/pkg/embedded"
	"github.com/clickpy/clickpy-grafana/pkg/progress"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// marker records what a data directory holds, so a restart reuses it
// instead of loading again.
type marker struct {
	Database string    `json:"database"`
	Sample   string    `json:"sample"`
	Seed     uint64    `json:"seed"`
	End      string    `json:"end"`
	Rows     uint64    `json:"rows"`
	LoadedAt time.Time `json:"loaded_at"`
}

const markerFile = "clickpy-local.json"

const shutdownTimeout = 15 * time.Second

func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args, os.Getenv)
	// Read once; nothing started from here (chDB's helpers, say) inherits it.
	// The kernel's copy in /proc/self/environ stays: it is the host-access
	// fence that keeps queries from reading that file.
	_ = os.Unsetenv(passwordEnv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	eng, err := embedded.Open(ctx, o.dataDir)
	if err != nil {
		return fmt.Errorf("opening the engine in %s: %w", o.dataDir, err)
	}
	defer eng.Close()
	srv, err := chhttp.Start(ctx, chhttp.Config{Addr: o.listen, Users: o.users}, eng)
	if err != nil {
		return fmt.Errorf("serving on %s: %w", o.listen, err)
	}
	info := eng.Info()
	log.Info("serving", "addr", srv.Addr(), "engine", info.DisplayName, "version", info.Version, "data_dir", o.dataDir)
	if chhttp.AllInterfaces(srv.Addr()) {
		log.Warn("listening on every interface: clickpy-local is a development server (one query at a time, passwords over plain HTTP)",
			"addr", srv.Addr())
	}
	if o.users[0].HostAccess {
		log.Warn("--allow-host-access: the default user's queries can read any file this process can, its environment included, and reach the network")
	}
	if err := prepare(ctx, log, o, srv.Addr()); err != nil {
		shutdown(srv)
		return err
	}
	if o.readyFile != "" {
		// Written whole then renamed, so a reader never sees half an address.
		tmp := o.readyFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(srv.Addr()+"\n"), 0o644); err != nil {
			shutdown(srv)
			return fmt.Errorf("writing --ready-file: %w", err)
		}
		if err := os.Rename(tmp, o.readyFile); err != nil {
			shutdown(srv)
			return fmt.Errorf("writing --ready-file: %w", err)
		}
	}
	fmt.Printf("ready: http://%s (database %s)\n", srv.Addr(), o.database)
	select {
	case <-ctx.Done():
		log.Info("stopping")
		return shutdown(srv)
	case <-srv.Done():
		return fmt.Errorf("server stopped: %w", srv.Err())
	}
}

func shutdown(srv *chhttp.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return srv.Shutdown(ctx)
}

// prepare applies the schema and loads the sample through the HTTP
// interface just opened, the same path a real server's clients take.
func prepare(ctx context.Context, log *slog.Logger, o options, addr string) error {
	path := filepath.Join(o.dataDir, markerFile)
	if !o.reload {
		if m, err := readMarker(path); err == nil {
			if m.Database != o.database || m.Sample != o.sample || m.Seed != o.seed || m.End != o.end.Format(time.DateOnly) {
				log.Warn("reusing the data directory as loaded; pass --reload to load what the flags ask",
					"loaded_sample", m.Sample, "loaded_seed", m.Seed, "loaded_end", m.End, "loaded_database", m.Database)
			}
			log.Info("reusing data", "sample", m.Sample, "rows", m.Rows, "end", m.End, "loaded_at", m.LoadedAt)
			return nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		Protocol:    clickhouse.HTTP,
		Auth:        clickhouse.Auth{Database: "default", Username: o.users[0].Name, Password: o.users[0].Password},
		DialTimeout: 10 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("connecting to ourselves: %w", err)
	}
	defer conn.Close()
	exec := schema.ExecWith(conn)
	if o.reload {
		_ = os.Remove(path)
		if err := exec(ctx, "DROP DATABASE IF EXISTS "+o.database); err != nil {
			return fmt.Errorf("dropping %s: %w", o.database, err)
		}
	}
	if err := schema.Apply(ctx, exec, schema.Options{Database: o.database}); err != nil {
		return err
	}
	m := marker{Database: o.database, Sample: o.sample, Seed: o.seed, End: o.end.Format(time.DateOnly)}
	if o.sample != "none" {
		size := sample.Size(o.sample) // checked by parseFlags
		log.Info("loading sample", "size", o.sample, "seed", o.seed, "end", m.End)
		// A line redrawn on a terminal, else a log line every few seconds.
		shown := progress.Options{Log: log}
		if progress.IsTerminal(os.Stderr) {
			shown = progress.Options{Terminal: os.Stderr}
		}
		rep := progress.Start(ctx, "loading the "+o.sample+" sample", uint64(size.TargetRows()), shown)
		st, err := sample.LoadReporting(ctx, conn, o.database, sample.Config{Seed: o.seed, End: o.end, Size: size}, rep.Update)
		rep.Finish()
		if err != nil {
			return fmt.Errorf("loading the %s sample: %w", o.sample, err)
		}
		m.Rows = st.Rows
		log.Info("loaded sample", "rows", st.Rows, "cells", st.Cells, "projects", st.Projects,
			"elapsed", st.Elapsed.Round(time.Millisecond), "rows_per_s", int64(st.RowsPerSecond))
	}
	m.LoadedAt = time.Now().UTC()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", markerFile, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func readMarker(path string) (marker, error) {
	var m marker
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("reading %s: %w (remove it or pass --reload)", path, err)
	}
	return m, nil
}
