package datasource_test

// Ground truth for the range-, key- and cost-aware table choices, through
// the plugin binary: every answer is compared with count() over the raw
// table (groundtruth_truth_test.go), and each case also says which table
// must have answered.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// gtTableCheck checks one case's frame beyond its numbers.
type gtTableCheck func(d *gtDiffs, c gtCase, f *data.Frame)

// gtRunCases sends the cases to ds through the plugin and compares each
// answer with the truth of truthOf(c) (the case itself when nil), then
// runs check on its frame.
func gtRunCases(t *testing.T, ctx context.Context, ds pluginhost.DataSource, m gtMode, cases []gtCase,
	truthOf func(gtCase) gtCase, check gtTableCheck) {
	t.Helper()
	st := &gtStats{byType: map[string]int{}, granularity: map[string]int{}}
	failed, printed := 0, 0
	for lo := 0; lo < len(cases); lo += gtBatch {
		batch := cases[lo:min(lo+gtBatch, len(cases))]
		var queries []backend.DataQuery
		for _, c := range batch {
			queries = append(queries, c.dataQuery())
		}
		resp, err := shared.host.QueryData(ctx, ds, queries)
		mustT(t, err)
		for _, c := range batch {
			tc := c
			if truthOf != nil {
				tc = truthOf(c)
			}
			rows, err := gtFetchTruth(ctx, m.db, tc)
			mustT(t, err)
			d := &gtDiffs{}
			r := resp.Responses[c.refID()]
			gtCheckCase(d, c, m, rows, r, st)
			if check != nil && r.Error == nil && len(r.Frames) == 1 {
				check(d, c, r.Frames[0])
			}
			st.cases++
			if len(d.list) == 0 {
				continue
			}
			failed++
			if printed < gtMaxFailPrints {
				printed++
				t.Errorf("[%s] %s\n%s", m.name, c, d)
			}
		}
	}
	if failed > 0 {
		t.Errorf("[%s] %d of %d cases failed", m.name, failed, len(cases))
	}
	t.Logf("[%s] %d cases, %d numbers compared", m.name, st.cases, st.numbers)
}

// gtSourceTable is the table a frame says its counts came from.
func gtSourceTable(f *data.Frame) (table, reason string) {
	if f.Meta == nil {
		return "", ""
	}
	c, _ := f.Meta.Custom.(map[string]any)
	table, _ = c["sourceTable"].(string)
	reason, _ = c["sourceReason"].(string)
	return table, reason
}

// gtExpectTable checks the frame's source table.
func gtExpectTable(d *gtDiffs, f *data.Frame, want string) {
	if got, why := gtSourceTable(f); got != want {
		d.add("counts from %s, want %s (reason: %s)", got, want, why)
	}
}

// gtNarrowed tells whether a case filters by more than packages.
func gtNarrowed(c gtCase) bool {
	return c.F.ExcludeMirrors || len(c.F.Countries)+len(c.F.Installers)+len(c.F.PythonMinors)+len(c.F.Systems)+len(c.F.Types) > 0
}

// gtUndatedTable is the undated summary that must answer a case whose
// range holds all it counts, or "" when none can.
func gtUndatedTable(c gtCase) string {
	if gtNarrowed(c) {
		return ""
	}
	switch c.Type {
	case "totals":
		if len(c.F.Versions) > 0 {
			return schema.DownloadsByVersion
		}
		return schema.Downloads
	case "top_packages":
		return schema.Downloads
	case "summary":
		if len(c.F.Versions) > 0 {
			return ""
		}
		return schema.Downloads
	case "breakdown":
		if c.Dimension == "version" {
			return schema.DownloadsByVersion
		}
	}
	return ""
}

// gtPackagesFirstDay is the first download day of the packages in db's
// raw table (zero when they have none).
func gtPackagesFirstDay(t *testing.T, ctx context.Context, db string, pkgs []string) time.Time {
	t.Helper()
	var first *time.Time
	mustT(t, shared.conn.QueryRow(ctx, "SELECT minOrNull(date) FROM "+db+".pypi WHERE project IN @p", clickhouse.Named("p", pkgs)).Scan(&first))
	if first == nil {
		return time.Time{}
	}
	return first.UTC()
}

// Ranges holding all of the data, or all of the named packages' data, and
// allTime queries, answer from the undated summaries where their filters
// allow, with the raw table's counts.
func TestGroundTruthAllTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	db := shared.srv.Database
	rng := rand.New(rand.NewPCG(gtSeed+11, gtSeed^0x51ed27))
	pool, err := gtLoadPool(ctx, db, rng)
	mustT(t, err)
	m := gtMode{name: "all time", db: db}
	m.globalEnd, err = gtGlobalEnd(ctx, db)
	mustT(t, err)
	m.projects, err = gtProjects(ctx, db)
	mustT(t, err)
	m.countries, err = gtCountryNames(ctx, db)
	mustT(t, err)

	end := pool.end.Add(20 * time.Hour)
	cases := pool.generate(rng, 160)
	undated := 0
	for i := range cases {
		c := &cases[i]
		// Half the cases keep only filters an undated summary holds.
		if i%8 < 4 {
			c.F = gtFilters{Versions: c.F.Versions}
		}
		switch i % 4 {
		case 0: // well around all of the data
			c.From, c.To = pool.start.AddDate(0, 0, -40).Add(3*time.Hour), pool.end.AddDate(0, 0, 3)
		case 1: // exactly the data's days
			c.From, c.To = pool.start.Add(7*time.Hour), end
		case 2: // exactly the packages' days, usually far less than all
			first := pool.start
			if len(c.Packages) > 0 {
				if f := gtPackagesFirstDay(t, ctx, db, c.Packages); !f.IsZero() {
					first = f
				}
			}
			c.From, c.To = first.Add(5*time.Hour), end
		case 3: // allTime, whatever the range
			if c.Type == "timeseries" {
				c.From, c.To = pool.start, end
				break
			}
			c.AllTime = true
			c.From, c.To = pool.end.AddDate(0, 0, -6), pool.end.AddDate(0, 0, -2)
		}
		if gtUndatedTable(*c) != "" {
			undated++
		}
	}
	if undated < 30 {
		t.Fatalf("only %d of %d cases can be answered by an undated summary: the draw tests too little", undated, len(cases))
	}
	truthOf := func(c gtCase) gtCase {
		if c.AllTime {
			c.From, c.To = pool.start.AddDate(-10, 0, 0), pool.end.AddDate(10, 0, 0)
		}
		return c
	}
	gtRunCases(t, ctx, shared.ds, m, cases, truthOf, func(d *gtDiffs, c gtCase, f *data.Frame) {
		if want := gtUndatedTable(c); want != "" {
			gtExpectTable(d, f, want)
			if _, why := gtSourceTable(f); !strings.Contains(why, "the date is not needed") {
				d.add("reason %q does not say the range made the date unneeded", why)
			}
		}
	})
}

// gtCopyDatabase creates name with ClickPy's schema (opts' keys) and the
// shared database's downloads, moved shift days later, so the monthly
// table fills as it would on a server loading them now; it is dropped when
// the test ends.
func gtCopyDatabase(t *testing.T, ctx context.Context, name string, opts schema.Options, shift int) {
	t.Helper()
	exec := func(q string) {
		t.Helper()
		if err := shared.conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", strings.SplitN(q, "\n", 2)[0], err)
		}
	}
	exec("DROP DATABASE IF EXISTS " + name)
	t.Cleanup(func() { _ = shared.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name) })
	opts.Database = name
	mustT(t, schema.Apply(ctx, schema.ExecWith(shared.conn), opts))
	cols := "date, country_code, project, type, installer, python_minor, system, version"
	exec(fmt.Sprintf("INSERT INTO %s.pypi (%s) SELECT date + %d, %s FROM %s.pypi",
		name, cols, shift, strings.TrimPrefix(cols, "date, "), shared.srv.Database))
	exec(fmt.Sprintf("INSERT INTO %s.countries SELECT * FROM %s.countries", name, shared.srv.Database))
	exec(fmt.Sprintf("INSERT INTO %s.projects SELECT * FROM %s.projects", name, shared.srv.Database))
}

// Month buckets inside pypi_downloads_per_month's window of whole months
// read it; ranges across the window's start, starting mid-month or ending
// mid-month before the data does read the daily table. Both agree with
// the raw table.
func TestGroundTruthMonthlyWindow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// The sample ends on a fixed day; the monthly table keeps months by
	// the insert's clock, so the data is moved to end yesterday.
	yesterday := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	shift := int(yesterday.Sub(shared.cfg.EndDate()).Hours() / 24)
	db := shared.srv.Database + "_months"
	gtCopyDatabase(t, ctx, db, schema.Options{}, shift)
	ds := dataSourceFor(shared.srv, "groundtruth-months", db)
	ds.Updated = time.Now()
	m := gtMode{name: "monthly window", db: db}
	var err error
	m.globalEnd, err = gtGlobalEnd(ctx, db)
	mustT(t, err)
	m.projects, err = gtProjects(ctx, db)
	mustT(t, err)
	if !m.globalEnd.Equal(yesterday) {
		t.Fatalf("moved data ends %s, want %s", m.globalEnd, yesterday)
	}
	window := catalog.MonthlyWindowStart(time.Now())
	if !window.Before(yesterday) {
		t.Fatalf("window %s starts after the data's end %s", window, yesterday)
	}
	rng := rand.New(rand.NewPCG(gtSeed+12, gtSeed^0x77))
	pool, err := gtLoadPool(ctx, shared.srv.Database, rng)
	mustT(t, err)
	truth, err := gtEmerging(ctx)
	mustT(t, err)

	end := yesterday.Add(20 * time.Hour)
	monthEnd := func(d time.Time) time.Time { return d.AddDate(0, 1, -1).Add(23 * time.Hour) }
	type shape struct {
		name     string
		from, to time.Time
		want     string
		filter   bool
	}
	shapes := []shape{
		{"inside, to the data's end", window, end, schema.PerMonth, false},
		{"inside, to a month's last day", window.Add(2 * time.Hour), monthEnd(window), schema.PerMonth, false},
		{"across the window's start", window.AddDate(0, -1, 0), end, schema.PerDay, false},
		{"starting mid-month", window.AddDate(0, 0, 9), end, schema.PerDay, false},
		{"inside, filtered", window, end, schema.PerDayByVersionByCountry, true},
	}
	if yesterday.Day() > 3 {
		shapes = append(shapes, shape{"ending mid-month before the data", window, yesterday.AddDate(0, 0, -2), schema.PerDay, false})
	}
	var cases []gtCase
	wants := map[int]string{}
	pkgSets := [][]string{nil, {pool.popular[0]}, {pool.popular[1], pool.popular[3]}, {"no-such-package-1"}}
	for _, s := range shapes {
		for _, pkgs := range pkgSets {
			c := gtCase{ID: len(cases), Type: "timeseries", Packages: pkgs, Gran: "month", Limit: 10, From: s.from, To: s.to, MaxDP: 1000}
			if s.filter {
				c.F.Countries = []string{"US"}
			}
			wants[c.ID] = s.want
			cases = append(cases, c)
		}
	}
	// A package first downloaded inside the window: a range reaching far
	// back still reads the monthly table.
	young := gtCase{ID: len(cases), Type: "timeseries", Packages: []string{truth}, Gran: "month", Limit: 10,
		From: window.AddDate(-1, 0, 0), To: end, MaxDP: 1000}
	wants[young.ID] = schema.PerMonth
	cases = append(cases, young)
	gtRunCases(t, ctx, ds, m, cases, nil, func(d *gtDiffs, c gtCase, f *data.Frame) {
		gtExpectTable(d, f, wants[c.ID])
	})
}

// gtEmerging is one of the sample's packages first downloaded within its
// last three months, whose first day the moved data puts inside the
// monthly window.
func gtEmerging(ctx context.Context) (string, error) {
	var name string
	db := shared.srv.Database
	err := shared.conn.QueryRow(ctx, "SELECT project FROM "+db+".pypi GROUP BY project HAVING min(date) > (SELECT max(date) FROM "+db+".pypi) - 60 ORDER BY count() DESC, project LIMIT 1").Scan(&name)
	return name, err
}

// On ClickPy's published key the installer-by-type table merges file
// types once merged (OPTIMIZE ... FINAL): every type split and filter
// still equals count() over the raw table, and the health check names the
// table as degraded.
func TestGroundTruthClickPyKey(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	db := shared.srv.Database + "_clickpykey"
	gtCopyDatabase(t, ctx, db, schema.Options{PublishedKeys: true}, 0)
	merged := db + "." + schema.PerDayByVersionByInstallerByType
	mustT(t, shared.conn.Exec(ctx, "OPTIMIZE TABLE "+merged+" FINAL"))
	// The merge must have changed the split, or this test could not fail.
	var fromTable, fromRaw uint64
	mustT(t, shared.conn.QueryRow(ctx, "SELECT toUInt64(sumIf(count, type = 'sdist')) FROM "+merged).Scan(&fromTable))
	mustT(t, shared.conn.QueryRow(ctx, "SELECT countIf(type = 'sdist') FROM "+db+".pypi").Scan(&fromRaw))
	if fromTable == fromRaw {
		t.Fatalf("the merged table still counts %d sdist downloads, as the raw table does: file types were not merged", fromTable)
	}
	t.Logf("merged %s counts %d sdist downloads, the raw table %d", merged, fromTable, fromRaw)
	ds := dataSourceFor(shared.srv, "groundtruth-clickpykey", db)
	ds.Updated = time.Now()

	h, err := shared.host.CheckHealth(ctx, ds)
	mustT(t, err)
	for _, want := range []string{"degraded", schema.PerDayByVersionByInstallerByType + ": file types merged", "lacks type"} {
		if !strings.Contains(h.Message, want) {
			t.Errorf("health %q lacks %q", h.Message, want)
		}
	}
	if h.Status != backend.HealthStatusOk {
		t.Errorf("health status %v, want OK with a degraded note", h.Status)
	}
	if !strings.Contains(string(h.JSONDetails), `"merged":[{"table":"`+schema.PerDayByVersionByInstallerByType+`","columns":["type"]}]`) {
		t.Errorf("health details %s do not list the merged table", h.JSONDetails)
	}

	m := gtMode{name: "ClickPy's key", db: db}
	m.globalEnd, err = gtGlobalEnd(ctx, db)
	mustT(t, err)
	m.projects, err = gtProjects(ctx, db)
	mustT(t, err)
	m.countries, err = gtCountryNames(ctx, db)
	mustT(t, err)
	rng := rand.New(rand.NewPCG(gtSeed+13, gtSeed^0x1234))
	pool, err := gtLoadPool(ctx, shared.srv.Database, rng)
	mustT(t, err)
	from, to := dataRange()
	var cases []gtCase
	add := func(c gtCase) {
		c.ID, c.From, c.To, c.MaxDP = len(cases), from, to, 1000
		if c.Limit == 0 {
			c.Limit = 10
		}
		cases = append(cases, c)
	}
	for _, p := range append(pool.popular[:5], pool.longTail[:2]...) {
		pk := []string{p}
		add(gtCase{Type: "breakdown", Dimension: "installer_type", Packages: pk, Limit: 40, LimitSet: true})
		add(gtCase{Type: "breakdown", Dimension: "type", Packages: pk, F: gtFilters{Installers: []string{"pip"}}})
		add(gtCase{Type: "breakdown", Dimension: "installer", Packages: pk, F: gtFilters{Types: []string{"sdist"}}})
		add(gtCase{Type: "timeseries", Breakdown: "type", Packages: pk, Gran: "week", F: gtFilters{ExcludeMirrors: true}, LimitSet: true})
		add(gtCase{Type: "timeseries", Packages: pk, Gran: "day", F: gtFilters{Types: []string{"sdist"}, Installers: []string{"pip"}}})
		add(gtCase{Type: "summary", Packages: pk, F: gtFilters{Types: []string{"bdist_wheel"}, ExcludeMirrors: true}})
		add(gtCase{Type: "breakdown", Dimension: "installer", Packages: pk})
	}
	add(gtCase{Type: "top_packages", F: gtFilters{Types: []string{"sdist"}, ExcludeMirrors: true}, Limit: 20, LimitSet: true})
	add(gtCase{Type: "totals", F: gtFilters{Types: []string{"bdist_wheel"}, Installers: []string{"pip", "uv"}}})
	// And the randomized draw, on this database.
	for _, c := range pool.generate(rng, 200) {
		c.ID = len(cases)
		cases = append(cases, c)
	}
	splitsType := func(c gtCase) bool {
		return len(c.F.Types) > 0 || c.Breakdown == "type" || c.Dimension == "type" || c.Dimension == "installer_type"
	}
	gtRunCases(t, ctx, ds, m, cases, nil, func(d *gtDiffs, c gtCase, f *data.Frame) {
		table, why := gtSourceTable(f)
		if splitsType(c) && table == schema.PerDayByVersionByInstallerByType {
			d.add("split or filtered by type from the merged %s (%s)", table, why)
		}
		// Where the merged table would have held every column needed, the
		// reason says it was passed over.
		within := len(c.F.Countries)+len(c.F.PythonMinors)+len(c.F.Systems) == 0 &&
			!slices.Contains([]string{"system", "python_minor", "country_code"}, c.Breakdown+c.Dimension)
		if within && splitsType(c) && (len(c.F.Installers) > 0 || c.F.ExcludeMirrors || c.Dimension == "installer_type" || c.Breakdown == "installer") &&
			!strings.Contains(why, "not "+schema.PerDayByVersionByInstallerByType) {
			d.add("reason %q does not say the merged table was passed over", why)
		}
		if c.Type == "breakdown" && c.Dimension == "installer" && len(c.F.Types) == 0 && len(c.F.Countries) == 0 &&
			len(c.F.PythonMinors) == 0 && len(c.F.Systems) == 0 && table != schema.PerDayByVersionByInstallerByType {
			d.add("an installer split without types reads %s, not the merged table that still answers it", table)
		}
	})
}

// A database whose daily table holds more rows than the by-version one
// (rows unmerged, as after many small inserts): counts by day read the
// by-version table, with the raw table's counts.
func TestGroundTruthRowsChoice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	db := shared.srv.Database + "_rows"
	gtCopyDatabase(t, ctx, db, schema.Options{}, 0)
	perDay := db + "." + schema.PerDay
	mustT(t, shared.conn.Exec(ctx, "TRUNCATE TABLE "+perDay))
	// One row per download, summed only by readers: right counts, many rows.
	mustT(t, shared.conn.Exec(ctx, "INSERT INTO "+perDay+" (date, project, count) SELECT date, project, 1 FROM "+db+".pypi SETTINGS optimize_on_insert = 0"))
	var dayRows, versionRows uint64
	rowsOf := func(table string) uint64 {
		var n uint64
		mustT(t, shared.conn.QueryRow(ctx, "SELECT toUInt64(sum(rows)) FROM system.parts WHERE database = @db AND table = @t AND active",
			clickhouse.Named("db", db), clickhouse.Named("t", table)).Scan(&n))
		return n
	}
	dayRows, versionRows = rowsOf(schema.PerDay), rowsOf(schema.PerDayByVersion)
	if dayRows <= versionRows {
		t.Fatalf("%s holds %d rows, %s %d: the database does not have the shape under test", schema.PerDay, dayRows, schema.PerDayByVersion, versionRows)
	}
	ds := dataSourceFor(shared.srv, "groundtruth-rows", db)
	ds.Updated = time.Now()
	m := gtMode{name: "rows", db: db}
	var err error
	m.globalEnd, err = gtGlobalEnd(ctx, db)
	mustT(t, err)
	m.projects, err = gtProjects(ctx, db)
	mustT(t, err)
	m.countries, err = gtCountryNames(ctx, db)
	mustT(t, err)
	rng := rand.New(rand.NewPCG(gtSeed+14, gtSeed^0x4321))
	pool, err := gtLoadPool(ctx, shared.srv.Database, rng)
	mustT(t, err)
	from, to := shared.cfg.EndDate().AddDate(0, 0, -60), shared.cfg.EndDate().Add(20*time.Hour)
	var cases []gtCase
	for _, pkgs := range [][]string{nil, pool.popular[:1], pool.popular[2:4], pool.longTail[:1]} {
		for _, g := range []string{"day", "week"} {
			cases = append(cases, gtCase{ID: len(cases), Type: "timeseries", Packages: pkgs, Gran: g, Limit: 10, From: from, To: to, MaxDP: 1000})
		}
		if len(pkgs) > 0 {
			cases = append(cases, gtCase{ID: len(cases), Type: "summary", Packages: pkgs, Limit: 10, From: from, To: to, MaxDP: 1000})
		}
		cases = append(cases, gtCase{ID: len(cases), Type: "totals", Packages: pkgs, Limit: 10, From: from, To: to, MaxDP: 1000})
	}
	gtRunCases(t, ctx, ds, m, cases, nil, func(d *gtDiffs, c gtCase, f *data.Frame) {
		table, why := gtSourceTable(f)
		if table == schema.PerDay {
			d.add("read %s (%d rows) though %s holds %d (%s)", table, dayRows, schema.PerDayByVersion, versionRows, why)
		}
		if table == schema.PerDayByVersion && !strings.Contains(why, fmt.Sprintf("fewest live rows (%d)", versionRows)) {
			d.add("reason %q does not give the rows", why)
		}
	})
	if !slices.ContainsFunc(cases, func(c gtCase) bool { return c.Type == "timeseries" }) {
		t.Fatal("no time series case")
	}
}
