package sqlbuild_test

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// testCatalog is the catalogue of a database holding every ClickPy table
// but those in drop, as catalog.Read would build it.
func testCatalog(database string, drop ...string) *catalog.Catalog {
	c := &catalog.Catalog{Database: database}
	mark := func(name string) bool {
		if slices.Contains(drop, name) {
			c.Missing = append(c.Missing, name)
			return false
		}
		c.Present = append(c.Present, name)
		return true
	}
	rawOK := mark(schema.RawTable)
	for _, s := range schema.Summaries() {
		if mark(s.Table) && s.Kind == schema.Sum && s.Where == "" {
			c.Sources = append(c.Sources, catalog.Source{Table: s.Table, Dimensions: s.Dimensions, CountExpr: "sum(count)"})
		}
	}
	for _, n := range []string{schema.ProjectsTable, schema.CountriesTable, schema.CountriesDict, schema.LastUpdateDict} {
		mark(n)
	}
	sort.SliceStable(c.Sources, func(i, j int) bool { return len(c.Sources[i].Dimensions) < len(c.Sources[j].Dimensions) })
	if rawOK {
		var cols []string
		for _, col := range schema.RawColumns() {
			cols = append(cols, col.Name)
		}
		c.Sources = append(c.Sources, catalog.Source{Table: schema.RawTable, Dimensions: cols, CountExpr: "count()", Raw: true})
	}
	return c
}

// allSummaries names every summary table, to drop them all.
func allSummaries() []string {
	var out []string
	for _, s := range schema.Summaries() {
		out = append(out, s.Table)
	}
	return out
}

// buildCase is one representative query.
type buildCase struct {
	name  string
	query string
	// drop lists tables the database lacks.
	drop []string
	// from and to default to caseFrom and caseTo.
	from, to time.Time
	// interval and points are Grafana's hints; points defaults to 1000.
	interval time.Duration
	points   int64
}

func caseFrom() time.Time { return time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC) }
func caseTo() time.Time   { return time.Date(2024, 5, 29, 18, 0, 0, 0, time.UTC) }
func caseNow() time.Time  { return time.Date(2024, 6, 10, 8, 0, 0, 0, time.UTC) }

// buildCases covers every query type and the catalogue's fallbacks.
func buildCases() []buildCase {
	noCountryViews := []string{schema.PerDayByVersionByCountry, schema.PerDayByVersionByPythonByCountry,
		schema.PerDayByVersionBySystemByCountry, schema.PerDayByVersionByInstallerByTypeCty}
	return []buildCase{
		{name: "timeseries_total", query: `{"queryType":"timeseries"}`},
		{name: "timeseries_packages_week", query: `{"queryType":"timeseries","packages":["requests","numpy"],"granularity":"week"}`},
		{name: "timeseries_auto_month", query: `{"queryType":"timeseries","packages":["requests"]}`, points: 10},
		{name: "timeseries_breakdown_version", query: `{"queryType":"timeseries","packages":["requests","numpy"],"breakdown":"version","limit":3,"granularity":"month"}`},
		{name: "timeseries_breakdown_country_total", query: `{"queryType":"timeseries","breakdown":"country_code","limit":5,"granularity":"week","countries":["US","DE","FR","CN","IN","GB"]}`},
		{name: "timeseries_filters_raw", query: `{"queryType":"timeseries","packages":["requests"],"python_minors":["3.12"],"systems":["Linux"],"excludeMirrors":true,"granularity":"day"}`},
		{name: "timeseries_no_maxmin", query: `{"queryType":"timeseries","packages":["requests"],"granularity":"day"}`, drop: []string{schema.MaxMinDates}},
		{name: "breakdown_country", query: `{"queryType":"breakdown","dimension":"country_code","packages":["requests"],"limit":5}`},
		{name: "breakdown_country_join", query: `{"queryType":"breakdown","dimension":"country_code","limit":5}`, drop: []string{schema.CountriesDict}},
		{name: "breakdown_country_codes_only", query: `{"queryType":"breakdown","dimension":"country_code","limit":5}`,
			drop: append([]string{schema.CountriesDict, schema.CountriesTable}, noCountryViews...)},
		{name: "breakdown_installer_type", query: `{"queryType":"breakdown","dimension":"installer_type","packages":["requests"],"types":["sdist"],"limit":4}`},
		{name: "breakdown_version_filtered", query: `{"queryType":"breakdown","dimension":"version","packages":["requests"],"versions":["2.31.0","2.32.3"],"limit":10}`},
		{name: "summary", query: `{"queryType":"summary","packages":["requests","numpy"],"countries":["US"]}`},
		{name: "ranking", query: `{"queryType":"ranking","packages":["numpy"],"installers":["pip","uv"]}`},
		{name: "top_packages", query: `{"queryType":"top_packages","limit":20,"excludeMirrors":true}`},
		{name: "totals", query: `{"queryType":"totals","types":["bdist_wheel"]}`},
		{name: "emerging", query: `{"queryType":"emerging","limit":5}`},
		{name: "emerging_no_maxmin", query: `{"queryType":"emerging","limit":5,"countries":["US"]}`, drop: []string{schema.MaxMinDates}},
		{name: "needing_refresh", query: `{"queryType":"needing_refresh","limit":10}`},
		{name: "hot_per_month", query: `{"queryType":"hot","limit":10}`},
		{name: "hot_filtered", query: `{"queryType":"hot","limit":10,"minDownloads":50,"systems":["Windows"]}`},
		{name: "hot_old_range", query: `{"queryType":"hot","limit":10}`,
			from: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)},
		{name: "recent_releases", query: `{"queryType":"recent_releases","packages":["Requests","zope.interface"]}`},
		{name: "releases", query: `{"queryType":"releases","packages":["requests"]}`},
		{name: "dependencies", query: `{"queryType":"dependencies","packages":["requests"],"limit":50}`},
		{name: "dependents", query: `{"queryType":"dependents","packages":["urllib3"],"limit":20}`},
		{name: "details", query: `{"queryType":"details","packages":["requests"]}`},
		{name: "details_no_maxmin", query: `{"queryType":"details","packages":["requests"]}`, drop: []string{schema.MaxMinDates}},
		{name: "sql_macros", query: `{"queryType":"sql","rawSql":"SELECT date AS time, project, sum(count) AS downloads\nFROM $__table(date, project)\nWHERE $__dateFilter(date) AND project IN ('requests', 'numpy') -- $__table(x)\nGROUP BY time, project\nORDER BY time"}`},
		{name: "sql_time_macros", query: `{"queryType":"sql","rawSql":"SELECT $__fromTime AS f, $__toTime AS t, $__fromDate AS fd, $__toDate AS td, '$__timeFilter(x)' AS s, count() FROM $__table(date, python_minor, system) WHERE $__timeFilter(date)"}`},
		{name: "var_packages", query: `{"queryType":"variable","variable":"packages","prefix":"Req","limit":20}`},
		{name: "var_top_packages", query: `{"queryType":"variable","variable":"top_packages","limit":50}`},
		{name: "var_versions", query: `{"queryType":"variable","variable":"versions","packages":["requests"],"limit":100}`},
		{name: "var_countries", query: `{"queryType":"variable","variable":"countries"}`},
		{name: "var_countries_no_table", query: `{"queryType":"variable","variable":"countries"}`, drop: []string{schema.CountriesTable}},
		{name: "var_dimension", query: `{"queryType":"variable","variable":"dimension","dimension":"python_minor","packages":["requests"]}`},
		{name: "baseline_expected", query: `{"queryType":"baseline","packages":["requests","numpy"],"excludeMirrors":true}`},
		{name: "baseline_noise_raw", query: `{"queryType":"baseline","packages":["requests"],"statistic":"noise","countries":["US"]}`, drop: allSummaries()},
		{name: "only_raw", query: `{"queryType":"timeseries","packages":["requests"],"granularity":"week"}`, drop: allSummaries()},
	}
}

// request turns a case into a Request on database db and catalogue cat.
func (c buildCase) request(t testing.TB, db string, cat *catalog.Catalog) sqlbuild.Request {
	t.Helper()
	q, err := querymodel.Parse([]byte(c.query), "")
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	from, to := c.from, c.to
	if from.IsZero() {
		from, to = caseFrom(), caseTo()
	}
	points := c.points
	if points == 0 {
		points = 1000
	}
	return sqlbuild.Request{Query: q, From: from, To: to, Interval: c.interval, MaxDataPoints: points,
		Database: db, Catalog: cat, Now: caseNow()}
}
