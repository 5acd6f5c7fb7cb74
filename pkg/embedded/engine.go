// Package embedded runs ClickHouse in-process through chDB (libchdb.so, via
// chdb-go) and gives it the request-at-a-time semantics of ClickHouse's HTTP
// interface: each query names its database, settings and parameters, and
// nothing it does to the session leaks into the next one.
//
// chDB keeps one embedded server per process, so open one Engine per process.
// Queries run one at a time on its main connection; a second connection is
// kept only to KILL a query whose context ends.
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

// Engine is an open chDB session.
type Engine struct {
	// sem admits one query at a time to the main connection; a channel
	// rather than a mutex so that waiting can end with the caller's context.
	sem  chan struct{}
	sess *chdb.Session
	// ctl is a second connection to the same embedded server, used only to
	// kill the query running on sess.
	ctlMu sync.Mutex
	ctl   chdbpurego.ChdbConn
	info  ServerInfo
	// Guarded by sem.
	curDB  string
	closed bool
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
	ctl, err := chdbpurego.NewConnectionFromConnString(abs)
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("embedded: open chDB control connection in %s: %w", abs, err)
	}
	e := &Engine{sem: make(chan struct{}, 1), sess: sess, ctl: ctl, curDB: "default"}
	if e.info, err = e.loadInfo(ctx); err != nil {
		ctl.Close()
		sess.Close()
		return nil, fmt.Errorf("embedded: open %s: %w", abs, err)
	}
	return e, nil
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
