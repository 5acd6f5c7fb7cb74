// Package embedded runs ClickHouse in-process through chDB (libchdb.so, via
// chdb-go) and gives it the request-at-a-time semantics of ClickHouse's HTTP
// interface: each query names its database, settings and parameters, and
// nothing it does to the session leaks into the next one.
//
// chDB keeps one embedded server per process, so open one Engine per process.
// Queries run one at a time, each on a connection of its own (a fresh
// ClickHouse session, see session.go); the Engine keeps one connection open
// for the server's lifetime and another only to KILL a query whose context
// ends.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/chdb-io/chdb-go/chdb"
	chdbpurego "github.com/chdb-io/chdb-go/chdb-purego"

	"github.com/clickpy/clickpy-grafana/pkg/schema"

	// Must come before chdb-purego's init; see package chdblib.
	_ "github.com/clickpy/clickpy-grafana/pkg/chdblib"
)

// ServerInfo is what chDB reports about itself, as a server would in its
// HTTP headers and to clickhouse-go's hello query.
type ServerInfo struct {
	DisplayName string
	Version     string
	Revision    uint64
	Timezone    string
}

// closedMessage is the error text for queries on a closed Engine.
const closedMessage = "embedded: engine is closed"

// Engine is an open chDB server.
type Engine struct {
	// path is the data directory every session connects to.
	path string
	// sem admits one query at a time; a channel rather than a mutex so that
	// waiting can end with the caller's context.
	sem chan struct{}
	// sess keeps the embedded server up between requests.
	sess *chdb.Session
	// ctl is another connection to the same embedded server, used to kill
	// the running query (and at Open, before any request, to set it up).
	ctlMu    sync.Mutex
	ctl      chdbpurego.ChdbConn
	counters readCounters
	policy   policy
	info     ServerInfo
	// Guarded by sem.
	closed bool
	// canon remembers statements' canonical texts (see session.canonical).
	canon map[string]string
}

// Open starts chDB on dataDir (created if missing) and returns the engine.
func Open(ctx context.Context, dataDir string) (*Engine, error) {
	if dataDir == "" {
		return nil, errors.New("embedded: open: data directory is empty")
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", abs, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", abs, err)
	}
	sess, err := chdb.NewSession(abs)
	if err != nil {
		return nil, fmt.Errorf("embedded: open chDB session in %s: %w", abs, err)
	}
	if sess.Path() != abs {
		return nil, fmt.Errorf("embedded: open %s: chDB is already open on %s in this process", abs, sess.Path())
	}
	counters, err := loadReadCounters()
	if err != nil {
		sess.Close()
		return nil, err
	}
	ctl, err := chdbpurego.NewConnectionFromConnString(abs)
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("embedded: open chDB control connection in %s: %w", abs, err)
	}
	e := &Engine{path: abs, sem: make(chan struct{}, 1), sess: sess, ctl: ctl, counters: counters, policy: newPolicy(),
		canon: map[string]string{}}
	// Not cancellable: stopping between its DETACH and ATTACH would leave no
	// default database, and a KILL would race it on the control connection.
	if err := e.replaceOverlay(context.WithoutCancel(ctx)); err != nil {
		ctl.Close()
		sess.Close()
		return nil, fmt.Errorf("embedded: open %s: %w", abs, err)
	}
	if e.info, err = e.loadInfo(ctx); err != nil {
		ctl.Close()
		sess.Close()
		return nil, fmt.Errorf("embedded: open %s: %w", abs, err)
	}
	return e, nil
}

// replaceOverlay puts the plain Atomic database in place of the default
// database chDB starts with. That one is clickhouse-local's Overlay over a
// Filesystem database: measured on chDB 26.7, "SELECT * FROM secrets" reads
// a file named secrets in the working directory, and "FROM '/etc/passwd'"
// any file, by table name alone. Detaching the overlay and attaching the
// Atomic database under it by its UUID keeps default's tables; chDB builds
// the overlay again at every start, so this runs at every Open, on the
// control connection before any request's session exists.
func (e *Engine) replaceOverlay(ctx context.Context) error {
	res, err := e.run(ctx, e.ctl, "SELECT engine, toString(uuid) FROM system.databases WHERE name = 'default'", "TabSeparated")
	if err != nil {
		return fmt.Errorf("read the default database: %w", err)
	}
	f := strings.Split(strings.TrimRight(string(res.Data), "\n"), "\t")
	if len(f) != 2 {
		return fmt.Errorf("read the default database: unexpected reply %q", res.Data)
	}
	if f[0] != "Overlay" {
		return nil
	}
	for _, q := range []string{
		"DETACH DATABASE default",
		"ATTACH DATABASE default UUID " + schema.QuoteString(f[1]) + " ENGINE = Atomic",
	} {
		if _, err := e.run(ctx, e.ctl, q, DefaultFormat); err != nil {
			return fmt.Errorf("replace the default database's file overlay (%s): %w", q, err)
		}
	}
	return nil
}

func (e *Engine) loadInfo(ctx context.Context) (ServerInfo, error) {
	res, err := e.Query(ctx, Request{
		Query:  "SELECT displayName(), version(), revision(), timezone()",
		Format: "TabSeparated",
	})
	if err != nil {
		return ServerInfo{}, fmt.Errorf("read server info: %w", err)
	}
	f := strings.Split(strings.TrimRight(string(res.Data), "\n"), "\t")
	if len(f) != 4 {
		return ServerInfo{}, fmt.Errorf("read server info: unexpected reply %q", res.Data)
	}
	rev, err := strconv.ParseUint(f[2], 10, 64)
	if err != nil {
		return ServerInfo{}, fmt.Errorf("read server info: revision %q: %w", f[2], err)
	}
	return ServerInfo{DisplayName: f[0], Version: f[1], Revision: rev, Timezone: f[3]}, nil
}

// Info describes the server.
func (e *Engine) Info() ServerInfo { return e.info }

// Close waits for the running query, then closes both connections.
func (e *Engine) Close() error {
	e.sem <- struct{}{}
	defer func() { <-e.sem }()
	if e.closed {
		return nil
	}
	e.closed = true
	e.ctlMu.Lock()
	e.ctl.Close()
	e.ctlMu.Unlock()
	e.sess.Close()
	return nil
}

// acquire waits for the main connection, or for ctx to end.
func (e *Engine) acquire(ctx context.Context) error {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return contextException(ctx.Err(), "waiting for the engine")
	}
	if e.closed {
		<-e.sem
		return errors.New(closedMessage)
	}
	return nil
}

func (e *Engine) release() { <-e.sem }
