// Package readstats collects what a query read on the server, as the
// server reports it: the progress packets of the native protocol, or the
// X-ClickHouse-Summary header over HTTP. Nothing is estimated: a query
// whose server reported nothing has no figures.
package readstats

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// SummaryHeader is where ClickHouse's HTTP interface reports a query's
// totals.
const SummaryHeader = "X-ClickHouse-Summary"

// Stats is one query's figures. The zero value knows nothing.
type Stats struct {
	mu      sync.Mutex
	known   bool
	rows    uint64
	bytes   uint64
	elapsed time.Duration
}

// Figures are the totals of a query.
type Figures struct {
	RowsRead  uint64
	BytesRead uint64
	// Elapsed is the server's time, when it said.
	Elapsed time.Duration
}

type key struct{}

// With returns ctx carrying a fresh Stats that the query run with the
// returned context fills in, over either protocol.
func With(ctx context.Context) (context.Context, *Stats) {
	s := &Stats{}
	ctx = context.WithValue(ctx, key{}, s)
	return clickhouse.Context(ctx, clickhouse.WithProgress(s.progress)), s
}

// From returns the Stats ctx carries, or nil.
func From(ctx context.Context) *Stats {
	s, _ := ctx.Value(key{}).(*Stats)
	return s
}

// progress adds one native progress packet: rows and bytes are what was
// read since the previous packet.
func (s *Stats) progress(p *clickhouse.Progress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = true
	s.rows += p.Rows
	s.bytes += p.Bytes
	s.elapsed = max(s.elapsed, p.Elapsed)
}

// summary is the X-ClickHouse-Summary header's JSON: numbers as strings.
type summary struct {
	ReadRows  *string `json:"read_rows"`
	ReadBytes *string `json:"read_bytes"`
	ElapsedNs *string `json:"elapsed_ns"`
}

// Summary takes the figures of an X-ClickHouse-Summary header. A header
// without read_rows, or not JSON, tells nothing and is ignored.
func (s *Stats) Summary(header string) {
	if s == nil || header == "" {
		return
	}
	var sm summary
	if json.Unmarshal([]byte(header), &sm) != nil || sm.ReadRows == nil {
		return
	}
	rows, err := strconv.ParseUint(*sm.ReadRows, 10, 64)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = true
	s.rows = rows
	if sm.ReadBytes != nil {
		s.bytes, _ = strconv.ParseUint(*sm.ReadBytes, 10, 64)
	}
	if sm.ElapsedNs != nil {
		if ns, err := strconv.ParseInt(*sm.ElapsedNs, 10, 64); err == nil {
			s.elapsed = time.Duration(ns)
		}
	}
}

// Figures returns the totals, and false when the server reported none.
func (s *Stats) Figures() (Figures, bool) {
	if s == nil {
		return Figures{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return Figures{RowsRead: s.rows, BytesRead: s.bytes, Elapsed: s.elapsed}, s.known
}
