package embedded

import (
	"context"
	"encoding/json"
	"testing"
)

// jsonStatistics is ClickHouse's own count of what a query read: the
// statistics block of its FORMAT JSON output.
func jsonStatistics(t testing.TB, e *Engine, q string) (rows, bytes uint64) {
	t.Helper()
	res, err := e.Query(context.Background(), Request{Query: q, Format: "JSON"})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var out struct {
		Statistics struct {
			RowsRead  uint64 `json:"rows_read"`
			BytesRead uint64 `json:"bytes_read"`
		} `json:"statistics"`
	}
	if err := json.Unmarshal(res.Data, &out); err != nil {
		t.Fatalf("%q: %v in %s", q, err, res.Data)
	}
	return out.Statistics.RowsRead, out.Statistics.BytesRead
}

// Result.ReadRows/ReadBytes are ClickHouse's own read figures for the
// query, whatever the output format, and not the result's size.
func TestReadCountersMatchClickHouseStatistics(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	if err := e.Exec(ctx, "CREATE TABLE counted (id UInt64, s String) ENGINE = MergeTree ORDER BY id SETTINGS index_granularity = 1024"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP TABLE counted")
	if err := e.Exec(ctx, "INSERT INTO counted SELECT number, toString(number) FROM numbers(123457)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q        string
		wantRows uint64
	}{
		{"SELECT count() FROM numbers(1000000)", 1000000},
		{"SELECT sum(number) FROM numbers(1000000) WHERE number % 3 = 0", 1000000},
		{"SELECT sum(id) FROM counted", 123457},
		{"SELECT count() FROM counted WHERE s LIKE '%7%'", 123457},
		// The primary key skips granules: 1000 rows match, whole granules are read.
		{"SELECT count() FROM counted WHERE id < 1000", 1024},
		{"SELECT id FROM counted ORDER BY id LIMIT 3", 0},
	} {
		wantRows, wantBytes := jsonStatistics(t, e, c.q)
		if c.wantRows != 0 && wantRows != c.wantRows {
			t.Errorf("%q: ClickHouse's statistics say %d rows, want %d", c.q, wantRows, c.wantRows)
		}
		for _, format := range []string{"TabSeparated", "Native", "JSONEachRow"} {
			res, err := e.Query(ctx, Request{Query: c.q, Format: format})
			if err != nil {
				t.Fatalf("%q: %v", c.q, err)
			}
			if !res.ReadCounted || res.ReadRows != wantRows || res.ReadBytes != wantBytes {
				t.Errorf("%q as %s: read %d rows %d bytes (counted %v), ClickHouse says %d rows %d bytes",
					c.q, format, res.ReadRows, res.ReadBytes, res.ReadCounted, wantRows, wantBytes)
			}
			if res.ReadRows == res.ResultRows && wantRows > 100 {
				t.Errorf("%q: read rows equal result rows (%d)", c.q, res.ResultRows)
			}
		}
	}
}

// BenchmarkReadCounters is the per-query cost of reading the storage
// counters: the same query with and without them.
func BenchmarkReadCounters(b *testing.B) {
	e := sharedEngine
	ctx := context.Background()
	for _, withCounters := range []bool{true, false} {
		name := "with"
		if !withCounters {
			name = "without"
		}
		b.Run(name, func(b *testing.B) {
			saved := e.counters
			if !withCounters {
				e.counters = readCounters{}
			}
			defer func() { e.counters = saved }()
			for b.Loop() {
				res, err := e.Query(ctx, Request{Query: "SELECT count() FROM numbers(1000)", HostAccess: true})
				if err != nil {
					b.Fatal(err)
				}
				if res.ReadCounted != withCounters {
					b.Fatalf("counted %v", res.ReadCounted)
				}
			}
		})
	}
}

// written_rows is known to be 0 only where nothing can have been written.
func TestWritesNothing(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	if err := e.Exec(ctx, "CREATE TABLE written (a UInt8) ENGINE = Memory"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP TABLE written")
	for _, c := range []struct {
		req  Request
		want bool
	}{
		{Request{Query: "SELECT 1"}, true},
		{Request{Query: "WITH 1 AS x SELECT x"}, false},
		{Request{Query: "WITH 1 AS x SELECT x", Profile: Profile{Readonly: 2}}, true},
		{Request{Query: "WITH 1 AS x INSERT INTO written SELECT x"}, false},
		{Request{Query: "INSERT INTO written VALUES (1)"}, false},
	} {
		res, err := e.Query(ctx, c.req)
		if err != nil {
			t.Fatalf("%q: %v", c.req.Query, err)
		}
		if res.WritesNothing != c.want {
			t.Errorf("%q %+v: WritesNothing %v", c.req.Query, c.req.Profile, res.WritesNothing)
		}
	}
}
