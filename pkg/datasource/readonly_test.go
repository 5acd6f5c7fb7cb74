package datasource_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
	"github.com/clickpy/clickpy-grafana/pkg/querylimits"
)

// serverState is what a write would change: every database's tables with
// their row counts, the user-defined functions, and the files in dir.
func serverState(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	rows, err := shared.conn.Query(ctx, "SELECT database, name, engine FROM system.tables WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') ORDER BY database, name")
	mustT(t, err)
	var tables [][3]string
	for rows.Next() {
		var db, name, engine string
		mustT(t, rows.Scan(&db, &name, &engine))
		tables = append(tables, [3]string{db, name, engine})
	}
	mustT(t, rows.Err())
	rows.Close()
	for _, tb := range tables {
		fmt.Fprintf(&b, "%s.%s", tb[0], tb[1])
		if strings.HasSuffix(tb[2], "MergeTree") {
			var n uint64
			mustT(t, shared.conn.QueryRow(ctx, fmt.Sprintf("SELECT count() FROM `%s`.`%s`", tb[0], tb[1])).Scan(&n))
			fmt.Fprintf(&b, " %d", n)
		}
		b.WriteByte('\n')
	}
	var fns []string
	frows, err := shared.conn.Query(ctx, "SELECT name FROM system.functions WHERE origin != 'System' ORDER BY name")
	mustT(t, err)
	for frows.Next() {
		var n string
		mustT(t, frows.Scan(&n))
		fns = append(fns, n)
	}
	frows.Close()
	fmt.Fprintf(&b, "functions: %v\n", fns)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Fprintf(&b, "file %s\n", e.Name())
	}
	return b.String()
}

// hostileStatements are what a viewer might send as a sql query to write,
// change the server or reach outside it, in every shape that fooled a
// first-keyword check.
func hostileStatements(db, dir string) []string {
	out := filepath.Join(dir, "x.csv")
	return []string{
		"DROP TABLE " + db + ".pypi",
		"INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects LIMIT 1",
		"ALTER TABLE " + db + ".pypi DELETE WHERE 1",
		"TRUNCATE TABLE " + db + ".pypi",
		"RENAME TABLE " + db + ".pypi TO " + db + ".pypi_gone",
		"CREATE FUNCTION viewer_fn AS x -> x + 1",
		"CREATE TABLE " + db + ".viewer_table (a UInt8) ENGINE = Memory",
		"SYSTEM DROP DNS CACHE",
		"KILL QUERY WHERE 1",
		"SET max_threads = 1",
		"OPTIMIZE TABLE " + db + ".pypi FINAL",
		"INSERT INTO FUNCTION file('" + out + "', 'CSV') SELECT 1",
		"SELECT * FROM file('/etc/passwd', 'LineAsString')",
		"SELECT file('/etc/passwd')",
		"SELECT * FROM url('http://127.0.0.1:1/', 'CSV', 'a String')",
		"SELECT * FROM remote('127.0.0.1', system.one)",
		"SELECT 1 INTO OUTFILE '" + out + "'",
		"WITH 1 AS x INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects LIMIT 1",
		"-- a comment first\nDROP TABLE " + db + ".pypi",
		"/* block */ (INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects LIMIT 1)",
		"SELECT 1; DROP TABLE " + db + ".pypi",
		"EXPLAIN INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects",
		"SELECT * FROM eval('SELECT * FROM file(''/etc/passwd'')')",
	}
}

// A viewer's sql query can never write, change the server or read outside
// it, whatever the statement's shape: each is refused with an error saying
// the data source is read-only or naming the function, and nothing on the
// server or in the file system changes.
func TestViewerCannotWrite(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	dir := t.TempDir()
	before := serverState(t, dir)
	for _, sql := range hostileStatements(shared.srv.Database, dir) {
		resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{
			query("A", map[string]any{"queryType": "sql", "rawSql": sql}, from, to),
			query("GOOD", goodModel(), from, to),
		})
		mustT(t, err)
		checkGoodAnswer(t, sql, resp.Responses["GOOD"])
		r := resp.Responses["A"]
		if r.Error == nil {
			t.Errorf("%q ran: %d frames", sql, len(r.Frames))
			continue
		}
		msg := r.Error.Error()
		if !strings.Contains(msg, "read-only") && !strings.Contains(msg, "outside the database") && !strings.Contains(msg, "one statement per query") {
			t.Errorf("%q: error %q says neither read-only nor outside the database", sql, msg)
		}
		if strings.Contains(msg, "may not change") || strings.Contains(msg, "settings the plugin needs") {
			t.Errorf("%q: error %q blames settings, not the write", sql, msg)
		}
	}
	if after := serverState(t, dir); after != before {
		t.Errorf("the server or the file system changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	checkPluginAlive(t)
}

// The server's readonly=2 stands behind the plugin's own check: a write
// sent straight through the query limits (as the exporter sends its
// queries), even with its own SETTINGS readonly=0, is refused by the
// server, and the refusal never makes the limits drop readonly.
func TestServerReadonlyStandsBehindTheCheck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	before := serverState(t, dir)
	db := shared.srv.Database
	l := querylimits.New(10*time.Second, 1000, 1<<20, nil)
	for _, sql := range []string{
		"INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects LIMIT 1",
		"INSERT INTO " + db + ".projects SETTINGS readonly = 0 SELECT * FROM " + db + ".projects LIMIT 1",
		"INSERT INTO " + db + ".projects SELECT * FROM " + db + ".projects LIMIT 1 SETTINGS readonly = 0",
		"CREATE TABLE " + db + ".viewer_table (a UInt8) ENGINE = Memory SETTINGS readonly = 0",
		"DROP TABLE " + db + ".pypi SETTINGS readonly = 0",
	} {
		err := l.Do(ctx, shared.conn, func(ctx context.Context) error { return shared.conn.Exec(ctx, sql) })
		var ex *clickhouse.Exception
		if !errors.As(err, &ex) || ex.Code != chexception.Readonly {
			t.Errorf("%q: got %v, want ClickHouse's READONLY (164)", sql, err)
		}
	}
	var level string
	mustT(t, l.Do(ctx, shared.conn, func(ctx context.Context) error {
		return shared.conn.QueryRow(ctx, "SELECT toString(getSetting('readonly'))").Scan(&level)
	}))
	if level != "2" {
		t.Errorf("after the refusals the limits send readonly=%s, want 2", level)
	}
	if after := serverState(t, dir); after != before {
		t.Errorf("the server changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// Reads still work under readonly=2, settings of the viewer's own
// included.
func TestViewerReadsStillWork(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	db := shared.srv.Database
	for _, sql := range []string{
		"SELECT count() AS n FROM " + db + ".pypi",
		"WITH 2 AS k SELECT number * k AS n FROM numbers(3)",
		"SELECT count() AS n FROM " + db + ".pypi SETTINGS max_threads = 1",
		"SHOW TABLES FROM " + db,
		"DESCRIBE TABLE " + db + ".pypi",
		"SELECT toString(getSetting('readonly')) AS level",
	} {
		resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("A", map[string]any{"queryType": "sql", "rawSql": sql}, from, to)})
		mustT(t, err)
		r := resp.Responses["A"]
		if r.Error != nil || len(r.Frames) != 1 || r.Frames[0].Rows() == 0 {
			t.Errorf("%q: %v", sql, r.Error)
			continue
		}
		if strings.Contains(sql, "getSetting") {
			if v, _ := r.Frames[0].Fields[0].ConcreteAt(0); v != "2" {
				t.Errorf("the plugin's queries run with readonly=%v, want 2", v)
			}
		}
	}
}

// Errors quote at most 200 characters of what the viewer sent.
func TestErrorsQuoteLittleOfTheInput(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	long := strings.Repeat("q", 5000)
	models := map[string]map[string]any{
		"type":   {"queryType": long},
		"sql":    {"queryType": "sql", "rawSql": "DROP " + long},
		"dim":    {"queryType": "breakdown", "packages": []string{"requests"}, "dimension": long},
		"gran":   {"queryType": "timeseries", "packages": []string{"requests"}, "granularity": long},
		"column": {"queryType": "sql", "rawSql": "SELECT 1 FROM $__table(" + long + ")"},
	}
	var qs []backend.DataQuery
	for name, m := range models {
		qs = append(qs, query(name, m, from, to))
	}
	resp, err := shared.host.QueryData(ctx, shared.ds, qs)
	mustT(t, err)
	for name := range models {
		r := resp.Responses[name]
		if r.Error == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if n := strings.Count(r.Error.Error(), "q"); n > 200+20 {
			t.Errorf("%s: the error repeats %d characters of the input: %.300s", name, n, r.Error)
		}
	}
	r, err := shared.host.CallResource(ctx, shared.ds, long, "")
	mustT(t, err)
	if n := strings.Count(string(r.Body), "q"); n > 200+20 {
		t.Errorf("resource error repeats %d characters of the path", n)
	}
}

// details of a package that does not exist is an empty frame with a
// notice, not a row of empty values and year-1 timestamps.
func TestDetailsOfNoSuchPackage(t *testing.T) {
	from, to := dataRange()
	resp, err := shared.host.QueryData(context.Background(), shared.ds, []backend.DataQuery{
		query("NONE", map[string]any{"queryType": "details", "packages": []string{"no-such-package-anywhere"}}, from, to),
		query("REAL", map[string]any{"queryType": "details", "packages": []string{"requests"}}, from, to),
	})
	mustT(t, err)
	none := resp.Responses["NONE"]
	if none.Error != nil || len(none.Frames) != 1 {
		t.Fatalf("no such package: %v, %d frames", none.Error, len(none.Frames))
	}
	f := none.Frames[0]
	if f.Rows() != 0 {
		t.Errorf("no such package: %d rows, want 0", f.Rows())
	}
	if f.Meta == nil || !slices.ContainsFunc(f.Meta.Notices, func(n data.Notice) bool { return strings.Contains(n.Text, "no such package") }) {
		t.Errorf("no such package: no notice saying so: %+v", f.Meta)
	}
	real := resp.Responses["REAL"]
	if real.Error != nil || len(real.Frames) != 1 || real.Frames[0].Rows() != 1 {
		t.Fatalf("requests: %v", real.Error)
	}
	if real.Frames[0].Meta != nil && slices.ContainsFunc(real.Frames[0].Meta.Notices, func(n data.Notice) bool { return strings.Contains(n.Text, "no such package") }) {
		t.Error("requests is said not to exist")
	}
}

// A prefix with bad percent-encoding is refused, not read as empty.
func TestResourceBadPercentEncoding(t *testing.T) {
	for _, q := range []string{"prefix=%zz", "prefix=bo%", "prefix=%E2%82"} {
		r, err := shared.host.CallResource(context.Background(), shared.ds, "packages", q)
		mustT(t, err)
		if q == "prefix=%E2%82" {
			// Valid encoding of an invalid UTF-8 sequence: the prefix
			// check, not the URL, refuses or answers it.
			continue
		}
		if r.Status != 400 || !strings.Contains(string(r.Body), "URL encoding") {
			t.Errorf("%s: status %d %s, want 400 naming the encoding", q, r.Status, r.Body)
		}
	}
}
