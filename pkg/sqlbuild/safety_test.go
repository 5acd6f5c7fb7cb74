package sqlbuild_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func hostileStrings() []string {
	return []string{
		`'; DROP TABLE pypi; --`,
		`\' OR 1=1 --`,
		`a\b\`,
		"line1\nline2\ttab\rcr",
		`{x:String}`,
		`{packages:Array(String)}'`,
		`') OR ('1'='1`,
		"nul\x00byte",
		`$__table(date)`,
		strings.Repeat("ملف🙂", 12),
	}
}

func placeholderRe() *regexp.Regexp {
	return regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}`)
}

// checkStatement asserts the invariants every statement keeps: no user
// value in the text, and placeholders and parameters matching.
func checkStatement(t testing.TB, q querymodel.Query, st sqlbuild.Statement, values []string) {
	t.Helper()
	if q.Type != querymodel.SQL {
		for _, v := range values {
			if v != "" && strings.Contains(st.SQL, v) {
				t.Fatalf("user value %q spliced into the SQL:\n%s", v, st.SQL)
			}
		}
	}
	used := map[string]bool{}
	for _, m := range placeholderRe().FindAllStringSubmatch(st.SQL, -1) {
		used[m[1]] = true
		if _, ok := st.Params[m[1]]; !ok && q.Type != querymodel.SQL {
			t.Fatalf("placeholder %s has no parameter:\n%s", m[0], st.SQL)
		}
	}
	for name := range st.Params {
		if !used[name] {
			t.Fatalf("parameter %s is bound but not used:\n%s", name, st.SQL)
		}
	}
	if q.Type != querymodel.SQL && !utf8.ValidString(st.SQL) {
		t.Fatalf("SQL is not valid UTF-8")
	}
}

// hostileQueries puts hostile values in every user-valued field of every
// query type.
func hostileQueries(h []string) []querymodel.Query {
	base := querymodel.Query{
		Filters: querymodel.Filters{Packages: h, Versions: h, Countries: h, Installers: h, PythonMinors: h,
			Systems: h, Types: h, ExcludeMirrors: true},
		Limit: 7, Granularity: querymodel.Auto, Prefix: h[0], MinDownloads: 5,
	}
	one := func(q querymodel.Query) querymodel.Query { q.Packages = h[:1]; return q }
	var out []querymodel.Query
	for _, typ := range querymodel.Types() {
		q := base
		q.Type = typ
		switch typ {
		case querymodel.Breakdown:
			for _, d := range append(querymodel.Dimensions(), querymodel.InstallerType) {
				q.Dimension = d
				out = append(out, q)
			}
			continue
		case querymodel.TimeSeries:
			out = append(out, q)
			for _, d := range querymodel.Dimensions() {
				q.Breakdown = d
				out = append(out, q)
			}
			continue
		case querymodel.Ranking, querymodel.Releases, querymodel.Dependencies, querymodel.Dependents, querymodel.Details,
			querymodel.GitHubStats, querymodel.GitHubStars, querymodel.TopContributors, querymodel.Adoption:
			q = one(q)
		case querymodel.PythonSupport:
			q.MinPython = "3.10"
		case querymodel.SQL:
			q.RawSQL = "SELECT count() FROM $__table(date, project) WHERE $__dateFilter(date)"
		case querymodel.VariableQuery:
			// Every kind, so a new one is checked without being listed here.
			for _, v := range querymodel.VariableKinds() {
				vq := q
				vq.Variable = v
				switch v {
				case querymodel.VarVersions, querymodel.VarDependents:
					vq = one(vq)
				case querymodel.VarDimension:
					vq.Dimension = querymodel.System
				}
				out = append(out, vq)
			}
			continue
		}
		out = append(out, q)
	}
	return out
}

func TestUserValuesOnlyInParams(t *testing.T) {
	h := hostileStrings()
	for _, drop := range [][]string{nil, allSummaries()} {
		cat := testCatalog("pypi", drop...)
		for _, q := range hostileQueries(h) {
			st, err := sqlbuild.Build(sqlbuild.Request{Query: q, From: caseFrom(), To: caseTo(), MaxDataPoints: 500,
				Database: "pypi", Catalog: cat, Now: caseNow()})
			if err != nil {
				t.Fatalf("%s %s %s: %v", q.Type, q.Dimension, q.Breakdown, err)
			}
			checkStatement(t, q, st, h)
			if len(st.Params) == 0 && q.Type != querymodel.VariableQuery {
				t.Errorf("%s: no parameters at all", q.Type)
			}
		}
	}
}

func TestHostileValuesTravelEscaped(t *testing.T) {
	h := hostileStrings()
	q := hostileQueries(h)[0] // timeseries with every filter
	st, err := sqlbuild.Build(sqlbuild.Request{Query: q, From: caseFrom(), To: caseTo(), Database: "pypi",
		Catalog: testCatalog("pypi")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Params["packages"], sqlbuild.ArrayLiteral(h); got != want {
		t.Fatalf("packages parameter = %q, want %q", got, want)
	}
}

func TestBuildRefusesWhatItCannotSplice(t *testing.T) {
	cat := testCatalog("pypi")
	ok := querymodel.Query{Type: querymodel.TimeSeries, Limit: 10}
	cases := map[string]func(*sqlbuild.Request){
		"database":  func(r *sqlbuild.Request) { r.Database = "pypi; DROP TABLE x" },
		"catalogue": func(r *sqlbuild.Request) { r.Catalog = nil },
		"breakdown": func(r *sqlbuild.Request) { r.Query.Breakdown = "version) OR (1" },
		"dimension": func(r *sqlbuild.Request) {
			r.Query.Type, r.Query.Dimension = querymodel.Breakdown, "country_code, (SELECT 1)"
		},
		"variable dimension": func(r *sqlbuild.Request) {
			r.Query.Type, r.Query.Variable, r.Query.Dimension = querymodel.VariableQuery, querymodel.VarDimension, "x"
		},
		"limit":       func(r *sqlbuild.Request) { r.Query.Limit = 0 },
		"granularity": func(r *sqlbuild.Request) { r.Query.Granularity = "hour" },
		"ranking":     func(r *sqlbuild.Request) { r.Query.Type = querymodel.Ranking },
		"summary":     func(r *sqlbuild.Request) { r.Query.Type = querymodel.Summary },
		"versions": func(r *sqlbuild.Request) {
			r.Query.Type, r.Query.Variable = querymodel.VariableQuery, querymodel.VarVersions
		},
		"variable": func(r *sqlbuild.Request) { r.Query.Type, r.Query.Variable = querymodel.VariableQuery, "planets" },
		"type":     func(r *sqlbuild.Request) { r.Query.Type = "nope" },
		"range":    func(r *sqlbuild.Request) { r.From, r.To = r.To, r.From },
		"table macro": func(r *sqlbuild.Request) {
			r.Query.Type, r.Query.RawSQL = querymodel.SQL, "SELECT * FROM $__table(date, evil)"
		},
		"empty table macro": func(r *sqlbuild.Request) { r.Query.Type, r.Query.RawSQL = querymodel.SQL, "SELECT * FROM $__table()" },
		"unclosed macro":    func(r *sqlbuild.Request) { r.Query.Type, r.Query.RawSQL = querymodel.SQL, "SELECT $__timeFilter(date" },
		"projects missing": func(r *sqlbuild.Request) {
			r.Query.Type, r.Query.Packages = querymodel.Details, []string{"x"}
			r.Catalog = testCatalog("pypi", "projects")
		},
	}
	for name, edit := range cases {
		req := sqlbuild.Request{Query: ok, From: caseFrom(), To: caseTo(), Database: "pypi", Catalog: cat}
		edit(&req)
		if st, err := sqlbuild.Build(req); err == nil {
			t.Errorf("%s: accepted:\n%s", name, st.SQL)
		}
	}
}

func FuzzBuild(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), `'; DROP TABLE pypi; --`, `a\b`, "x\ny", 10, int64(0), uint8(0xff))
	f.Add(uint8(1), uint8(3), uint8(1), `\'`, `{x:String}`, "ملف🙂", 1, int64(5), uint8(1))
	f.Add(uint8(14), uint8(2), uint8(0), `$__table(project)`, `'`, `\\`, 1000, int64(-1), uint8(2))
	f.Fuzz(func(t *testing.T, typ, dim, variable uint8, a, b, c string, limit int, minDl int64, flags uint8) {
		types := querymodel.Types()
		dims := append(querymodel.Dimensions(), querymodel.InstallerType, "", "bogus")
		vars := []querymodel.VariableKind{querymodel.VarPackages, querymodel.VarTopPackage, querymodel.VarVersions,
			querymodel.VarCountries, querymodel.VarDimension, "bogus"}
		pick := func(vals []string, bit uint8) []string {
			if flags&bit == 0 {
				return nil
			}
			return vals
		}
		vals := []string{a, b, c}
		q := querymodel.Query{
			Type: types[int(typ)%len(types)],
			Filters: querymodel.Filters{Packages: pick(vals[:1+int(flags>>6)%3], 1), Versions: pick(vals, 2),
				Countries: pick(vals, 4), Installers: pick(vals, 8), PythonMinors: pick(vals, 16),
				Systems: pick(vals, 32), Types: pick(vals, 64), ExcludeMirrors: flags&128 != 0},
			Dimension: dims[int(dim)%len(dims)], Limit: limit, Granularity: querymodel.Auto,
			Variable: vars[int(variable)%len(vars)], Prefix: b, MinDownloads: minDl, RawSQL: a,
		}
		if q.Type == querymodel.TimeSeries {
			q.Breakdown = querymodel.Dimension(dims[int(dim)%len(dims)])
			if q.Breakdown == querymodel.InstallerType {
				q.Breakdown = ""
			}
		}
		req := sqlbuild.Request{Query: q, From: caseFrom(), To: caseTo(), MaxDataPoints: int64(limit),
			Database: "pypi", Catalog: testCatalog("pypi"), Now: caseNow()}
		st, err := sqlbuild.Build(req)
		if err != nil {
			return
		}
		// Values with a quote or backslash are the ones splicing would
		// break on; shorter ones can match this package's own SQL.
		var check []string
		for _, v := range vals {
			if strings.ContainsAny(v, `'\`) && len(v) >= 4 && !inOwnSQL(t, req, v) {
				check = append(check, v)
			}
		}
		checkStatement(t, q, st, check)
	})
}

// inOwnSQL reports whether v occurs in the SQL of the same query with
// every user value replaced by a plain one, where finding it proves
// nothing.
func inOwnSQL(t *testing.T, req sqlbuild.Request, v string) bool {
	plain := func(vs []string) []string {
		out := make([]string, len(vs))
		for i := range vs {
			out[i] = "v"
		}
		return out
	}
	q := req.Query
	q.Packages, q.Versions, q.Countries = plain(q.Packages), plain(q.Versions), plain(q.Countries)
	q.Installers, q.PythonMinors, q.Systems, q.Types = plain(q.Installers), plain(q.PythonMinors), plain(q.Systems), plain(q.Types)
	q.Prefix = "v"
	req.Query = q
	st, err := sqlbuild.Build(req)
	if err != nil {
		t.Fatalf("the same query with plain values fails: %v", err)
	}
	return strings.Contains(st.SQL, v)
}
