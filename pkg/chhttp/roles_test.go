package chhttp

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func asUser(t *testing.T, user, pw, query string, params url.Values) httpReply {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	params.Set("user", user)
	params.Set("password", pw)
	return doHTTP(t, http.MethodPost, query, params, strings.NewReader(""), nil)
}

// httpFixture makes a database with known contents and an empty directory,
// and returns a snapshot of both that any write would change.
func httpFixture(t *testing.T) (dir string, snapshot func() string) {
	t.Helper()
	for _, q := range []string{
		"DROP DATABASE IF EXISTS web",
		"CREATE DATABASE web",
		"CREATE TABLE web.events (id UInt64, s String) ENGINE = MergeTree ORDER BY id",
		"INSERT INTO web.events SELECT number, toString(number) FROM numbers(1000)",
		"CREATE TABLE web.mem (a UInt8) ENGINE = Memory",
		"INSERT INTO web.mem VALUES (1), (2)",
	} {
		mustOK(t, asUser(t, "alice", "s3cret", q, nil))
	}
	t.Cleanup(func() { asUser(t, "alice", "s3cret", "DROP DATABASE IF EXISTS web", nil) })
	dir = t.TempDir()
	snapshot = func() string {
		t.Helper()
		state := mustOK(t, asUser(t, "alice", "s3cret",
			"SELECT (SELECT groupArray(name) FROM (SELECT name FROM system.tables WHERE database = 'web' ORDER BY name)), "+
				"(SELECT count() FROM web.events), (SELECT sum(id) FROM web.events), (SELECT count() FROM web.mem), "+
				"(SELECT groupArray(name) FROM (SELECT name FROM system.databases ORDER BY name))", nil))
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			state += e.Name() + "\n"
		}
		return state
	}
	return dir, snapshot
}

// httpWrites are write statements in the shapes a first-keyword check
// misses, with the code a readonly request gets.
func httpWrites(dir string) map[string]string {
	out := filepath.Join(dir, "out.tsv")
	return map[string]string{
		"INSERT INTO web.events VALUES (9000, 'x')":                                       "164",
		"WITH 1 AS x INSERT INTO web.events SELECT x + 9000, 'w'":                         "164",
		"/* first */ INSERT INTO web.events VALUES (9001, 'c')":                           "164",
		"-- first\nINSERT INTO web.events VALUES (9002, 'c')":                             "164",
		"SELECT 1; INSERT INTO web.events VALUES (9003, 'm')":                             "62",
		"INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') VALUES (1)":           "164",
		"WITH 1 AS x INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') SELECT x": "164",
		"SELECT 1 INTO OUTFILE '" + out + "'":                                             "358",
		"CREATE TABLE web.c (a UInt8) ENGINE = Memory":                                    "164",
		"CREATE TABLE web.f (a UInt8) ENGINE = File(TSV, '" + out + "')":                  "164",
		"DROP TABLE web.mem":                    "164",
		"ALTER TABLE web.events DELETE WHERE 1": "164",
		"RENAME TABLE web.mem TO web.mem2":      "164",
		"TRUNCATE TABLE web.mem":                "164",
		"OPTIMIZE TABLE web.events FINAL":       "164",
		"SYSTEM DROP MARK CACHE":                "164",
		"KILL QUERY WHERE 1":                    "164",
	}
}

// Read-only users, and the admin's requests that send readonly, write
// nothing whatever the statement's shape, reach no host file or network,
// and still read.
func TestHTTPReadonlyWritesNothing(t *testing.T) {
	dir, snapshot := httpFixture(t)
	before := snapshot()
	for _, who := range []struct {
		user, pw string
		params   url.Values
	}{
		{"reader", "r", nil},
		{"locked", "l", nil},
		{"alice", "s3cret", url.Values{"readonly": {"2"}}},
		{"alice", "s3cret", url.Values{"readonly": {"1"}}},
		{"root", "h", url.Values{"readonly": {"2"}}},
	} {
		params := func() url.Values {
			p := url.Values{}
			for k, v := range who.params {
				p[k] = v
			}
			return p
		}
		for q, code := range httpWrites(dir) {
			r := asUser(t, who.user, who.pw, q, params())
			if got := r.header.Get("X-ClickHouse-Exception-Code"); got != code {
				t.Errorf("%s %v: %q: %d %s %q, want code %s", who.user, who.params, q, r.status, got, r.body, code)
			}
		}
		if got := mustOK(t, asUser(t, who.user, who.pw, "SELECT count() FROM web.events", params())); got != "1000\n" {
			t.Errorf("%s: read %q", who.user, got)
		}
	}
	// Host files and the network, for the read-only user.
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before = snapshot()
	for _, q := range []string{
		"SELECT * FROM file('/proc/self/environ', 'RawBLOB')",
		"SELECT file('" + secret + "')",
		"SELECT * FROM url('http://127.0.0.1:9/', 'RawBLOB')",
		"SELECT * FROM remote('127.0.0.1:9', system.one)",
		"SELECT * FROM s3('http://127.0.0.1:9/b/k', 'RawBLOB')",
		"SELECT * FROM (SELECT * FROM file('" + secret + "', 'RawBLOB'))",
	} {
		for _, user := range [][2]string{{"reader", "r"}, {"locked", "l"}, {"alice", "s3cret"}} {
			r := asUser(t, user[0], user[1], q, nil)
			if r.header.Get("X-ClickHouse-Exception-Code") != "497" || r.status != http.StatusForbidden {
				t.Errorf("%s: %q: %d %q", user[0], q, r.status, r.body)
			}
		}
	}
	if after := snapshot(); after != before {
		t.Fatalf("state changed:\n%s\n%s", before, after)
	}
	// The one user given host access does read the file: the fence is not
	// refusing everything.
	if got := mustOK(t, asUser(t, "root", "h", "SELECT * FROM file('"+secret+"', 'RawBLOB') FORMAT RawBLOB", nil)); got != "42\n" {
		t.Fatalf("root read %q", got)
	}
}

// readonly=2 from the request (what the plugin sends): reads and setting
// changes work; no SETTINGS clause, at any depth, lowers readonly.
func TestHTTPReadonly2Settings(t *testing.T) {
	ro := func() url.Values { return url.Values{"readonly": {"2"}} }
	if got := mustOK(t, asUser(t, "alice", "s3cret", "SELECT getSetting('readonly'), getSetting('max_threads') SETTINGS max_threads = 1", ro())); got != "2\t1\n" {
		t.Fatalf("settings: %q", got)
	}
	p := ro()
	p.Set("max_result_rows", "7")
	if got := mustOK(t, asUser(t, "alice", "s3cret", "SELECT getSetting('max_result_rows')", p)); got != "7\n" {
		t.Fatalf("URL setting: %q", got)
	}
	for _, q := range []string{
		"SELECT 1 SETTINGS readonly = 0",
		"SELECT 1 SETTINGS readonly = DEFAULT",
		"SELECT * FROM (SELECT 1 SETTINGS readonly = 0)",
		"SET readonly = 0",
	} {
		r := asUser(t, "alice", "s3cret", q, ro())
		if r.header.Get("X-ClickHouse-Exception-Code") != "164" || !strings.Contains(r.body, "Cannot modify 'readonly' setting in readonly mode") {
			t.Errorf("%q: %d %q", q, r.status, r.body)
		}
	}
	// A readonly=2 user may not send readonly=0 (nor 1).
	for _, v := range []string{"0", "1"} {
		r := asUser(t, "reader", "r", "SELECT 1", url.Values{"readonly": {v}})
		if r.header.Get("X-ClickHouse-Exception-Code") != "164" {
			t.Errorf("reader readonly=%s: %d %q", v, r.status, r.body)
		}
	}
}

// A demo user's constant settings cannot be changed from the query, at any
// depth, or from the URL; a readonly=1 user changes nothing.
func TestHTTPConstantSettings(t *testing.T) {
	for _, c := range []struct {
		user, pw, q string
		params      url.Values
		code        string
	}{
		{"demo", "d", "SELECT count() FROM numbers(1000000) SETTINGS max_rows_to_read = 0", nil, "452"},
		{"demo", "d", "SELECT * FROM (SELECT count() FROM numbers(1000000) SETTINGS max_rows_to_read = 0)", nil, "452"},
		{"demo", "d", "SELECT * FROM (SELECT count() FROM numbers(1000000)) SETTINGS read_overflow_mode = 'throw'", nil, "452"},
		{"demo", "d", "SELECT 1", url.Values{"max_rows_to_read": {"0"}}, "452"},
		{"locked", "l", "SELECT 1 SETTINGS max_threads = 1", nil, "164"},
		{"locked", "l", "SELECT * FROM (SELECT 1 SETTINGS max_rows_to_read = 1)", nil, "164"},
	} {
		r := asUser(t, c.user, c.pw, c.q, c.params)
		if r.header.Get("X-ClickHouse-Exception-Code") != c.code {
			t.Errorf("%s %q %v: %d %q, want %s", c.user, c.q, c.params, r.status, r.body, c.code)
		}
	}
	// The cap holds, and its value may be repeated.
	if got := mustOK(t, asUser(t, "demo", "d", "SELECT count() FROM numbers(1000000) SETTINGS max_rows_to_read = 5", nil)); got == "1000000\n" {
		t.Fatalf("the cap did not hold: %q", got)
	}
}

// The same over clickhouse-go (HTTP), with readonly=2 in the context's
// settings as the plugin sends it.
func TestDriverReadonly2(t *testing.T) {
	dir, snapshot := httpFixture(t)
	before := snapshot()
	conn := openConn(t, "alice", "s3cret")
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{"readonly": 2}))
	for q, code := range httpWrites(dir) {
		err := conn.Exec(ctx, q)
		if want := map[string]int32{"164": 164, "358": 358, "62": 62}[code]; exceptionCode(err) != want {
			t.Errorf("%q: %v, want %d", q, err, want)
		}
	}
	for _, q := range []string{"SELECT 1 SETTINGS readonly = 0", "SELECT * FROM (SELECT 1 SETTINGS readonly = 0)"} {
		_, err := conn.Query(ctx, q)
		wantException(t, err, 164)
	}
	var n uint64
	var threads string
	if err := conn.QueryRow(ctx, "SELECT count(), getSetting('max_threads')::String FROM web.events SETTINGS max_threads = 1").Scan(&n, &threads); err != nil || n != 1000 || threads != "1" {
		t.Fatalf("read with a setting: %d %q %v", n, threads, err)
	}
	if after := snapshot(); after != before {
		t.Fatalf("state changed:\n%s\n%s", before, after)
	}
}

func exceptionCode(err error) int32 {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return ex.Code
	}
	return 0
}
