package embedded

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rolesFixture is a database with a MergeTree and a Memory table of known
// sizes, and an empty directory that no refused statement may write to.
func rolesFixture(t *testing.T) (dir string, snapshot func() string) {
	t.Helper()
	e := testEngine(t)
	ctx := context.Background()
	for _, q := range []string{
		"DROP DATABASE IF EXISTS roles",
		"CREATE DATABASE roles",
		"CREATE TABLE roles.events (id UInt64, s String) ENGINE = MergeTree ORDER BY id",
		"INSERT INTO roles.events SELECT number, toString(number) FROM numbers(1000)",
		"CREATE TABLE roles.mem (a UInt8) ENGINE = Memory",
		"INSERT INTO roles.mem VALUES (1), (2), (3)",
	} {
		if err := e.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() { _ = e.Exec(context.Background(), "DROP DATABASE IF EXISTS roles") })
	dir = t.TempDir()
	snapshot = func() string {
		t.Helper()
		tables := query(t, Request{Query: "SELECT database, name, engine FROM system.tables WHERE database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema') ORDER BY database, name"})
		counts := query(t, Request{Query: "SELECT (SELECT count() FROM roles.events), (SELECT sum(id) FROM roles.events), (SELECT count() FROM roles.mem)"})
		dbs := query(t, Request{Query: "SELECT name FROM system.databases ORDER BY name"})
		var files []string
		_ = filepath.WalkDir(dir, func(p string, _ os.DirEntry, _ error) error {
			files = append(files, p)
			return nil
		})
		return tables + counts + dbs + strings.Join(files, "\n")
	}
	return dir, snapshot
}

// writeShapes are statements that write, spelled every way a keyword check
// could miss, with the code a readonly request gets: READONLY, or what
// ClickHouse's HTTP interface answers before that (several statements,
// INTO OUTFILE).
func writeShapes(dir string) []struct {
	q    string
	code int
} {
	out := filepath.Join(dir, "out.tsv")
	return []struct {
		q    string
		code int
	}{
		{"INSERT INTO roles.events VALUES (5000, 'x')", CodeReadonly},
		{"insert into roles.events select number + 5000, 'y' from numbers(3)", CodeReadonly},
		{"WITH 1 AS x INSERT INTO roles.events SELECT x + 5000, 'w'", CodeReadonly},
		{"WITH (SELECT 1) AS x INSERT INTO roles.events SELECT x, 'w'", CodeReadonly},
		{"/* a comment first */ INSERT INTO roles.events VALUES (5001, 'c')", CodeReadonly},
		{"-- a comment first\nINSERT INTO roles.events VALUES (5002, 'c')", CodeReadonly},
		{"# a comment first\nINSERT INTO roles.events VALUES (5003, 'c')", CodeReadonly},
		{"(INSERT INTO roles.events VALUES (5004, 'p'))", CodeReadonly},
		{"SELECT 1; INSERT INTO roles.events VALUES (5005, 'm')", CodeSyntaxError},
		{"SELECT 1;INSERT INTO roles.events VALUES (5006, 'm');", CodeSyntaxError},
		{"SELECT ';'; SET readonly = DEFAULT; INSERT INTO roles.events VALUES (5007, 'm')", CodeSyntaxError},
		{"INSERT INTO roles.events FORMAT TSV\n5008\tdata\n", CodeReadonly},
		{"INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') VALUES (1)", CodeReadonly},
		{"INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') SELECT 1", CodeReadonly},
		{"WITH 1 AS x INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') SELECT x", CodeReadonly},
		{"SELECT 1 INTO OUTFILE '" + out + "'", CodeIntoOutfileNotAllowed},
		{"CREATE TABLE roles.created (a UInt8) ENGINE = Memory", CodeReadonly},
		{"CREATE TABLE roles.f (a UInt8) ENGINE = File(TSV, '" + out + "')", CodeReadonly},
		{"CREATE VIEW roles.v AS SELECT 1", CodeReadonly},
		{"CREATE DATABASE roles2", CodeReadonly},
		{"DROP TABLE roles.mem", CodeReadonly},
		{"DROP DATABASE roles", CodeReadonly},
		{"ALTER TABLE roles.events DELETE WHERE 1", CodeReadonly},
		{"ALTER TABLE roles.events ADD COLUMN z UInt8", CodeReadonly},
		{"DELETE FROM roles.events WHERE 1", CodeReadonly},
		{"UPDATE roles.events SET s = 'u' WHERE 1", CodeReadonly},
		{"RENAME TABLE roles.mem TO roles.mem2", CodeReadonly},
		{"EXCHANGE TABLES roles.mem AND roles.events", CodeReadonly},
		{"TRUNCATE TABLE roles.mem", CodeReadonly},
		{"DETACH TABLE roles.mem", CodeReadonly},
		{"OPTIMIZE TABLE roles.events FINAL", CodeReadonly},
		{"SYSTEM DROP MARK CACHE", CodeReadonly},
		{"KILL QUERY WHERE 1", CodeReadonly},
		{"BACKUP TABLE roles.mem TO File('" + out + "')", CodeReadonly},
	}
}

// readonlyRequests are the ways a request ends up read-only: a user's
// profile, the request's own readonly setting (the plugin sends
// readonly=2 with every query), an HTTP GET.
func readonlyRequests() []struct {
	name string
	req  Request
} {
	return []struct {
		name string
		req  Request
	}{
		{"profile readonly=1", Request{Profile: Profile{Readonly: 1}}},
		{"profile readonly=2", Request{Profile: Profile{Readonly: 2}}},
		{"admin sends readonly=1", Request{Settings: []Setting{{"readonly", "1"}}}},
		{"admin sends readonly=2", Request{Settings: []Setting{{"readonly", "2"}}}},
		{"admin over GET", Request{Idempotent: true}},
		{"admin with host access sends readonly=2", Request{Settings: []Setting{{"readonly", "2"}}, HostAccess: true}},
	}
}

func TestReadonlyRefusesEveryWrite(t *testing.T) {
	dir, snapshot := rolesFixture(t)
	before := snapshot()
	e := testEngine(t)
	for _, rr := range readonlyRequests() {
		for _, w := range writeShapes(dir) {
			req := rr.req
			req.Query = w.q
			_, err := e.Query(context.Background(), req)
			if got := codeOf(err); got != w.code {
				t.Errorf("%s: %q: got %v, want code %d", rr.name, w.q, err, w.code)
			}
		}
		req := rr.req
		req.Query = "SELECT count(), sum(id) FROM roles.events"
		if got := query(t, req); got != "1000\t499500\n" {
			t.Errorf("%s: read %q", rr.name, got)
		}
	}
	if after := snapshot(); after != before {
		t.Fatalf("state changed:\nbefore %s\nafter  %s", before, after)
	}
	// The fixture can change: the same statements run for the admin.
	if err := e.Exec(context.Background(), "INSERT INTO roles.mem VALUES (4)"); err != nil {
		t.Fatal(err)
	}
	if snapshot() == before {
		t.Fatal("the snapshot does not see a write")
	}
}

// readonly=2 reads and changes settings except readonly, which no SETTINGS
// clause (at any depth, DEFAULT included) may lower; readonly=1 changes
// nothing but may repeat its own values.
func TestReadonlySettings(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	ro2 := []Request{
		{Profile: Profile{Readonly: 2}},
		{Settings: []Setting{{"readonly", "2"}}},
	}
	for _, base := range ro2 {
		for _, c := range []struct {
			q, want string
			code    int
		}{
			{q: "SELECT getSetting('max_threads') SETTINGS max_threads = 1", want: "1\n"},
			{q: "SELECT * FROM (SELECT getSetting('max_threads') SETTINGS max_threads = 1)", want: "1\n"},
			{q: "SELECT getSetting('readonly')", want: "2\n"},
			{q: "SELECT getSetting('readonly') SETTINGS readonly = 2", want: "2\n"},
			{q: "SET max_threads = 1", want: ""},
			{q: "SELECT 1 SETTINGS readonly = 0", code: CodeReadonly},
			{q: "SELECT 1 SETTINGS readonly = 1", code: CodeReadonly},
			{q: "SELECT 1 SETTINGS readonly = DEFAULT", code: CodeReadonly},
			{q: "SELECT 1 SETTINGS max_threads = 1, `readonly` = 0", code: CodeReadonly},
			{q: "SELECT * FROM (SELECT 1 SETTINGS readonly = 0)", code: CodeReadonly},
			{q: "SELECT * FROM (SELECT * FROM (SELECT 1) SETTINGS readonly = DEFAULT)", code: CodeReadonly},
			{q: "SELECT 1 WHERE 1 IN (SELECT 1 SETTINGS readonly = 0)", code: CodeReadonly},
			{q: "WITH t AS (SELECT 1 SETTINGS readonly = 0) SELECT * FROM t", code: CodeReadonly},
			{q: "SELECT * FROM view(SELECT 1 SETTINGS readonly = 0)", code: CodeReadonly},
			{q: "SELECT 1 /* SETTINGS */ SETTINGS/**/readonly=0", code: CodeReadonly},
			{q: "SET readonly = 0", code: CodeReadonly},
			{q: "SET readonly = DEFAULT", code: CodeReadonly},
			{q: "SET max_threads = 1, readonly = DEFAULT", code: CodeReadonly},
		} {
			req := base
			req.Query = c.q
			res, err := e.Query(ctx, req)
			if c.code != 0 {
				if codeOf(err) != c.code {
					t.Errorf("%+v %q: got %v, want code %d", base, c.q, err, c.code)
				}
				continue
			}
			if err != nil || string(res.Data) != c.want {
				t.Errorf("%+v %q: %v %q, want %q", base, c.q, err, resData(res), c.want)
			}
		}
	}
	ro1 := Request{Profile: Profile{Readonly: 1, Settings: []Setting{{"max_threads", "1"}}}}
	for _, c := range []struct {
		q, want string
		code    int
	}{
		{q: "SELECT getSetting('max_threads'), getSetting('readonly')", want: "1\t1\n"},
		{q: "SELECT 1 SETTINGS readonly = 1, max_threads = 1", want: "1\n"},
		{q: "SELECT 1 SETTINGS max_threads = 2", code: CodeReadonly},
		{q: "SELECT * FROM (SELECT 1 SETTINGS max_result_rows = 10)", code: CodeReadonly},
		{q: "SELECT 1 SETTINGS readonly = 2", code: CodeReadonly},
		{q: "SET max_threads = 2", code: CodeReadonly},
	} {
		req := ro1
		req.Query = c.q
		res, err := e.Query(ctx, req)
		if c.code != 0 {
			if codeOf(err) != c.code {
				t.Errorf("readonly=1 %q: got %v, want code %d", c.q, err, c.code)
			}
			continue
		}
		if err != nil || string(res.Data) != c.want {
			t.Errorf("readonly=1 %q: %v %q, want %q", c.q, err, resData(res), c.want)
		}
	}
	// Settings of the request itself, as URL parameters would send them.
	_, err := e.Query(ctx, Request{Query: "SELECT 1", Profile: ro1.Profile, Settings: []Setting{{"max_threads", "2"}}})
	wantCode(t, err, CodeReadonly)
	_, err = e.Query(ctx, Request{Query: "SELECT 1", Profile: Profile{Readonly: 2}, Settings: []Setting{{"readonly", "0"}}})
	wantCode(t, err, CodeReadonly)
	if got := query(t, Request{Query: "SELECT getSetting('max_threads')", Profile: Profile{Readonly: 2}, Settings: []Setting{{"max_threads", "1"}}}); got != "1\n" {
		t.Fatalf("readonly=2 URL setting: %q", got)
	}
	// Nothing of it reaches the next request.
	if got := query(t, Request{Query: "SELECT getSetting('readonly'), getSetting('max_threads') = getSetting('max_threads') SETTINGS max_threads = 0"}); got != "0\t1\n" {
		t.Fatalf("after: %q", got)
	}
}

func resData(res *Result) string {
	if res == nil {
		return ""
	}
	return string(res.Data)
}

// A demo user's constant settings cannot be changed by the query, at any
// depth, nor by the request: SETTING_CONSTRAINT_VIOLATION, as ClickHouse
// answers for a CONST constraint.
func TestConstantSettings(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	demo := Profile{Readonly: 2, Settings: []Setting{{"max_rows_to_read", "5"}, {"read_overflow_mode", "break"}},
		Constant: []string{"max_rows_to_read", "read_overflow_mode"}}
	capped := "SELECT count() FROM numbers(1000000)"
	res, err := e.Query(ctx, Request{Query: capped, Profile: demo})
	if err != nil || string(res.Data) == "1000000\n" {
		t.Fatalf("the cap does not hold: %v %q", err, resData(res))
	}
	for _, q := range []string{
		capped + " SETTINGS max_rows_to_read = 0",
		capped + " SETTINGS max_rows_to_read = DEFAULT",
		capped + " SETTINGS read_overflow_mode = 'throw'",
		"SELECT * FROM (" + capped + " SETTINGS max_rows_to_read = 0)",
		"SELECT * FROM (SELECT * FROM (" + capped + ") SETTINGS max_rows_to_read = 0) SETTINGS max_threads = 1",
		"WITH c AS (" + capped + " SETTINGS max_rows_to_read = 0) SELECT * FROM c",
		"SET max_rows_to_read = 0",
	} {
		_, err := e.Query(ctx, Request{Query: q, Profile: demo})
		ex := wantCode(t, err, CodeSettingConstraintViolation)
		if !strings.Contains(ex.Message, "should not be changed") {
			t.Errorf("%q: %v", q, ex)
		}
	}
	_, err = e.Query(ctx, Request{Query: "SELECT 1", Profile: demo, Settings: []Setting{{"max_rows_to_read", "0"}}})
	wantCode(t, err, CodeSettingConstraintViolation)
	// Repeating a constant's value, and changing other settings, is fine.
	for _, q := range []string{capped + " SETTINGS max_rows_to_read = 5, max_threads = 1", "SELECT 1 SETTINGS read_overflow_mode = 'break'"} {
		if _, err := e.Query(ctx, Request{Query: q, Profile: demo}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	locked := Profile{Readonly: 1, Settings: demo.Settings, Constant: demo.Constant}
	_, err = e.Query(ctx, Request{Query: capped + " SETTINGS max_rows_to_read = 0", Profile: locked})
	wantCode(t, err, CodeReadonly)
}

// The session a readonly request runs in is itself readonly: the checks
// come on top of the engine's own enforcement, not instead of it.
func TestSessionIsReadonly(t *testing.T) {
	_, snapshot := rolesFixture(t)
	before := snapshot()
	e := testEngine(t)
	ctx := context.Background()
	for _, level := range []int{1, 2} {
		e.sem <- struct{}{}
		s, err := e.openSession()
		if err != nil {
			<-e.sem
			t.Fatal(err)
		}
		assign := assignments(nil, nil, effective{readonly: level}, false, false)
		if !slices.Contains(assign, "readonly = "+string(rune('0'+level))) {
			t.Fatalf("assignments %v", assign)
		}
		_, err = s.run(ctx, "SET "+strings.Join(assign, ", "), DefaultFormat)
		if err == nil {
			_, err = s.run(ctx, "WITH 1 AS x INSERT INTO roles.mem SELECT x", DefaultFormat)
		}
		s.close()
		<-e.sem
		if codeOf(err) != CodeReadonly {
			t.Errorf("readonly=%d session ran an insert: %v", level, err)
		}
	}
	if snapshot() != before {
		t.Fatal("state changed")
	}
}

// What the statement checks are for, on chDB 26.7: a subquery's SETTINGS
// and "readonly = DEFAULT" lift a session's readonly=1 without any check.
// Should chDB start refusing these, this test says so.
func TestChdbLetsQueriesLiftReadonly(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	e.sem <- struct{}{}
	defer func() { <-e.sem }()
	s, err := e.openSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if _, err := s.run(ctx, "SET readonly = 1", DefaultFormat); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT * FROM (SELECT getSetting('readonly') SETTINGS readonly = 0)",
		"SELECT getSetting('readonly') SETTINGS readonly = DEFAULT",
	} {
		res, err := s.run(ctx, q, DefaultFormat)
		if err != nil || string(res.Data) != "0\n" {
			t.Errorf("%q: %v %q: chDB no longer lifts readonly this way", q, err, resData(res))
		}
	}
}
