// Package failover runs a query again when the connection it went out on
// broke, so that with several servers configured (replicas) a server that
// goes down fails only the queries in flight at that moment. Every query
// the data source and the exporter send reads (readonly=2), so sending it
// again is safe.
//
// clickhouse-go opens a new connection on the first address that answers,
// but keeps the pooled ones to a server that has gone: a query that takes
// one fails on it, and the pool drops it. Retrying takes the next one, or
// opens a new connection on a live server.
package failover

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// Do runs fn until it succeeds, fails for another reason than a broken or
// refused connection, ctx ends, or it has been tried attempts times.
func Do(ctx context.Context, attempts int, fn func(context.Context) error) error {
	var err error
	for range max(attempts, 1) {
		if err = fn(ctx); err == nil || !Broken(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// Broken tells whether err is a connection that could not be made or broke
// off, as opposed to an answer of the server's or a timeout.
func Broken(err error) bool {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	// clickhouse-go wraps some of these as text only.
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "unexpected EOF", "EOF"} {
		if strings.HasSuffix(msg, s) || strings.Contains(msg, s+":") || strings.Contains(msg, s+" ") {
			return true
		}
	}
	return false
}
