package sqlbuild_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// The view-choice table of the range-, key- and cost-aware rules: each case
// names the table its counts must come from, and the reason must name it.
func TestViewChoice(t *testing.T) {
	n := 0
	for _, c := range buildCases() {
		if c.want == "" {
			continue
		}
		n++
		st, err := sqlbuild.Build(c.request(t, "pypi", c.catalog("pypi")))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if st.Source.Table != c.want {
			t.Errorf("%s: counts from %s, want %s (%s)", c.name, st.Source.Table, c.want, st.Reason)
		}
		if !strings.HasPrefix(st.Reason, c.want) {
			t.Errorf("%s: reason %q does not start with the table", c.name, st.Reason)
		}
		undated := c.want == schema.Downloads || c.want == schema.DownloadsByVersion
		if undated && (strings.Contains(st.SQL, "date >=") || strings.Contains(st.SQL, "{from:Date}")) && c.name != "range_summary_all_time" {
			t.Errorf("%s: an undated table bounded by date:\n%s", c.name, st.SQL)
		}
	}
	if n < 20 {
		t.Errorf("only %d cases name their table", n)
	}
}

// The time series no longer asks max_min for the data's last day: the
// catalogue's is a parameter.
func TestDataEndFromCatalogue(t *testing.T) {
	for _, c := range buildCases() {
		st, err := sqlbuild.Build(c.request(t, "pypi", c.catalog("pypi")))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// Download series only: github_stars ends with the range or today.
		if st.Shape.Kind != sqlbuild.KindTimeSeries || st.Shape.DataEndColumn == "" || st.Source.Table == "" {
			continue
		}
		if strings.Contains(st.SQL, schema.MaxMinDates) {
			t.Errorf("%s reads %s for its data end:\n%s", c.name, schema.MaxMinDates, st.SQL)
		}
		if st.Params["data_end"] != caseDataLast().Format(time.DateOnly) {
			t.Errorf("%s: data_end = %q", c.name, st.Params["data_end"])
		}
	}
}

func TestSpanPackages(t *testing.T) {
	cat := testCatalog("pypi")
	cases := []struct {
		query    string
		from, to time.Time
		points   int64
		want     []string
	}{
		{`{"queryType":"totals","packages":["a","b"]}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a", "b"}},
		{`{"queryType":"totals","packages":["a"]}`, day("2020-01-01"), day("2024-06-01"), 0, nil}, // the data's span settles it
		{`{"queryType":"totals","packages":["a"],"allTime":true}`, day("2024-01-01"), day("2024-05-01"), 0, nil},
		{`{"queryType":"totals"}`, day("2024-01-01"), day("2024-05-01"), 0, nil},
		{`{"queryType":"summary","packages":["a"]}`, day("2020-01-01"), day("2024-06-01"), 0, []string{"a"}},
		{`{"queryType":"summary","packages":["a"],"countries":["US"]}`, day("2024-01-01"), day("2024-05-01"), 0, nil},
		// Every series with packages: a package without downloads gets a
		// notice rather than zeros.
		{`{"queryType":"timeseries","packages":["a"],"granularity":"day"}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
		{`{"queryType":"timeseries","packages":["a"],"granularity":"month"}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
		{`{"queryType":"timeseries","packages":["a"]}`, day("2024-01-01"), day("2024-05-01"), 3, []string{"a"}}, // auto: month
		{`{"queryType":"timeseries","packages":["a"],"granularity":"month","breakdown":"version"}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
		{`{"queryType":"timeseries","packages":["a"],"granularity":"day","allTime":true}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
		{`{"queryType":"breakdown","dimension":"version","packages":["a"]}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
		{`{"queryType":"ranking","packages":["a"]}`, day("2024-01-01"), day("2024-05-01"), 0, nil},
		{`{"queryType":"variable","variable":"dimension","dimension":"version","packages":["a"]}`, day("2024-01-01"), day("2024-05-01"), 0, []string{"a"}},
	}
	for _, tc := range cases {
		q, err := querymodel.Parse([]byte(tc.query), "")
		if err != nil {
			t.Fatal(err)
		}
		got := sqlbuild.SpanPackages(sqlbuild.Request{Query: q, From: tc.from, To: tc.to, MaxDataPoints: tc.points, Database: "pypi", Catalog: cat})
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %s..%s: %v, want %v", tc.query, tc.from.Format(time.DateOnly), tc.to.Format(time.DateOnly), got, tc.want)
		}
	}
	noMonthly := testCatalog("pypi", schema.PerMonth)
	q, _ := querymodel.Parse([]byte(`{"queryType":"timeseries","packages":["a"],"granularity":"month"}`), "")
	if got := sqlbuild.SpanPackages(sqlbuild.Request{Query: q, From: day("2024-01-01"), To: day("2024-05-01"), Catalog: noMonthly}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("month buckets without the monthly table: %v", got)
	}
	// A query whose spans were not brought is still answered, from a dated table.
	q, _ = querymodel.Parse([]byte(`{"queryType":"totals","packages":["a"]}`), "")
	st, err := sqlbuild.Build(sqlbuild.Request{Query: q, From: day("2010-01-01"), To: day("2024-05-01"), Database: "pypi", Catalog: cat})
	if err != nil || st.Source.Table != schema.PerDay {
		t.Errorf("without spans: %s, %v", st.Source.Table, err)
	}
	// A package without downloads leaves the others' span to decide.
	st, err = sqlbuild.Build(sqlbuild.Request{Query: q, From: day("2010-01-01"), To: day("2024-05-01"), Database: "pypi", Catalog: cat,
		Spans: map[string]catalog.Span{"a": {}}})
	if err != nil || st.Source.Table != schema.Downloads {
		t.Errorf("a package without data: %s, %v", st.Source.Table, err)
	}
}
