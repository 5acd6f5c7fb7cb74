package sqlbuild_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

func tokens(sql string) []sqllex.Token { return sqllex.All(sql) }

// skeleton is sql's tokens with every string literal emptied: what a
// value could change if it escaped its quotes.
func skeleton(sql string) string {
	var out []string
	for _, tk := range tokens(sql) {
		if tk.Kind == sqllex.TokString {
			out = append(out, "''")
			continue
		}
		out = append(out, tk.Text)
	}
	return strings.Join(out, " ")
}

// literalShape is the skeleton a literal of the placeholder type must
// have, n being the number of elements of an array.
func literalShape(typ string, n int) string {
	switch typ {
	case "String":
		return "''"
	case "Array(String)":
		if n == 0 {
			return "CAST ( [ ] , '' )"
		}
		return "[ " + strings.Repeat("'' , ", n-1) + "'' ]"
	case "Date":
		return "toDate ( '' )"
	case "DateTime64(3, 'UTC')":
		return "toDateTime64 ( '' , 3 , '' )"
	}
	return typ
}

// TestRunnableWritesEveryValue checks the runnable text of every case and
// of every query type with hostile values: no bound placeholder is left,
// each literal has the shape of its type (one quoted string per value),
// and outside its string literals the runnable text is the statement with
// each placeholder replaced by that shape, so no value adds a token.
func TestRunnableWritesEveryValue(t *testing.T) {
	var reqs []sqlbuild.Request
	for _, c := range buildCases() {
		reqs = append(reqs, c.request(t, "pypi", c.catalog("pypi")))
	}
	for _, q := range hostileQueries(hostileStrings()) {
		reqs = append(reqs, sqlbuild.Request{Query: q, From: caseFrom(), To: caseTo(), MaxDataPoints: 500,
			Database: "pypi", Catalog: testCatalog("pypi"), Now: caseNow()})
	}
	for _, req := range reqs {
		st, err := sqlbuild.Build(req)
		if err != nil {
			t.Fatalf("%s: %v", req.Query.Type, err)
		}
		run := st.Runnable()
		if len(st.Params) != len(st.Literals) {
			t.Fatalf("%s: %d parameters but %d literals", req.Query.Type, len(st.Params), len(st.Literals))
		}
		shapes := map[string]string{}
		for _, m := range placeholderRe().FindAllStringSubmatch(st.SQL, -1) {
			lit, bound := st.Literals[m[1]]
			if !bound {
				continue
			}
			n := 0
			if m[2] == "Array(String)" {
				n = strings.Count(skeleton(lit), "''")
			}
			want := literalShape(m[2], n)
			if m[2] == "UInt64" {
				want = st.Params[m[1]]
			}
			if got := skeleton(lit); got != want {
				t.Fatalf("%s: %s's literal %s has the shape %s, want %s", req.Query.Type, m[0], lit, got, want)
			}
			shapes[m[1]] = want
		}
		// Inlining again would find any bound placeholder the lexer
		// still sees outside strings.
		if sqlbuild.Inline(run, st.Literals) != run {
			t.Fatalf("%s: a placeholder is left in the runnable text:\n%s", req.Query.Type, run)
		}
		if got, want := skeleton(run), skeleton(sqlbuild.Inline(st.SQL, shapes)); got != want {
			t.Fatalf("%s: outside its strings the runnable text differs from the statement:\n%s\n---\n%s", req.Query.Type, got, want)
		}
	}
}

func TestInlineKeepsStringsAndComments(t *testing.T) {
	lits := map[string]string{"p": schema.QuoteString("it's"), "n": "5"}
	cases := map[string]string{
		"SELECT {p:String}, {n:UInt64}":                           "SELECT 'it\\'s', 5",
		"SELECT '{p:String}' -- {p:String}\n, {p: String }":       "SELECT '{p:String}' -- {p:String}\n, 'it\\'s'",
		"SELECT {q:String}, {p:String}":                           "SELECT {q:String}, 'it\\'s'",
		"SELECT {t:DateTime64(3, 'UTC')}, {p:Array(String)}":      "SELECT {t:DateTime64(3, 'UTC')}, 'it\\'s'",
		"SELECT `{p:String}`, \"{n:UInt64}\", /* {n:UInt64} */ 1": "SELECT `{p:String}`, \"{n:UInt64}\", /* {n:UInt64} */ 1",
		"SELECT {p:String":                                        "SELECT {p:String",
	}
	for in, want := range cases {
		if got := sqlbuild.Inline(in, lits); got != want {
			t.Errorf("Inline(%q) = %q, want %q", in, got, want)
		}
	}
}

// testRunnable runs every case's and every hostile query's runnable text
// without parameters and compares its rows with the parameterised run.
func (e *engine) testRunnable(t *testing.T) {
	var reqs []sqlbuild.Request
	for _, c := range buildCases() {
		req := c.request(t, e.db, without(e.cat, c.drop...))
		if c.from.IsZero() {
			req.From, req.To = e.truth.End.AddDate(0, 0, -89), e.truth.End.Add(20*time.Hour)
		}
		if c.spans != nil {
			spans, err := req.Catalog.ReadSpans(context.Background(), e.conn, req.Query.Packages)
			if err != nil {
				t.Fatal(err)
			}
			req.Spans = spans
		}
		reqs = append(reqs, req)
	}
	for _, q := range hostileQueries(append(hostileStrings()[:9], "requests")) {
		req := e.request(t, `{}`, 30)
		req.Query = q
		reqs = append(reqs, req)
	}
	// Real values, so rows come back: a package's series and breakdowns.
	for _, q := range []string{
		`{"queryType":"timeseries","packages":["requests","numpy"],"granularity":"week","countries":["US","DE"]}`,
		`{"queryType":"breakdown","dimension":"country_code","packages":["requests"],"limit":3}`,
		`{"queryType":"summary","packages":["requests"]}`,
		`{"queryType":"sql","rawSql":"SELECT $__fromTime AS f, $__toDate AS t, count() AS n FROM $__table(date, project) WHERE $__timeFilter(date)"}`,
	} {
		reqs = append(reqs, e.request(t, q, 60))
	}
	nonEmpty := 0
	for _, req := range reqs {
		st, err := sqlbuild.Build(req)
		if err != nil {
			t.Fatalf("%s: %v", req.Query.Type, err)
		}
		want := e.read(t, st.SQL, st.Params)
		got := e.read(t, st.Runnable(), nil)
		if !reflect.DeepEqual(want.Rows, got.Rows) {
			t.Errorf("%s: the runnable text returns other rows (%d) than the statement (%d):\n%s",
				req.Query.Type, len(got.Rows), len(want.Rows), st.Runnable())
		}
		if len(want.Rows) > 0 {
			nonEmpty++
		}
	}
	t.Logf("%d statements, %d of them with rows, agree run both ways", len(reqs), nonEmpty)
	if nonEmpty < len(reqs)/2 {
		t.Errorf("only %d of %d statements returned rows: the comparison proves little", nonEmpty, len(reqs))
	}
}

// read runs sql, with params when not nil, and reads every row.
func (e *engine) read(t *testing.T, sql string, params map[string]string) *frames.Result {
	t.Helper()
	ctx := context.Background()
	if params != nil {
		ctx = clickhouse.Context(ctx, clickhouse.WithParameters(params))
	}
	rows, err := e.conn.Query(ctx, sql)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	defer rows.Close()
	res, err := frames.Read(ctx, rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
