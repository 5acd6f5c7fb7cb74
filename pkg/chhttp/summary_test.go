package chhttp

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// parseSummary reads X-ClickHouse-Summary, whose numbers are JSON strings.
func parseSummary(t *testing.T, h string) map[string]uint64 {
	t.Helper()
	var raw map[string]string
	if err := json.Unmarshal([]byte(h), &raw); err != nil {
		t.Fatalf("summary %q: %v", h, err)
	}
	out := map[string]uint64{}
	for k, v := range raw {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("summary %q: %s: %v", h, k, err)
		}
		out[k] = n
	}
	return out
}

// statistics is what ClickHouse itself reports having read for q: FORMAT
// JSON's statistics block.
func statistics(t *testing.T, q string) (rows, bytes uint64) {
	t.Helper()
	body := mustOK(t, doHTTP(t, http.MethodPost, q, url.Values{"default_format": {"JSON"}}, nil, nil))
	var out struct {
		Statistics struct {
			RowsRead  uint64 `json:"rows_read"`
			BytesRead uint64 `json:"bytes_read"`
		} `json:"statistics"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return out.Statistics.RowsRead, out.Statistics.BytesRead
}

func summaryTable(t *testing.T) {
	t.Helper()
	mustOK(t, post(t, "CREATE TABLE summary_t (id UInt64, s String) ENGINE = MergeTree ORDER BY id SETTINGS index_granularity = 1024", ""))
	t.Cleanup(func() { post(t, "DROP TABLE summary_t", "") })
	mustOK(t, post(t, "INSERT INTO summary_t SELECT number, toString(number) FROM numbers(123457)", ""))
}

// X-ClickHouse-Summary's read_rows and read_bytes are what ClickHouse
// counts for the query, the figures of its own FORMAT JSON statistics.
func TestHTTPSummaryReadRows(t *testing.T) {
	summaryTable(t)
	for _, c := range []struct {
		q    string
		rows uint64
	}{
		{"SELECT count() FROM numbers(1000000)", 1000000},
		{"SELECT sum(id) FROM summary_t", 123457},
		{"SELECT count() FROM summary_t WHERE id < 1000", 1024},
		{"SELECT id, s FROM summary_t WHERE id BETWEEN 5000 AND 5009", 0},
	} {
		wantRows, wantBytes := statistics(t, c.q)
		if c.rows != 0 && wantRows != c.rows {
			t.Errorf("%q: ClickHouse says %d rows read, want %d", c.q, wantRows, c.rows)
		}
		for _, format := range []string{"TabSeparated", "Native", "CSV"} {
			r := doHTTP(t, http.MethodPost, c.q, url.Values{"default_format": {format}}, nil, nil)
			mustOK(t, r)
			s := parseSummary(t, r.header.Get("X-ClickHouse-Summary"))
			if s["read_rows"] != wantRows || s["read_bytes"] != wantBytes {
				t.Errorf("%q as %s: summary %v, ClickHouse read %d rows %d bytes", c.q, format, s, wantRows, wantBytes)
			}
			if _, ok := s["total_rows_to_read"]; ok {
				t.Errorf("%q: total_rows_to_read is not known here: %v", c.q, s)
			}
			if v, ok := s["written_rows"]; !ok || v != 0 {
				t.Errorf("%q: a SELECT writes 0 rows: %v", c.q, s)
			}
		}
	}
	// An INSERT's written figures are not known: left out, not 0.
	r := post(t, "INSERT INTO summary_t FORMAT TSV", "1\tx\n2\ty\n")
	mustOK(t, r)
	if s := parseSummary(t, r.header.Get("X-ClickHouse-Summary")); hasKey(s, "written_rows") {
		t.Errorf("INSERT summary %v", s)
	}
}

func hasKey(m map[string]uint64, k string) bool { _, ok := m[k]; return ok }

func TestSummaryLeavesOutUnknownReads(t *testing.T) {
	got := summary(&embedded.Result{ResultRows: 1, ResultBytes: 8})
	if got != `{"result_rows":"1","result_bytes":"8","elapsed_ns":"0"}` {
		t.Fatalf("%s", got)
	}
}

// summaryRecorder keeps the X-ClickHouse-Summary of the last response, as
// a client wrapping clickhouse-go's transport would: clickhouse-go v2.50
// itself does not read the header over HTTP.
type summaryRecorder struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	last string
}

func (s *summaryRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := s.rt.RoundTrip(r)
	if err == nil {
		s.mu.Lock()
		s.last = res.Header.Get("X-ClickHouse-Summary")
		s.mu.Unlock()
	}
	return res, err
}

func TestDriverSummaryReadRows(t *testing.T) {
	summaryTable(t)
	rec := &summaryRecorder{}
	conn := openConn(t, "alice", "s3cret", func(o *clickhouse.Options) {
		o.TransportFunc = func(tr *http.Transport) (http.RoundTripper, error) {
			rec.rt = tr
			return rec, nil
		}
	})
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{"readonly": 2}))
	for _, q := range []string{"SELECT count() FROM numbers(1000000)", "SELECT count() FROM summary_t WHERE s LIKE '%7%'"} {
		var n uint64
		if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		last := rec.last
		rec.mu.Unlock()
		s := parseSummary(t, last)
		wantRows, wantBytes := statistics(t, q)
		if s["read_rows"] != wantRows || s["read_bytes"] != wantBytes || wantRows < 123457 {
			t.Errorf("%q over clickhouse-go: summary %v, ClickHouse read %d rows %d bytes", q, s, wantRows, wantBytes)
		}
	}
}
