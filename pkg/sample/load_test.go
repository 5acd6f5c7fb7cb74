package sample

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// fakeConn records what Load sends; embedding driver.Conn keeps it
// compiling as the interface grows, and any unexpected call panics.
type fakeConn struct {
	driver.Conn
	execs   []string
	batches []*fakeBatch
	failOn  string
	// noGitHub makes the database lack github_events.
	noGitHub bool
}

func (c *fakeConn) Exec(_ context.Context, query string, _ ...any) error {
	c.execs = append(c.execs, query)
	if c.failOn != "" && strings.Contains(query, c.failOn) {
		return errors.New("injected failure")
	}
	return nil
}

// QueryRow answers Load's one question, whether the database has
// github_events: yes, unless noGitHub.
func (c *fakeConn) QueryRow(_ context.Context, query string, _ ...any) driver.Row {
	c.execs = append(c.execs, "QUERY "+query)
	return fakeRow{has: !c.noGitHub}
}

type fakeRow struct {
	driver.Row
	has bool
}

func (r fakeRow) Scan(dest ...any) error {
	n := dest[0].(*uint64)
	*n = 0
	if r.has {
		*n = 1
	}
	return nil
}

func (r fakeRow) Err() error { return nil }

func (c *fakeConn) PrepareBatch(_ context.Context, query string, _ ...driver.PrepareBatchOption) (driver.Batch, error) {
	b := &fakeBatch{query: query}
	c.batches = append(c.batches, b)
	c.execs = append(c.execs, "BATCH "+query)
	return b, nil
}

type fakeBatch struct {
	driver.Batch
	query string
	rows  [][]any
	// Columnar appends are summarized, not kept, so a demo-size load fits.
	colLen map[int]int
	sum    uint64 // of uint32 column values
	sent   bool
}

func (b *fakeBatch) Append(v ...any) error { b.rows = append(b.rows, v); return nil }
func (b *fakeBatch) Send() error           { b.sent = true; return nil }
func (b *fakeBatch) Abort() error          { b.sent = true; return nil }
func (b *fakeBatch) IsSent() bool          { return b.sent }
func (b *fakeBatch) Column(i int) driver.BatchColumn {
	if b.colLen == nil {
		b.colLen = map[int]int{}
	}
	return fakeColumn{b, i}
}

type fakeColumn struct {
	b *fakeBatch
	i int
}

func (c fakeColumn) Append(v any) error {
	switch x := v.(type) {
	case []time.Time:
		c.b.colLen[c.i] += len(x)
	case []string:
		c.b.colLen[c.i] += len(x)
	case []uint32:
		c.b.colLen[c.i] += len(x)
		for _, n := range x {
			c.b.sum += uint64(n)
		}
	default:
		return fmt.Errorf("unexpected column type %T", v)
	}
	return nil
}

func (c fakeColumn) AppendRow(any) error { return errors.New("not used") }

func TestLoad(t *testing.T) {
	t.Run("test", func(t *testing.T) { testLoad(t, Config{Seed: 11, End: testEnd(), Size: SizeTest}, 1) })
	if !testing.Short() {
		// Demo has more cells than one stage round holds.
		t.Run("demo", func(t *testing.T) { testLoad(t, Config{Seed: 11, End: testEnd(), Size: SizeDemo}, 0) })
	}
}

func testLoad(t *testing.T, cfg Config, expands int) {
	conn := &fakeConn{}
	st, err := Load(context.Background(), conn, "clickpy_test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := generate(t, cfg)
	if expands == 0 {
		// One expansion per full stage round, plus one for the rest.
		expands = int((want.cells + stageFlushCells - 1) / stageFlushCells)
	}
	if st.Rows != uint64(want.rows) || st.Cells != uint64(want.cells) {
		t.Errorf("stats %+v, generated %d rows in %d cells", st, want.rows, want.cells)
	}
	if st.Countries != CountryCount || st.Projects != len(Projects(cfg)) || st.RowsPerSecond <= 0 {
		t.Errorf("stats %+v", st)
	}

	var staged, stagedRows uint64
	var projects, countries, events int
	for _, b := range conn.batches {
		switch {
		case strings.HasPrefix(b.query, "INSERT INTO clickpy_test._sample_stage ("):
			n := b.colLen[8]
			if len(b.colLen) != 9 || n == 0 || n > stageBatchCells {
				t.Fatalf("stage batch has columns %v", b.colLen)
			}
			for i := range 9 {
				if b.colLen[i] != n {
					t.Fatalf("stage batch has columns %v", b.colLen)
				}
			}
			stagedRows += b.sum
			staged += uint64(n)
		case strings.HasPrefix(b.query, "INSERT INTO clickpy_test.projects ("):
			for _, r := range b.rows {
				if len(r) != len(ProjectColumns()) {
					t.Fatalf("projects row with %d values", len(r))
				}
			}
			projects += len(b.rows)
		case b.query == "INSERT INTO clickpy_test.countries (name, code)":
			countries += len(b.rows)
		case strings.HasPrefix(b.query, "INSERT INTO clickpy_test.github_events ("):
			events += len(b.rows)
		default:
			t.Errorf("unexpected batch %q", b.query)
		}
		if !b.sent {
			t.Errorf("batch %q not sent", b.query)
		}
	}
	if events == 0 || events != st.GitHubEvents || events != len(GitHubEvents(cfg)) {
		t.Errorf("%d GitHub events loaded, stats say %d, generated %d", events, st.GitHubEvents, len(GitHubEvents(cfg)))
	}
	if staged != st.Cells || stagedRows != st.Rows || projects != st.Projects || countries != CountryCount {
		t.Errorf("staged %d cells / %d rows, %d projects, %d countries; stats %+v", staged, stagedRows, projects, countries, st)
	}

	execs := strings.Join(conn.execs, "\n")
	if got := strings.Count(execs, "ARRAY JOIN range(n)"); got != expands {
		t.Errorf("%d expand statements, want %d", got, expands)
	}
	for _, frag := range []string{
		"DROP TABLE IF EXISTS clickpy_test._sample_stage\nCREATE TABLE clickpy_test._sample_stage",
		"INSERT INTO clickpy_test.pypi (date, country_code, project, type, installer, python_minor, system, version)",
		"ARRAY JOIN range(n)",
		"TRUNCATE TABLE clickpy_test._sample_stage",
	} {
		if !strings.Contains(execs, frag) {
			t.Errorf("statements lack %q", frag)
		}
	}
	if last := conn.execs[len(conn.execs)-1]; last != "DROP TABLE IF EXISTS clickpy_test._sample_stage" {
		t.Errorf("last statement %q, want the stage dropped", last)
	}
}

func TestLoadErrors(t *testing.T) {
	cfg := Config{Seed: 1, End: testEnd(), Size: SizeTest}
	for _, db := range []string{"", "a.b", "x; DROP TABLE y", "1db", "naïve"} {
		conn := &fakeConn{}
		if _, err := Load(context.Background(), conn, db, cfg); err == nil || len(conn.execs) > 0 {
			t.Errorf("database %q: err %v after %d statements", db, err, len(conn.execs))
		}
	}
	conn := &fakeConn{failOn: "ARRAY JOIN"}
	if _, err := Load(context.Background(), conn, "pypi", cfg); err == nil || !strings.Contains(err.Error(), "expanding") {
		t.Fatalf("expand failure: %v", err)
	}
	if last := conn.execs[len(conn.execs)-1]; !strings.HasPrefix(last, "DROP TABLE IF EXISTS pypi._sample_stage") {
		t.Errorf("stage not dropped after failure; last statement %q", last)
	}
}

func TestStageSQL(t *testing.T) {
	st, err := StageSQL("pypi")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(st.Insert, "INSERT INTO pypi._sample_stage (date, country_code,") || !strings.Contains(st.Expand, "FROM pypi._sample_stage") {
		t.Errorf("%+v", st)
	}
	if _, err := StageSQL("pypi`; --"); err == nil {
		t.Error("StageSQL accepted a hostile name")
	}
}

// Progress reports count the rows expanded into pypi so far: after each
// expansion round, rising, ending at the load's total.
func TestLoadReportsProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo set, which takes several rounds")
	}
	conn := &fakeConn{}
	var reports []uint64
	var sentAtReport []uint64
	expands := 0
	st, err := LoadReporting(context.Background(), conn, "clickpy_test", Config{Seed: 3, End: testEnd(), Size: SizeDemo}, func(rows uint64) {
		var sent uint64
		for _, b := range conn.batches {
			if b.sent && strings.Contains(b.query, StageTable) {
				sent += b.sum
			}
		}
		reports = append(reports, rows)
		sentAtReport = append(sentAtReport, sent)
		if n := strings.Count(strings.Join(conn.execs, "\n"), "ARRAY JOIN range(n)"); n != expands+1 {
			t.Errorf("report %d after %d expansions", len(reports), n)
		}
		expands++
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 4 || reports[len(reports)-1] != st.Rows {
		t.Fatalf("reports %v, load of %d rows", reports, st.Rows)
	}
	for i, r := range reports {
		if r != sentAtReport[i] {
			t.Errorf("report %d says %d rows, the server had received %d", i, r, sentAtReport[i])
		}
		if i > 0 && r < reports[i-1] {
			t.Errorf("reports go back: %v", reports)
		}
	}
}
