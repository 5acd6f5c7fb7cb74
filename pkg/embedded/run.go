package embedded

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	chdbpurego "github.com/chdb-io/chdb-go/chdb-purego"
)

// killQuery cancels whatever runs. Requests run one at a time, each on its
// session's connection, and system.processes lists the queries of every
// connection, so "every query but this KILL" is exactly the one to stop.
const killQuery = "KILL QUERY WHERE query_id <> queryID() ASYNC"

// run executes one statement on conn (sem held, or during Open). When ctx
// ends first, the statement is killed from the control connection; measured
// on chDB 26.7, a running aggregation stops within a few milliseconds with
// QUERY_WAS_CANCELLED and the session stays usable.
func (e *Engine) run(ctx context.Context, conn chdbpurego.ChdbConn, query, format string) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextException(err, "before the query started")
	}
	// killMu orders the KILL against the query's end: once finished is set,
	// no KILL can be sent, and a KILL in flight completes before run returns
	// and lets the next query start, so it can never hit that next query.
	var (
		killMu   sync.Mutex
		finished bool
	)
	stop := context.AfterFunc(ctx, func() {
		killMu.Lock()
		defer killMu.Unlock()
		if !finished {
			e.killRunning()
		}
	})
	start := time.Now()
	res, err := conn.Query(query, format)
	killMu.Lock()
	finished = true
	killMu.Unlock()
	stop()

	if err != nil {
		ex := ParseException(err.Error())
		if ctxErr := ctx.Err(); ctxErr != nil && ex.Code == CodeQueryWasCancelled {
			return nil, contextException(ctxErr, "")
		}
		return nil, ex
	}
	out := &Result{Format: format}
	if res != nil {
		// Buf points into chDB's memory, which Free releases.
		if buf := res.Buf(); len(buf) > 0 {
			out.Data = append([]byte(nil), buf...)
		}
		out.ResultRows = res.RowsRead()
		out.ResultBytes = res.BytesRead()
		out.ReadRows, out.ReadBytes, out.ReadCounted = e.counters.read(res)
		out.Elapsed = time.Duration(res.Elapsed() * float64(time.Second))
		res.Free()
	}
	if out.Elapsed == 0 {
		out.Elapsed = time.Since(start)
	}
	return out, nil
}

func (e *Engine) killRunning() {
	e.ctlMu.Lock()
	defer e.ctlMu.Unlock()
	res, err := e.ctl.Query(killQuery, "TabSeparated")
	if err != nil {
		slog.Default().Warn("embedded: could not kill the running query", "error", err)
		return
	}
	if res != nil {
		res.Free()
	}
}

// contextException reports an ended context the way ClickHouse reports the
// matching condition: a deadline as TIMEOUT_EXCEEDED, a cancellation as
// QUERY_WAS_CANCELLED. The context error stays reachable with errors.Is.
func contextException(err error, when string) *Exception {
	suffix := ""
	if when != "" {
		suffix = " " + when
	}
	if errors.Is(err, context.DeadlineExceeded) {
		ex := NewException(CodeTimeoutExceeded, "Timeout exceeded: the request's deadline passed%s", suffix)
		ex.Cause = err
		return ex
	}
	ex := NewException(CodeQueryWasCancelled, "Query was cancelled%s", suffix)
	ex.Cause = err
	return ex
}
