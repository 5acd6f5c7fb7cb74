package chhttp

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

type httpReply struct {
	status int
	header http.Header
	body   string
}

func doHTTP(t *testing.T, method, query string, params url.Values, body io.Reader, header map[string]string) httpReply {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	if query != "" {
		params.Set("query", query)
	}
	u := "http://" + testAddr + "/?" + params.Encode()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpReply{res.StatusCode, res.Header, string(b)}
}

func post(t *testing.T, query, body string) httpReply {
	t.Helper()
	return doHTTP(t, http.MethodPost, query, nil, strings.NewReader(body), nil)
}

func mustOK(t *testing.T, r httpReply) string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	return r.body
}

func TestHTTPPingAndRoot(t *testing.T) {
	for _, path := range []string{"/ping", "/"} {
		res, err := http.Get("http://" + testAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(b) != "Ok.\n" {
			t.Fatalf("%s: %d %q", path, res.StatusCode, b)
		}
	}
}

func TestHTTPQueryForms(t *testing.T) {
	if got := mustOK(t, doHTTP(t, http.MethodGet, "SELECT 1", nil, nil, nil)); got != "1\n" {
		t.Fatalf("GET: %q", got)
	}
	if got := mustOK(t, post(t, "", "SELECT 2")); got != "2\n" {
		t.Fatalf("body: %q", got)
	}
	// ClickHouse joins the query parameter and the body with a newline.
	if got := mustOK(t, post(t, "SELECT", "3 AS x")); got != "3\n" {
		t.Fatalf("query + body: %q", got)
	}
	r := doHTTP(t, http.MethodPost, "SELECT number AS n FROM numbers(2)", url.Values{"default_format": {"JSONEachRow"}}, nil, nil)
	if mustOK(t, r) != "{\"n\":0}\n{\"n\":1}\n" || r.header.Get("X-ClickHouse-Format") != "JSONEachRow" {
		t.Fatalf("default_format: %q %v", r.body, r.header)
	}
	r = doHTTP(t, http.MethodPost, "SELECT 1 AS n", nil, nil, map[string]string{"X-ClickHouse-Format": "CSVWithNames"})
	if mustOK(t, r) != "\"n\"\n1\n" {
		t.Fatalf("X-ClickHouse-Format: %q", r.body)
	}
	r = doHTTP(t, http.MethodPost, "SELECT currentDatabase()", url.Values{"database": {"system"}}, nil, nil)
	if mustOK(t, r) != "system\n" {
		t.Fatalf("database: %q", r.body)
	}
	r = doHTTP(t, http.MethodPost, "SELECT currentDatabase()", nil, nil, map[string]string{"X-ClickHouse-Database": "system"})
	if mustOK(t, r) != "system\n" {
		t.Fatalf("X-ClickHouse-Database: %q", r.body)
	}
	r = doHTTP(t, http.MethodPost, "SELECT {a:UInt8} + {b:UInt8}", url.Values{"param_a": {"1"}, "param_b": {"2"}}, nil, nil)
	if mustOK(t, r) != "3\n" {
		t.Fatalf("params: %q", r.body)
	}
	r = doHTTP(t, http.MethodPost, "SELECT getSetting('max_threads')", url.Values{"max_threads": {"1"}}, nil, nil)
	if mustOK(t, r) != "1\n" {
		t.Fatalf("setting: %q", r.body)
	}
}

func TestHTTPHeaders(t *testing.T) {
	r := doHTTP(t, http.MethodPost, "SELECT 1", url.Values{"query_id": {"my-id"}}, nil, nil)
	mustOK(t, r)
	for k, want := range map[string]string{
		"X-ClickHouse-Query-Id": "my-id",
		"X-ClickHouse-Format":   "TabSeparated",
		"Content-Type":          "text/tab-separated-values; charset=UTF-8",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s: %q", k, got)
		}
	}
	for _, k := range []string{"X-ClickHouse-Server-Display-Name", "X-ClickHouse-Timezone", "X-ClickHouse-Summary"} {
		if r.header.Get(k) == "" {
			t.Errorf("%s missing", k)
		}
	}
	if !strings.Contains(r.header.Get("X-ClickHouse-Summary"), `"result_rows":"1"`) {
		t.Errorf("summary: %s", r.header.Get("X-ClickHouse-Summary"))
	}
}

func TestHTTPErrors(t *testing.T) {
	cases := []struct {
		method, query string
		status        int
		code          string
		contains      string
	}{
		{http.MethodPost, "SELEC 1", 400, "62", "Code: 62. DB::Exception: Syntax error"},
		{http.MethodPost, "SELECT * FROM nope", 404, "60", "(UNKNOWN_TABLE) (version 26.7"},
		{http.MethodPost, "SELECT 1; SELECT 2", 400, "62", "Multi-statements are not allowed. (SYNTAX_ERROR)"},
		{http.MethodPost, "SELECT 1 INTO OUTFILE '/tmp/chhttp-outfile'", 500, "358", "INTO OUTFILE is not allowed"},
		{http.MethodGet, "CREATE TABLE via_get (a Int8) ENGINE = Memory", 500, "164", "(READONLY)"},
		{http.MethodGet, "SELEC 1", 400, "62", "(SYNTAX_ERROR)"},
		{http.MethodPost, "", 400, "62", "Empty query"},
		{http.MethodPost, "SELECT {p:String}", 500, "456", "Substitution `p` is not set"},
	}
	for _, c := range cases {
		r := doHTTP(t, c.method, c.query, nil, strings.NewReader(""), nil)
		if r.status != c.status || r.header.Get("X-ClickHouse-Exception-Code") != c.code || !strings.Contains(r.body, c.contains) ||
			!strings.HasPrefix(r.body, "Code: "+c.code+". DB::Exception: ") || !strings.HasSuffix(r.body, ")\n") {
			t.Errorf("%s %q: %d %v %q", c.method, c.query, r.status, r.header.Get("X-ClickHouse-Exception-Code"), r.body)
		}
	}
}

func TestHTTPAuthForms(t *testing.T) {
	ok := []struct {
		params url.Values
		header map[string]string
	}{
		{url.Values{"user": {"alice"}, "password": {"s3cret"}}, nil},
		{nil, map[string]string{"X-ClickHouse-User": "alice", "X-ClickHouse-Key": "s3cret"}},
		{nil, nil}, // default user, no password
	}
	for _, c := range ok {
		mustOK(t, doHTTP(t, http.MethodPost, "SELECT 1", c.params, nil, c.header))
	}
	bad := []struct {
		params url.Values
		header map[string]string
	}{
		{url.Values{"user": {"alice"}, "password": {"nope"}}, nil},
		{nil, map[string]string{"X-ClickHouse-User": "alice"}},
		{url.Values{"user": {"alice"}}, map[string]string{"X-ClickHouse-User": "alice", "X-ClickHouse-Key": "s3cret"}},
	}
	for _, c := range bad {
		r := doHTTP(t, http.MethodPost, "SELECT 1", c.params, nil, c.header)
		if r.status != 403 || r.header.Get("X-ClickHouse-Exception-Code") != "516" || !strings.Contains(r.body, "(AUTHENTICATION_FAILED)") {
			t.Errorf("%v %v: %d %q", c.params, c.header, r.status, r.body)
		}
	}
}

func TestHTTPInsertFormats(t *testing.T) {
	mustOK(t, post(t, "CREATE TABLE curl_ins (a UInt32, s String) ENGINE = MergeTree ORDER BY a", ""))
	defer post(t, "DROP TABLE curl_ins", "")
	mustOK(t, post(t, "INSERT INTO curl_ins FORMAT TSV", "1\tone\n2\ttab\\there\n"))
	mustOK(t, post(t, "INSERT INTO curl_ins FORMAT CSV", "3,\"c,sv\"\n"))
	mustOK(t, post(t, "INSERT INTO curl_ins FORMAT JSONEachRow", `{"a":4,"s":"json"}`+"\n"))
	mustOK(t, post(t, "", "INSERT INTO curl_ins FORMAT TSV\n5\tbody only\n"))
	mustOK(t, post(t, "INSERT INTO curl_ins VALUES", "(6, 'values')"))
	mustOK(t, post(t, "INSERT INTO curl_ins FORMAT TSV", ""))

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("7\tgzipped\n"))
	_ = zw.Close()
	mustOK(t, doHTTP(t, http.MethodPost, "INSERT INTO curl_ins FORMAT TSV", nil, &gz, map[string]string{"Content-Encoding": "gzip"}))

	// A body larger than what is peeked at for the INSERT head streams on.
	var big strings.Builder
	big.WriteString("INSERT INTO curl_ins FORMAT TSV\n")
	for i := 100; big.Len() < 3<<20; i++ {
		big.WriteString(strconv.Itoa(i) + "\t" + strings.Repeat("y", 100) + "\n")
	}
	mustOK(t, post(t, "", big.String()))

	got := mustOK(t, post(t, "SELECT a, s FROM curl_ins WHERE a < 100 ORDER BY a FORMAT TSV", ""))
	want := "1\tone\n2\ttab\\there\n3\tc,sv\n4\tjson\n5\tbody only\n6\tvalues\n7\tgzipped\n"
	if got != want {
		t.Fatalf("got %q", got)
	}
	wantRows := strconv.Itoa(strings.Count(big.String(), "\n") - 1)
	if got := mustOK(t, post(t, "SELECT count() FROM curl_ins WHERE a >= 100", "")); got != wantRows+"\n" {
		t.Fatalf("big insert: %s want %s", got, wantRows)
	}
}

func TestHTTPResponseCompression(t *testing.T) {
	r := doHTTP(t, http.MethodPost, "SELECT number FROM numbers(1000)", url.Values{"enable_http_compression": {"1"}}, nil,
		map[string]string{"Accept-Encoding": "gzip"})
	mustOK(t, r)
	if r.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", r.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil || !strings.HasPrefix(string(b), "0\n1\n2\n") || strings.Count(string(b), "\n") != 1000 {
		t.Fatalf("%v %q", err, truncate(string(b)))
	}
	// Without enable_http_compression the answer stays plain, as in ClickHouse.
	r = doHTTP(t, http.MethodPost, "SELECT 1", nil, nil, map[string]string{"Accept-Encoding": "gzip"})
	if mustOK(t, r) != "1\n" || r.header.Get("Content-Encoding") != "" {
		t.Fatalf("plain: %q %v", r.body, r.header)
	}
}

func TestHTTPNativeWithoutProtocolVersion(t *testing.T) {
	// Without client_protocol_version Native is revision 0: no block info.
	r := doHTTP(t, http.MethodPost, "SELECT 1 AS x", url.Values{"default_format": {"Native"}}, nil, nil)
	if mustOK(t, r) != "\x01\x01\x01x\x05UInt8\x01" {
		t.Fatalf("%q", r.body)
	}
}

// A user's profile applies to every query; a fixed setting may be repeated
// but not changed, a locked user (readonly=1) may change none, as
// ClickHouse answers; other settings are overridden.
func TestHTTPUserProfiles(t *testing.T) {
	as := func(user, pw, query string, settings url.Values) httpReply {
		if settings == nil {
			settings = url.Values{}
		}
		settings.Set("user", user)
		settings.Set("password", pw)
		return doHTTP(t, http.MethodPost, query, settings, strings.NewReader(""), nil)
	}
	got := mustOK(t, as("demo", "d", "SELECT getSetting('max_rows_to_read'), getSetting('read_overflow_mode')", nil))
	if got != "5\tbreak\n" {
		t.Fatalf("demo's settings %q", got)
	}
	// The cap truncates: 5 rows of a million are read, without an error.
	if got := mustOK(t, as("demo", "d", "SELECT count() FROM numbers(1000000) WHERE number % 2 = 0", nil)); got == "500000\n" {
		t.Fatalf("count %q: read_overflow_mode=break did not cap the read", got)
	}
	r := as("demo", "d", "SELECT 1", url.Values{"read_overflow_mode": {"throw"}})
	if r.header.Get("X-ClickHouse-Exception-Code") != "452" ||
		!strings.Contains(r.body, "Setting read_overflow_mode should not be changed. (SETTING_CONSTRAINT_VIOLATION)") {
		t.Fatalf("changing a fixed setting: %d %q", r.status, r.body)
	}
	mustOK(t, as("demo", "d", "SELECT 1", url.Values{"read_overflow_mode": {"break"}, "max_result_rows": {"10"}}))
	r = as("locked", "l", "SELECT 1", url.Values{"max_result_rows": {"10"}})
	if r.status != http.StatusInternalServerError || r.header.Get("X-ClickHouse-Exception-Code") != "164" ||
		!strings.Contains(r.body, "Cannot modify 'max_result_rows' setting in readonly mode") {
		t.Fatalf("changing a setting as a readonly=1 user: %d %q", r.status, r.body)
	}
	mustOK(t, as("locked", "l", "SELECT 1", url.Values{"readonly": {"1"}}))
	if got := mustOK(t, as("tuned", "t", "SELECT getSetting('max_threads')", url.Values{"max_threads": {"2"}})); got != "2\n" {
		t.Fatalf("tuned's override %q", got)
	}
	if got := mustOK(t, as("tuned", "t", "SELECT getSetting('max_threads')", nil)); got != "1\n" {
		t.Fatalf("tuned's profile %q", got)
	}
	// The profile does not leak into other users' queries.
	if got := mustOK(t, as("alice", "s3cret", "SELECT getSetting('max_rows_to_read')", nil)); got != "0\n" {
		t.Fatalf("alice sees max_rows_to_read %q", got)
	}
}
