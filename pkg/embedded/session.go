package embedded

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	chdbpurego "github.com/chdb-io/chdb-go/chdb-purego"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// session is one request's own chDB connection. Measured on chDB 26.7, a
// second connection on the same path is a separate ClickHouse session
// (its own settings, current database, readonly level) on the same embedded
// server, and opening plus closing one costs about 0.2 ms. A fresh session
// per request is what ClickHouse's HTTP interface gives a request without
// session_id: nothing a query sets, not even readonly, outlives it.
type session struct {
	e    *Engine
	conn chdbpurego.ChdbConn
}

func (e *Engine) openSession() (*session, error) {
	c, err := chdbpurego.NewConnectionFromConnString(e.path)
	if err != nil {
		return nil, fmt.Errorf("embedded: open a session on %s: %w", e.path, err)
	}
	return &session{e: e, conn: c}, nil
}

func (s *session) close() { s.conn.Close() }

func (s *session) run(ctx context.Context, query, format string) (*Result, error) {
	return s.e.run(ctx, s.conn, query, format)
}

// defaultMaxQuerySize is ClickHouse's max_query_size default.
const defaultMaxQuerySize = 262144

// Bounds of the engine's memory of canonical texts: dashboards send the
// same statements again and again (values travel as parameters), and
// formatQuery is a round trip that about doubles a small query's time.
const (
	canonCacheEntries  = 512
	canonCacheMaxQuery = 64 << 10
)

// canonical returns the statement as ClickHouse's own formatter writes it.
// formatQuery parses with the same parser and settings as the query's run
// (a fresh session's), refuses more than one statement, and drops
// comments and quoting tricks, so checks on its output see what runs.
// raised reports that max_query_size was raised for the wrapped text, which
// the caller must put back before the statement runs.
func (s *session) canonical(ctx context.Context, statement string) (canon string, raised bool, err error) {
	// A fresh session formats a text the same way every time: the cache
	// (guarded by the engine's sem, which the caller holds) is exact.
	if c, ok := s.e.canon[statement]; ok {
		return c, false, nil
	}
	q := "SELECT formatQuery(" + schema.QuoteString(statement) + ")"
	if len(q) > defaultMaxQuerySize {
		// The wrapped text must fit where the statement alone would have.
		if _, err := s.run(ctx, "SET max_query_size = "+strconv.Itoa(len(q)+1), DefaultFormat); err != nil {
			return "", false, err
		}
		raised = true
	}
	res, err := s.run(ctx, q, "RawBLOB")
	if err != nil {
		return "", raised, unwrapFormatQuery(err)
	}
	canon = string(res.Data)
	if len(statement) <= canonCacheMaxQuery {
		if len(s.e.canon) >= canonCacheEntries {
			clear(s.e.canon)
		}
		s.e.canon[statement] = canon
	}
	return canon, raised, nil
}

// unwrapFormatQuery drops the ": In scope SELECT formatQuery('...')" that
// chDB appends to the statement's own parse error: the client sent the
// statement, not our wrapper. Positions in the message are already the
// statement's.
func unwrapFormatQuery(err error) error {
	ex, ok := err.(*Exception)
	if !ok {
		return err
	}
	if i := strings.Index(ex.Message, ": In scope SELECT formatQuery("); i >= 0 {
		c := *ex
		c.Message = strings.TrimRight(c.Message[:i], " .:")
		return &c
	}
	return ex
}
