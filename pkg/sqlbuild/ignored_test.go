package sqlbuild_test

import (
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// TestIgnoredFiltersAreNamed checks that a filter a query type does not
// apply comes back as one notice naming it, and that applied filters do
// not.
func TestIgnoredFiltersAreNamed(t *testing.T) {
	cases := []struct {
		query string
		want  string // "" for no notice
	}{
		{`{"queryType":"top_packages","versions":["1.0"]}`, "top_packages ignores the versions filter"},
		{`{"queryType":"ranking","packages":["numpy"],"versions":["1.0"],"countries":["US"]}`, "ranking ignores the versions filter"},
		{`{"queryType":"emerging","packages":["a"],"versions":["1.0"]}`, "emerging ignores the packages and versions filters"},
		{`{"queryType":"details","packages":["a"],"types":["sdist"],"excludeMirrors":true}`, "details ignores the types and excludeMirrors filters"},
		{`{"queryType":"releases","packages":["a"],"versions":["1.0"],"countries":["US"]}`, "releases ignores the countries filter"},
		{`{"queryType":"dependencies","packages":["a"],"versions":["1.0"]}`, "dependencies ignores the versions filter"},
		{`{"queryType":"top_packages","packages":["a"],"countries":["US"]}`, ""},
		{`{"queryType":"ranking","packages":["numpy"],"countries":["US"]}`, ""},
		{`{"queryType":"timeseries","packages":["a"],"versions":["1.0"]}`, ""},
		{`{"queryType":"summary","packages":["a"],"versions":["1.0"]}`, ""},
		{`{"queryType":"hot","packages":["a"],"versions":["1.0"]}`, ""},
	}
	for _, c := range cases {
		bc := buildCase{name: "ignored", query: c.query}
		st, err := sqlbuild.Build(bc.request(t, "pypi", bc.catalog("pypi")))
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var found []string
		for _, n := range st.Notices {
			if strings.Contains(n, " ignores the ") {
				found = append(found, n)
			}
		}
		switch {
		case c.want == "" && len(found) > 0:
			t.Errorf("%s: notices %q, want none", c.query, found)
		case c.want != "" && (len(found) != 1 || !strings.HasPrefix(found[0], c.want)):
			t.Errorf("%s: notices %q, want one starting %q", c.query, found, c.want)
		}
	}
}
