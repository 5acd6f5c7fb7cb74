package sqlbuild_test

import (
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func buildSQL(t *testing.T, raw string, drop ...string) (sqlbuild.Statement, error) {
	t.Helper()
	q := querymodel.Query{Type: querymodel.SQL, RawSQL: raw, Limit: 10}
	return sqlbuild.Build(sqlbuild.Request{Query: q, From: caseFrom(), To: caseTo(), Database: "clickpy",
		Catalog: testCatalog("clickpy", drop...)})
}

func TestMacros(t *testing.T) {
	cases := map[string]string{
		"SELECT 1 WHERE $__timeFilter(upload_time)": "SELECT 1 WHERE (upload_time >= {__from:DateTime64(3, 'UTC')} AND upload_time <= {__to:DateTime64(3, 'UTC')})",
		"SELECT 1 WHERE $__dateFilter( toDate(t) )": "SELECT 1 WHERE (toDate(t) >= {__from_date:Date} AND toDate(t) <= {__to_date:Date})",
		"SELECT 1 FROM $__table(date,project)":      "SELECT 1 FROM clickpy.pypi_downloads_per_day",
		"SELECT 1 FROM $__table (project, version)": "SELECT 1 FROM clickpy.pypi_downloads_by_version",
		"SELECT '$__table(x)', `$__fromTime`":       "SELECT '$__table(x)', `$__fromTime`",
		"SELECT 'it''s $__toDate' -- $__toDate":     "SELECT 'it''s $__toDate' -- $__toDate",
		"SELECT $__toDate /* $__toDate */":          "SELECT {__to_date:Date} /* $__toDate */",
		"SELECT $__interval_ms, $__from, $__foo(x)": "SELECT $__interval_ms, $__from, $__foo(x)",
		"SELECT $__fromTime, $__toTime":             "SELECT {__from:DateTime64(3, 'UTC')}, {__to:DateTime64(3, 'UTC')}",
	}
	for in, want := range cases {
		st, err := buildSQL(t, in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if st.SQL != want {
			t.Errorf("%s:\n got %s\nwant %s", in, st.SQL, want)
		}
	}
	st, err := buildSQL(t, "SELECT * FROM $__table(date, python_minor, system)")
	if err != nil {
		t.Fatal(err)
	}
	if st.SQL != "SELECT * FROM clickpy.pypi" || len(st.Notices) != 1 || !strings.Contains(st.Notices[0], "raw") {
		t.Errorf("raw fallback: %s %q", st.SQL, st.Notices)
	}
	if _, err := buildSQL(t, "SELECT * FROM $__table(date)", append(allSummaries(), schema.RawTable)...); err == nil {
		t.Error("a $__table no table can answer was accepted")
	}
	for _, bad := range []string{"$__timeFilter()", "$__timeFilter(a, b)", "$__dateFilter", "$__table(date, 'x')", "$__table(a"} {
		if _, err := buildSQL(t, "SELECT 1 WHERE "+bad); err == nil {
			t.Errorf("%s accepted", bad)
		} else if !strings.Contains(err.Error(), "rawSql") {
			t.Errorf("%s: error %q does not name rawSql", bad, err)
		}
	}
}
