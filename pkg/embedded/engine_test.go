package embedded

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func query(t *testing.T, req Request) string {
	t.Helper()
	res, err := testEngine(t).Query(context.Background(), req)
	if err != nil {
		t.Fatalf("%q: %v", req.Query, err)
	}
	return string(res.Data)
}

func wantCode(t *testing.T, err error, code int) *Exception {
	t.Helper()
	var ex *Exception
	if !errors.As(err, &ex) {
		t.Fatalf("want exception %d, got %v", code, err)
	}
	if ex.Code != code {
		t.Fatalf("want code %d, got %v", code, ex)
	}
	return ex
}

func TestInfo(t *testing.T) {
	info := testEngine(t).Info()
	if !strings.HasPrefix(info.Version, "26.") || info.Revision == 0 || info.Timezone == "" || info.DisplayName == "" {
		t.Fatalf("info: %+v", info)
	}
}

func TestQueryFormats(t *testing.T) {
	if got := query(t, Request{Query: "SELECT 1, 'a'"}); got != "1\ta\n" {
		t.Fatalf("default format: %q", got)
	}
	if got := query(t, Request{Query: "SELECT 1 AS x", Format: "JSONEachRow"}); got != "{\"x\":1}\n" {
		t.Fatalf("JSONEachRow: %q", got)
	}
	res, err := testEngine(t).Query(context.Background(), Request{Query: "SELECT 1 AS x FORMAT CSV", Format: "JSON"})
	if err != nil || string(res.Data) != "1\n" || res.Format != "CSV" {
		t.Fatalf("FORMAT clause: %v %+v", err, res)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	e := testEngine(t)
	ex := wantCode(t, e.Exec(ctx, "SELEC 1"), CodeSyntaxError)
	if ex.Name != "SYNTAX_ERROR" {
		t.Fatalf("name: %+v", ex)
	}
	ex = wantCode(t, e.Exec(ctx, "SELECT * FROM no_such_table"), CodeUnknownTable)
	if ex.Name != "UNKNOWN_TABLE" || !strings.Contains(ex.Message, "no_such_table") {
		t.Fatalf("unknown table: %+v", ex)
	}
	wantCode(t, e.Exec(ctx, ""), CodeSyntaxError)
	wantCode(t, e.Exec(ctx, "SELECT 'a\x00b'"), CodeSyntaxError)
	_, err := e.Query(ctx, Request{Query: "SELECT 1", Database: "no_such_db"})
	wantCode(t, err, CodeUnknownDatabase)
	if got := query(t, Request{Query: "SELECT 1"}); got != "1\n" {
		t.Fatalf("after errors: %q", got)
	}
}

func TestMultiStatementRejected(t *testing.T) {
	ctx := context.Background()
	e := testEngine(t)
	wantCode(t, e.Exec(ctx, "CREATE TABLE ms_a (a Int32) ENGINE = Memory; CREATE TABLE ms_b (a Int32) ENGINE = Memory"), CodeSyntaxError)
	if got := query(t, Request{Query: "EXISTS TABLE ms_a"}); got != "0\n" {
		t.Fatalf("first statement ran: %q", got)
	}
	if got := query(t, Request{Query: "SELECT 1;"}); got != "1\n" {
		t.Fatalf("trailing semicolon: %q", got)
	}
}

func TestSettingsApplyOnce(t *testing.T) {
	ctx := context.Background()
	e := testEngine(t)
	_, err := e.Query(ctx, Request{
		Query:    "SELECT number FROM numbers(5)",
		Settings: []Setting{{"max_result_rows", "1"}, {"result_overflow_mode", "throw"}},
	})
	wantCode(t, err, 396)
	if got := query(t, Request{Query: "SELECT count() FROM (SELECT number FROM numbers(5))"}); got != "5\n" {
		t.Fatalf("after: %q", got)
	}
	if got := query(t, Request{Query: "SELECT getSetting('max_result_rows')"}); got != "0\n" {
		t.Fatalf("setting leaked: %q", got)
	}
	_, err = e.Query(ctx, Request{Query: "SELECT 1", Settings: []Setting{{"no_such_setting", "1"}}})
	wantCode(t, err, CodeUnknownSetting)
	_, err = e.Query(ctx, Request{Query: "SELECT 1", Settings: []Setting{{"bad name", "1"}}})
	wantCode(t, err, CodeUnknownSetting)
}

func TestSessionStateDoesNotLeak(t *testing.T) {
	query(t, Request{Query: "SET max_result_rows = 7"})
	if got := query(t, Request{Query: "SELECT getSetting('max_result_rows')"}); got != "0\n" {
		t.Fatalf("SET leaked: %q", got)
	}
	query(t, Request{Query: "USE system"})
	if got := query(t, Request{Query: "SELECT currentDatabase()"}); got != "default\n" {
		t.Fatalf("USE leaked: %q", got)
	}
	if got := query(t, Request{Query: "SELECT currentDatabase()", Database: "system"}); got != "system\n" {
		t.Fatalf("database: %q", got)
	}
	// SET readonly would lock the session for good; it must be a no-op.
	query(t, Request{Query: "SET readonly = 1"})
	query(t, Request{Query: "CREATE TABLE IF NOT EXISTS after_readonly (a Int32) ENGINE = Memory"})
	_, err := testEngine(t).Query(context.Background(), Request{
		Query:    "CREATE TABLE ro_setting (a Int32) ENGINE = Memory",
		Settings: []Setting{{"readonly", "1"}},
	})
	wantCode(t, err, CodeReadonly)
	query(t, Request{Query: "DROP TABLE after_readonly"})
}

func TestReadOnlyRequest(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	for _, q := range []string{"SELECT 1", "WITH 1 AS x SELECT x", "SHOW TABLES", "DESCRIBE TABLE system.one", "EXISTS TABLE system.one", "EXPLAIN SELECT 1", "(SELECT 1)"} {
		if _, err := e.Query(ctx, Request{Query: q, Profile: Profile{Readonly: 2}}); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
	}
	for _, q := range []string{"CREATE TABLE ro (a Int32) ENGINE = Memory", "INSERT INTO x VALUES (1)", "DROP TABLE x"} {
		_, err := e.Query(ctx, Request{Query: q, Profile: Profile{Readonly: 2}})
		wantCode(t, err, CodeReadonly)
	}
	// readonly=2 may change settings, readonly=1 none.
	if _, err := e.Query(ctx, Request{Query: "SET max_threads = 1", Profile: Profile{Readonly: 2}}); err != nil {
		t.Fatalf("SET at readonly=2: %v", err)
	}
	_, err := e.Query(ctx, Request{Query: "SET max_threads = 1", Profile: Profile{Readonly: 1}})
	wantCode(t, err, CodeReadonly)
	// A typo is a syntax error for a read-only user too, as in ClickHouse.
	_, err = e.Query(ctx, Request{Query: "SELEC 1", Profile: Profile{Readonly: 2}})
	wantCode(t, err, CodeSyntaxError)
}

func TestParams(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	hostile := "a'b\\c\"d`e\n\t\x00'; DROP TABLE x; --"
	escaped := strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\x00", `\0`).Replace(hostile)
	res, err := e.Query(ctx, Request{
		Query:  "SELECT hex({s:String}), {n:UInt8} + 1",
		Params: map[string]string{"s": escaped, "n": "41"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ToUpper(hexOf(hostile)) + "\t42\n"
	if string(res.Data) != want {
		t.Fatalf("got %q want %q", res.Data, want)
	}
	_, err = e.Query(ctx, Request{Query: "SELECT {s:String}"})
	ex := wantCode(t, err, CodeUnknownQueryParameter)
	if !strings.Contains(ex.Message, "Substitution `s` is not set") {
		t.Fatalf("message: %q", ex.Message)
	}
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

func TestInsert(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	if err := e.Exec(ctx, "CREATE TABLE ins (a UInt32, s String) ENGINE = MergeTree ORDER BY a"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP TABLE ins")
	steps := []Request{
		{Query: "INSERT INTO ins FORMAT TSV\n1\tone\n"},
		{Query: "INSERT INTO ins (a, s) SETTINGS max_insert_threads = 1 FORMAT TabSeparated\n", Input: strings.NewReader("2\ttwo\x00nul\n")},
		{Query: "INSERT INTO ins VALUES (3, 'three')"},
		{Query: "insert into ins(a,s) values", Input: strings.NewReader("(4, 'four'), (5, 'five');")},
		{Query: "INSERT INTO ins FORMAT TSV\n"},
	}
	for _, req := range steps {
		if _, err := e.Query(ctx, req); err != nil {
			t.Fatalf("%q: %v", req.Query, err)
		}
	}
	// Data is data: a statement hidden in it must not run.
	wantCode(t, e.Exec(ctx, "INSERT INTO ins VALUES (6, 'six'); DROP TABLE ins"), CodeSyntaxError)
	// Streamed data is never parsed as SQL, so nothing in it can run.
	_, err := e.Query(ctx, Request{Query: "INSERT INTO ins VALUES", Input: strings.NewReader("(7, 'x'); DROP TABLE ins")})
	t.Logf("VALUES input with a trailing statement: %v", err)
	got := query(t, Request{Query: "SELECT a, hex(s) FROM ins WHERE a < 6 ORDER BY a FORMAT CSV"})
	want := "1,\"6F6E65\"\n2,\"74776F006E756C\"\n3,\"7468726565\"\n4,\"666F7572\"\n5,\"66697665\"\n"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestCancel(t *testing.T) {
	e := testEngine(t)
	const slow = "SELECT sum(cityHash64(number)) FROM numbers(1e11)"
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.Query(ctx, Request{Query: slow})
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	wantCode(t, err, CodeQueryWasCancelled)
	if took > 10*time.Second {
		t.Fatalf("cancel took %v", took)
	}
	t.Logf("cancelled after %v", took)

	ctx, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = e.Query(ctx, Request{Query: slow})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want DeadlineExceeded, got %v", err)
	}
	wantCode(t, err, CodeTimeoutExceeded)
	t.Logf("deadline ended query after %v", time.Since(start))

	if got := query(t, Request{Query: "SELECT 42"}); got != "42\n" {
		t.Fatalf("after cancel: %q", got)
	}
}
