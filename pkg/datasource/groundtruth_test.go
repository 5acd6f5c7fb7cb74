package datasource_test

// Randomized ground truth through the plugin binary.
//
// Cases are drawn with a fixed seed (math/rand/v2 PCG): 1-3 packages among
// the sample's popular and long-tail ones (sometimes none, sometimes one
// that does not exist), filters drawn from the values those packages have
// (sometimes values no download has, sometimes excludeMirrors), a query
// type among timeseries (with and without a breakdown of each dimension),
// breakdown (each dimension and installer_type), summary, top_packages and
// totals, time ranges inside, around and outside the data, granularities
// auto/day/week/month with varied Interval and MaxDataPoints.
//
// The expected side is a plain count() over the raw pypi table with the
// same filters (groundtruth_truth_test.go), grouped in Go: day, Monday
// week and calendar month buckets in UTC, top N plus "other" folding and
// shares. Every number the plugin returns is compared, and so are the sets
// of series, buckets and rows (groundtruth_check_test.go).
//
// Each case runs twice: against the shared data source (every summary
// view) and against a database holding only the raw table and countries,
// where every frame must also say it scanned the raw table.
//
// Rules taken from the code where the docs are silent or differ:
//   - A time series' last date with data is the newest date of any
//     package (pkg/frames doc), with or without the max/min view, capped at
//     the range's end. Without a breakdown, each listed package that has
//     downloads at any time gets a series (zeros where it has none), one
//     that has none gets no series and a notice naming it (README).
//   - top_packages ignores a versions filter (versions narrow a package,
//     they do not rank packages) and says so in a notice (README).
//   - Among values with equal counts the plugin may pick either for a top N
//     (SQL orders them by value, but nothing documents it): a top-N choice
//     passes when every chosen value has at least the count of every value
//     left out, and the rest is compared against that choice.
//
// CLICKPY_LONG=1 runs 5000 cases instead of 500.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
)

const (
	gtSeed          = 20261031
	gtCases         = 500
	gtLongCases     = 5000
	gtBatch         = 25
	gtMaxFailPrints = 12
)

func TestGroundTruthRandomized(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	start := time.Now()
	db := shared.srv.Database
	rawDB := db + "_rawonly"
	gtMakeRawOnly(t, ctx, db, rawDB)

	rng := rand.New(rand.NewPCG(gtSeed, gtSeed^0x9e3779b97f4a7c15))
	pool, err := gtLoadPool(ctx, db, rng)
	mustT(t, err)
	n := gtCases
	if os.Getenv("CLICKPY_LONG") == "1" {
		n = gtLongCases
	}
	cases := pool.generate(rng, n)

	modes := []struct {
		m  gtMode
		ds pluginhost.DataSource
	}{
		{gtMode{name: "views", db: db}, shared.ds},
		{gtMode{name: "rawonly", db: rawDB, raw: true}, dataSourceFor(shared.srv, "groundtruth-rawonly", rawDB)},
	}
	modes[1].ds.Updated = time.Now()
	for i := range modes {
		m := &modes[i].m
		if m.globalEnd, err = gtGlobalEnd(ctx, m.db); err != nil {
			t.Fatal(err)
		}
		if m.countries, err = gtCountryNames(ctx, m.db); err != nil {
			t.Fatal(err)
		}
		if m.projects, err = gtProjects(ctx, m.db); err != nil {
			t.Fatal(err)
		}
	}

	st := &gtStats{byType: map[string]int{}, granularity: map[string]int{}}
	failed, printed := 0, 0
	var truthTime, pluginTime time.Duration
	for lo := 0; lo < len(cases); lo += gtBatch {
		batch := cases[lo:min(lo+gtBatch, len(cases))]
		// The truth is computed once per case: both databases hold the
		// same raw rows.
		t0 := time.Now()
		truth := make([][]gtRow, len(batch))
		for i, c := range batch {
			if truth[i], err = gtFetchTruth(ctx, db, c); err != nil {
				t.Fatal(err)
			}
		}
		truthTime += time.Since(t0)
		queries := make([]backend.DataQuery, len(batch))
		for i, c := range batch {
			queries[i] = c.dataQuery()
		}
		for _, mode := range modes {
			t0 := time.Now()
			resp, err := shared.host.QueryData(ctx, mode.ds, queries)
			pluginTime += time.Since(t0)
			if err != nil {
				t.Fatalf("%s: QueryData: %v", mode.m.name, err)
			}
			for i, c := range batch {
				d := &gtDiffs{}
				gtCheckCase(d, c, mode.m, truth[i], resp.Responses[c.refID()], st)
				if len(d.list) == 0 {
					continue
				}
				failed++
				if printed < gtMaxFailPrints {
					printed++
					t.Errorf("[%s] %s\n%s", mode.m.name, c, d)
				}
			}
		}
		for _, c := range batch {
			st.cases++
			st.byType[c.Type]++
			if len(truth[c.ID-lo]) == 0 {
				st.emptyCases++
			}
		}
	}
	if failed > printed {
		t.Errorf("%d more failing case runs not printed", failed-printed)
	}
	if failed > 0 {
		t.Errorf("%d of %d case runs failed", failed, 2*len(cases))
	}
	t.Logf("%d cases x 2 data sources in %s (truth queries %s, plugin %s): %d numbers compared, %d series, %d empty truths, %d top-N tie choices differing from value order, %d partial buckets, %d raw-scan notices; types %v; granularities %v",
		st.cases, time.Since(start).Round(time.Millisecond), truthTime.Round(time.Millisecond), pluginTime.Round(time.Millisecond),
		st.numbers, st.series, st.emptyCases, st.tieChoices, st.partial, st.rawNotices, gtSortedCounts(st.byType), gtSortedCounts(st.granularity))
	if st.emptyCases > st.cases/2 {
		t.Errorf("%d of %d cases count no downloads at all: the draw is too narrow to test much", st.emptyCases, st.cases)
	}
}

func gtSortedCounts(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

// checkCase compares one response with the truth.
func gtCheckCase(d *gtDiffs, c gtCase, m gtMode, rows []gtRow, r backend.DataResponse, st *gtStats) {
	if r.Error != nil {
		d.add("error: %v", r.Error)
		return
	}
	if len(r.Frames) != 1 {
		d.add("%d frames, want 1", len(r.Frames))
		return
	}
	f := r.Frames[0]
	if f.RefID != c.refID() {
		d.add("frame RefID %q, want %q", f.RefID, c.refID())
	}
	gtCheckMeta(d, m, f, st)
	switch c.Type {
	case "timeseries":
		gtCheckTimeSeries(d, c, m, rows, f, st)
	case "breakdown":
		gtCheckBreakdown(d, c, m, rows, f, st)
	case "summary":
		gtCheckSummary(d, c, rows, f, st)
	case "top_packages":
		gtCheckTopPackages(d, c, rows, f, st)
	case "totals":
		gtCheckTotals(d, rows, f, st)
	default:
		d.add("no check for query type %q", c.Type)
	}
}

// TestGroundTruthViewChoice checks, through the plugin, which table each
// query shape reads: the smallest summary view holding every column it
// needs, the raw table when none does, and always the raw table in a
// database without views.
func TestGroundTruthViewChoice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	db := shared.srv.Database
	rawDB := db + "_rawonly_views"
	gtMakeRawOnly(t, ctx, db, rawDB)
	rawDS := dataSourceFor(shared.srv, "groundtruth-rawonly-views", rawDB)
	rawDS.Updated = time.Now()

	pk := []string{"requests"}
	var ver string
	mustT(t, shared.conn.QueryRow(ctx, "SELECT version FROM "+db+".pypi WHERE project = 'requests' GROUP BY version ORDER BY count() DESC, version LIMIT 1").Scan(&ver))
	cases := []struct {
		model map[string]any
		table string
	}{
		{map[string]any{"queryType": "timeseries", "packages": pk}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "timeseries"}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "versions": []string{ver}}, "pypi_downloads_per_day_by_version"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "breakdown": "version"}, "pypi_downloads_per_day_by_version"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "countries": []string{"US"}}, "pypi_downloads_per_day_by_version_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "breakdown": "country_code"}, "pypi_downloads_per_day_by_version_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "types": []string{"sdist"}}, "pypi_downloads_per_day_by_version_by_file_type"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "python_minors": []string{"3.12"}}, "pypi_downloads_per_day_by_version_by_python"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "breakdown": "python_minor", "countries": []string{"US"}}, "pypi_downloads_per_day_by_version_by_python_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "systems": []string{"Linux"}}, "pypi_downloads_per_day_by_version_by_system"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "systems": []string{"Linux"}, "countries": []string{"DE"}}, "pypi_downloads_per_day_by_version_by_system_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "installers": []string{"pip"}}, "pypi_downloads_per_day_by_version_by_installer_by_type"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "excludeMirrors": true}, "pypi_downloads_per_day_by_version_by_installer_by_type"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "breakdown": "installer", "countries": []string{"US"}}, "pypi_downloads_per_day_by_version_by_installer_by_type_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "types": []string{"sdist"}, "countries": []string{"US"}}, "pypi_downloads_per_day_by_version_by_installer_by_type_by_country"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "python_minors": []string{"3.12"}, "systems": []string{"Linux"}}, "pypi"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "breakdown": "system", "python_minors": []string{"3.12"}}, "pypi"},
		{map[string]any{"queryType": "timeseries", "packages": pk, "installers": []string{"pip"}, "python_minors": []string{"3.12"}}, "pypi"},
		{map[string]any{"queryType": "breakdown", "packages": pk, "dimension": "version"}, "pypi_downloads_per_day_by_version"},
		{map[string]any{"queryType": "breakdown", "packages": pk, "dimension": "country_code"}, "pypi_downloads_per_day_by_version_by_country"},
		{map[string]any{"queryType": "breakdown", "packages": pk, "dimension": "installer_type"}, "pypi_downloads_per_day_by_version_by_installer_by_type"},
		{map[string]any{"queryType": "breakdown", "packages": pk, "dimension": "type"}, "pypi_downloads_per_day_by_version_by_file_type"},
		{map[string]any{"queryType": "breakdown", "packages": pk, "dimension": "system", "python_minors": []string{"3.12"}}, "pypi"},
		{map[string]any{"queryType": "summary", "packages": pk}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "summary", "packages": pk, "countries": []string{"US"}}, "pypi_downloads_per_day_by_version_by_country"},
		{map[string]any{"queryType": "top_packages"}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "top_packages", "versions": []string{"1.0.0"}}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "top_packages", "systems": []string{"Linux"}}, "pypi_downloads_per_day_by_version_by_system"},
		{map[string]any{"queryType": "totals"}, "pypi_downloads_per_day"},
		{map[string]any{"queryType": "totals", "python_minors": []string{"3.12"}, "systems": []string{"Linux"}}, "pypi"},
	}
	// A day short of all the data, so each query needs a dated table
	// (TestGroundTruthAllTime covers ranges holding all of it).
	from, to := dataRange()
	from = from.AddDate(0, 0, 1)
	var queries []backend.DataQuery
	for i, c := range cases {
		queries = append(queries, query(fmt.Sprintf("V%d", i), c.model, from, to))
	}
	for _, mode := range []struct {
		name string
		db   string
		ds   pluginhost.DataSource
	}{{"views", db, shared.ds}, {"rawonly", rawDB, rawDS}} {
		resp, err := shared.host.QueryData(ctx, mode.ds, queries)
		mustT(t, err)
		for i, c := range cases {
			r := resp.Responses[fmt.Sprintf("V%d", i)]
			if r.Error != nil || len(r.Frames) != 1 {
				t.Errorf("[%s] %v: error %v, %d frames", mode.name, c.model, r.Error, len(r.Frames))
				continue
			}
			f := r.Frames[0]
			if f.Meta == nil {
				t.Errorf("[%s] %v: no meta", mode.name, c.model)
				continue
			}
			want := c.table
			if mode.name == "rawonly" {
				want = "pypi"
			}
			got := gtTablesRead(f.Meta.ExecutedQueryString, mode.db)
			if len(got) != 1 || got[0] != want {
				t.Errorf("[%s] %v reads %v, want %s\n%s", mode.name, c.model, got, want, f.Meta.ExecutedQueryString)
			}
			// Through the Arrow round trip meta.custom is decoded JSON.
			if src, _ := f.Meta.Custom.(map[string]any); src["sourceTable"] != want {
				t.Errorf("[%s] %v: meta.custom %v, want sourceTable %s", mode.name, c.model, f.Meta.Custom, want)
			}
			if raw := gtHasNotice(f, gtRawNotice); raw != (want == "pypi") {
				t.Errorf("[%s] %v: raw-scan notice %v, want %v", mode.name, c.model, raw, want == "pypi")
			}
			if n, _ := f.RowLen(); n == 0 {
				t.Errorf("[%s] %v: no rows", mode.name, c.model)
			}
		}
	}
}

func gtHasNotice(f *data.Frame, prefix string) bool {
	if f.Meta == nil {
		return false
	}
	for _, n := range f.Meta.Notices {
		if strings.HasPrefix(n.Text, prefix) {
			return true
		}
	}
	return false
}
