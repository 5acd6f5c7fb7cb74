package sqlbuild_test

import (
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// testCatalog is the catalogue of a database holding every ClickPy table
// but those in drop, as catalog.Read would build it without row counts,
// whose data runs from caseDataFirst to caseDataLast.
func testCatalog(database string, drop ...string) *catalog.Catalog {
	return testCatalogWith(database, schemaSnapshot(false, nil), drop...)
}

// testCatalogWith is testCatalog over a snapshot of the database.
func testCatalogWith(database string, snap catalog.Snapshot, drop ...string) *catalog.Catalog {
	for _, d := range drop {
		delete(snap.Columns, d)
		delete(snap.Tables, d)
	}
	c := catalog.Build(database, snap)
	c.Data = catalog.Span{First: caseDataFirst(), Last: caseDataLast()}
	c.DataKnown, c.DataFrom = true, schema.MaxMinDates
	return c
}

// schemaSnapshot is what catalog.Read finds after schema.Apply (with
// ClickPy's published keys when published), with the given row counts
// (nil: unreadable).
func schemaSnapshot(published bool, rows map[string]uint64) catalog.Snapshot {
	snap := catalog.Snapshot{Columns: map[string][]string{}, Tables: map[string]catalog.Table{}, Rows: rows}
	for _, c := range schema.RawColumns() {
		snap.Columns[schema.RawTable] = append(snap.Columns[schema.RawTable], c.Name)
	}
	snap.Tables[schema.RawTable] = catalog.Table{Engine: "MergeTree", SortingKey: "project, date"}
	for _, s := range schema.Summaries() {
		for _, c := range s.Columns {
			snap.Columns[s.Table] = append(snap.Columns[s.Table], c.Name)
		}
		key, engine := s.OrderBy, "SummingMergeTree"
		if published && s.PublishedOrderBy != nil {
			key = s.PublishedOrderBy
		}
		if s.Kind == schema.MaxMin {
			engine = "AggregatingMergeTree"
		}
		snap.Tables[s.Table] = catalog.Table{Engine: engine, SortingKey: strings.Join(key, ", ")}
	}
	snap.Columns[schema.ProjectsTable] = []string{"name", "version", "upload_time", "requires_dist"}
	snap.Columns[schema.CountriesTable] = []string{"name", "code"}
	snap.Tables[schema.CountriesDict] = catalog.Table{Engine: "Dictionary"}
	snap.Tables[schema.LastUpdateDict] = catalog.Table{Engine: "Dictionary"}
	for _, c := range schema.GitHubEventsColumns() {
		snap.Columns[schema.GitHubEvents] = append(snap.Columns[schema.GitHubEvents], c.Name)
	}
	snap.Columns[schema.RepoNameToID] = []string{"repo_name", "repo_id"}
	snap.Tables[schema.ProjectRepoDict] = catalog.Table{Engine: "Dictionary"}
	return snap
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
	// spans are the packages' days the request brings.
	spans map[string]catalog.Span
	// published builds the database with ClickPy's published keys; rows,
	// when set, are its tables' live rows.
	published bool
	rows      map[string]uint64
	// want, when set, is the table the counts must come from.
	want string
}

// catalog is the case's database.
func (c buildCase) catalog(database string) *catalog.Catalog {
	return testCatalogWith(database, schemaSnapshot(c.published, c.rows), c.drop...)
}

// rangeCases are the range-aware choices: ranges holding all the data or
// all of the named packages', allTime, and month buckets inside and across
// the monthly table's window (from 2024-01 at caseNow).
func rangeCases() []buildCase {
	requests := map[string]catalog.Span{"requests": {First: day("2023-01-10"), Last: day("2024-05-31")}}
	recent := map[string]catalog.Span{"requests": {First: day("2024-02-10"), Last: day("2024-05-31")},
		"numpy": {First: day("2023-05-01"), Last: day("2024-05-20")}}
	return []buildCase{
		{name: "range_totals_all_time", want: schema.Downloads, query: `{"queryType":"totals","allTime":true}`},
		{name: "range_top_packages_covering", want: schema.Downloads, query: `{"queryType":"top_packages","limit":20}`, from: day("2022-01-01"), to: day("2024-06-10")},
		{name: "range_top_packages_mirrors_all_time", want: schema.PerDayByVersionByInstallerByType, query: `{"queryType":"top_packages","limit":20,"excludeMirrors":true,"allTime":true}`},
		{name: "range_totals_package_span", want: schema.Downloads, query: `{"queryType":"totals","packages":["requests"]}`, from: day("2023-01-10"), to: day("2024-06-01"), spans: requests},
		{name: "range_totals_package_span_cut", want: schema.PerDay, query: `{"queryType":"totals","packages":["requests"]}`, from: day("2023-01-11"), to: day("2024-06-01"), spans: requests},
		{name: "range_breakdown_version_all_time", want: schema.DownloadsByVersion, query: `{"queryType":"breakdown","dimension":"version","packages":["requests"],"limit":10,"allTime":true}`},
		{name: "range_breakdown_country_all_time", want: schema.PerDayByVersionByCountry, query: `{"queryType":"breakdown","dimension":"country_code","packages":["requests"],"limit":10,"allTime":true}`},
		{name: "range_summary_all_time", want: schema.Downloads, query: `{"queryType":"summary","packages":["requests","numpy"],"allTime":true}`, spans: recent},
		{name: "range_summary_covering_filtered", want: schema.PerDayByVersionByCountry, query: `{"queryType":"summary","packages":["requests"],"countries":["US"]}`,
			from: day("2020-01-01"), to: day("2024-06-10"), spans: requests},
		{name: "range_ranking_all_time", want: schema.Downloads, query: `{"queryType":"ranking","packages":["numpy"],"allTime":true}`},
		{name: "range_dependencies_all_time", want: schema.Downloads, query: `{"queryType":"dependencies","packages":["requests"],"limit":50,"allTime":true}`},
		{name: "range_timeseries_all_time", want: schema.PerDay, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"week","allTime":true}`, spans: requests},
		{name: "range_month_inside_window", want: schema.PerMonth, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month"}`,
			from: day("2024-01-01"), to: day("2024-06-10"), spans: requests},
		{name: "range_month_total_inside_window", want: schema.PerMonth, query: `{"queryType":"timeseries","granularity":"month"}`,
			from: day("2024-02-01"), to: day("2024-04-30")},
		{name: "range_month_across_window", want: schema.PerDay, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month"}`,
			from: day("2023-12-01"), to: day("2024-06-10"), spans: requests},
		{name: "range_month_unaligned", want: schema.PerDay, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month"}`,
			from: day("2024-01-15"), to: day("2024-06-10"), spans: requests},
		{name: "range_month_cut_end", want: schema.PerDay, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month"}`,
			from: day("2024-01-01"), to: day("2024-05-15"), spans: requests},
		{name: "range_month_new_package_all_time", want: schema.PerMonth, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month","allTime":true}`, spans: recent},
		{name: "range_month_filtered", want: schema.PerDayByVersionByCountry, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"month","countries":["US"]}`,
			from: day("2024-01-01"), to: day("2024-06-10"), spans: requests},
	}
}

// keyAndRowsCases are the key- and cost-aware choices.
func keyAndRowsCases() []buildCase {
	bigPerDay := map[string]uint64{schema.RawTable: 5_000_000, schema.PerDay: 4_000_000}
	for i, s := range schema.Summaries() {
		if _, ok := bigPerDay[s.Table]; !ok {
			bigPerDay[s.Table] = uint64(10_000 * (i + 1))
		}
	}
	return []buildCase{
		{name: "key_breakdown_installer_type", want: schema.PerDayByVersionByInstallerByTypeCty, query: `{"queryType":"breakdown","dimension":"installer_type","packages":["requests"],"limit":40}`, published: true},
		{name: "key_timeseries_type_mirrors", want: schema.PerDayByVersionByInstallerByTypeCty, query: `{"queryType":"timeseries","packages":["requests"],"types":["sdist"],"excludeMirrors":true,"granularity":"day"}`, published: true},
		{name: "key_breakdown_installer", want: schema.PerDayByVersionByInstallerByType, query: `{"queryType":"breakdown","dimension":"installer","packages":["requests"],"limit":10}`, published: true},
		{name: "rows_timeseries_per_day_largest", want: schema.PerDayByVersion, query: `{"queryType":"timeseries","packages":["requests"],"granularity":"day"}`, rows: bigPerDay},
	}
}

func caseFrom() time.Time { return time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC) }

// The test catalogue's data runs from caseDataFirst to caseDataLast.
func caseDataFirst() time.Time { return time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC) }
func caseDataLast() time.Time  { return time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC) }
func caseTo() time.Time        { return time.Date(2024, 5, 29, 18, 0, 0, 0, time.UTC) }
func caseNow() time.Time       { return time.Date(2024, 6, 10, 8, 0, 0, 0, time.UTC) }

// buildCases covers every query type and the catalogue's fallbacks.
func buildCases() []buildCase {
	noCountryViews := []string{schema.PerDayByVersionByCountry, schema.PerDayByVersionByPythonByCountry,
		schema.PerDayByVersionBySystemByCountry, schema.PerDayByVersionByInstallerByTypeCty}
	cases := []buildCase{
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
		{name: "var_hot", query: `{"queryType":"variable","variable":"hot","limit":10,"minDownloads":50}`},
		{name: "var_versions", query: `{"queryType":"variable","variable":"versions","packages":["requests"],"limit":100}`},
		{name: "var_dependents", query: `{"queryType":"variable","variable":"dependents","packages":["urllib3"]}`},
		{name: "var_countries", query: `{"queryType":"variable","variable":"countries"}`},
		{name: "var_countries_no_table", query: `{"queryType":"variable","variable":"countries"}`, drop: []string{schema.CountriesTable}},
		{name: "var_dimension", query: `{"queryType":"variable","variable":"dimension","dimension":"python_minor","packages":["requests"]}`},
		{name: "baseline_expected", query: `{"queryType":"baseline","packages":["requests","numpy"],"excludeMirrors":true}`},
		{name: "baseline_noise_raw", query: `{"queryType":"baseline","packages":["requests"],"statistic":"noise","countries":["US"]}`, drop: allSummaries()},
		{name: "adoption", query: `{"queryType":"adoption","packages":["requests"],"limit":20}`},
		{name: "python_support", query: `{"queryType":"python_support","packages":["requests","numpy"],"minPython":"3.10","granularity":"week"}`},
		{name: "only_raw", query: `{"queryType":"timeseries","packages":["requests"],"granularity":"week"}`, drop: allSummaries()},
		{name: "github_stats", query: `{"queryType":"github_stats","packages":["requests"]}`},
		{name: "github_stats_no_maps", query: `{"queryType":"github_stats","packages":["requests"]}`, drop: []string{schema.RepoNameToID, schema.ProjectRepoDict}},
		{name: "github_stats_no_data", query: `{"queryType":"github_stats","packages":["requests"]}`, drop: []string{schema.GitHubEvents}},
		{name: "github_stars", query: `{"queryType":"github_stars","packages":["requests"],"granularity":"week"}`},
		{name: "github_stars_no_data", query: `{"queryType":"github_stars","packages":["requests"]}`, drop: []string{schema.GitHubEvents}},
		{name: "top_contributors", query: `{"queryType":"top_contributors","packages":["requests"],"limit":10}`},
		{name: "top_contributors_no_data", query: `{"queryType":"top_contributors","packages":["requests"]}`, drop: []string{schema.GitHubEvents}},
		{name: "dependencies_no_github", query: `{"queryType":"dependencies","packages":["requests"],"limit":50}`, drop: []string{schema.GitHubEvents}},
		{name: "dependents_stars_no_maps", query: `{"queryType":"dependents","packages":["urllib3"],"limit":20}`, drop: []string{schema.RepoNameToID, schema.ProjectRepoDict}},
	}
	return append(append(cases, rangeCases()...), keyAndRowsCases()...)
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
		Database: db, Catalog: cat, Now: caseNow(), Spans: c.spans}
}
