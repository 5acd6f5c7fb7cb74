package sqlbuild_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// engine is a running ClickHouse with the test sample, for one test.
type engine struct {
	conn  driver.Conn
	db    string
	cat   *catalog.Catalog
	cfg   sample.Config
	truth sample.Truth
}

// TestAgainstEngine runs the built SQL on the real engine (clickpy-local,
// or the server named by chtest.EnvURL) and checks the answers against the
// sample's known shapes.
func TestAgainstEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	const seed = 3
	srv, conn := chtest.StartTB(t, chtest.Config{Sample: "test", Seed: seed, Database: "clickpy_test_sqlbuild"})
	cat, err := catalog.Read(ctx, conn, srv.Database)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sample.Config{Seed: seed, End: sample.DefaultEnd(), Size: sample.SizeTest}
	truth, err := sample.Expect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &engine{conn: conn, db: srv.Database, cat: cat, cfg: cfg, truth: truth}
	t.Run("catalogue", e.testCatalogue)
	t.Run("params round-trip", e.testRoundTrip)
	t.Run("primary key", e.testPrimaryKey)
	t.Run("every case runs", e.testCases)
	t.Run("emerging and needing refresh", e.testDiscovery)
	t.Run("hot", e.testHot)
	t.Run("counts agree", e.testCounts)
	t.Run("dependencies", e.testDependencies)
	t.Run("drop day", e.testDrop)
	t.Run("runnable sql", e.testRunnable)
	t.Run("ranking", e.testRanking)
	t.Run("version order", e.testVersionOrder)
	t.Run("details", e.testDetails)
	t.Run("series of quiet packages", e.testSeriesOfQuietPackages)
	t.Run("github", e.testGitHub)
	t.Run("grids", e.testGrids)
}

// without is the catalogue with some tables treated as missing.
func without(c *catalog.Catalog, drop ...string) *catalog.Catalog {
	out := *c
	out.Sources, out.Present = nil, nil
	for _, s := range c.Sources {
		if !slices.Contains(drop, s.Table) {
			out.Sources = append(out.Sources, s)
		}
	}
	for _, p := range c.Present {
		if !slices.Contains(drop, p) {
			out.Present = append(out.Present, p)
		}
	}
	return &out
}

// request is a query on the last days of the sample.
func (e *engine) request(t *testing.T, query string, days int) sqlbuild.Request {
	t.Helper()
	q, err := querymodel.Parse([]byte(query), "")
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	end := e.truth.End
	return sqlbuild.Request{Query: q, From: end.AddDate(0, 0, -(days - 1)).Add(9 * time.Hour), To: end.Add(20 * time.Hour),
		MaxDataPoints: 1000, Database: e.db, Catalog: e.cat}
}

// run builds, runs and converts one request.
func (e *engine) run(t *testing.T, req sqlbuild.Request) (sqlbuild.Statement, *frames.Result, *data.Frame) {
	t.Helper()
	st, err := sqlbuild.Build(req)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(st.Params))
	rows, err := e.conn.Query(ctx, st.SQL)
	if err != nil {
		t.Fatalf("%v\n%s", err, st.SQL)
	}
	defer rows.Close()
	res, err := frames.Read(context.Background(), rows, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := frames.Convert(st, res)
	if err != nil {
		t.Fatal(err)
	}
	return st, res, f
}

// strs reads a string column of a result.
func strs(t *testing.T, res *frames.Result, name string) []string {
	t.Helper()
	var out []string
	for _, row := range res.Rows {
		out = append(out, column(t, res, row, name).(string))
	}
	return out
}

func column(t *testing.T, res *frames.Result, row []any, name string) any {
	t.Helper()
	for i, c := range res.Columns {
		if c.Name == name {
			return row[i]
		}
	}
	t.Fatalf("no column %s", name)
	return nil
}

func num(t *testing.T, res *frames.Result, row []any, name string) int64 {
	t.Helper()
	switch v := column(t, res, row, name).(type) {
	case int64:
		return v
	case uint64:
		return int64(v)
	}
	t.Fatalf("column %s is not a count", name)
	return 0
}

func (e *engine) testRoundTrip(t *testing.T) {
	vals := append(hostileStrings(), "", `\`, `'`, strings.Repeat("ملف🙂\\'\n", 400))
	var all []string
	for _, v := range vals {
		var arr []string
		var s string
		params := clickhouse.Parameters{"a": sqlbuild.ArrayLiteral([]string{v, "x"}), "s": sqlbuild.EscapeText(v)}
		ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(params))
		if err := e.conn.QueryRow(ctx, "SELECT {a:Array(String)}, {s:String}").Scan(&arr, &s); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if len(arr) != 2 || arr[0] != v || s != v {
			t.Errorf("%q came back as %q and %q", v, arr, s)
		}
		all = append(all, v)
	}
	// The whole list at once, as packages filters send it.
	var arr []string
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(clickhouse.Parameters{"a": sqlbuild.ArrayLiteral(all)}))
	if err := e.conn.QueryRow(ctx, "SELECT {a:Array(String)}").Scan(&arr); err != nil || !slices.Equal(arr, all) {
		t.Errorf("list came back as %q (%v)", arr, err)
	}
	// Hostile filters run and match nothing.
	for _, q := range hostileQueries(hostileStrings()[:9]) {
		if q.Type == querymodel.SQL {
			continue
		}
		req := e.request(t, `{}`, 30)
		req.Query = q
		_, res, _ := e.run(t, req)
		if q.Type == querymodel.Totals || q.Type == querymodel.Details || q.Type == querymodel.VariableQuery {
			continue // one row of zeros or nulls, or lists that ignore filters
		}
		if len(res.Rows) > 0 && q.Type != querymodel.TimeSeries {
			t.Errorf("%s with hostile filters returned %d rows", q.Type, len(res.Rows))
		}
	}
}

// testPrimaryKey checks that a package filter narrows the read through the
// sorting key rather than scanning.
func (e *engine) testPrimaryKey(t *testing.T) {
	st, err := sqlbuild.Build(e.request(t, `{"queryType":"timeseries","packages":["requests","numpy"]}`, 30))
	if err != nil {
		t.Fatal(err)
	}
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(st.Params))
	rows, err := e.conn.Query(ctx, "EXPLAIN indexes = 1 "+st.SQL)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	p := strings.ToLower(plan.String())
	if !strings.Contains(p, "primarykey") || !strings.Contains(p, "project in") {
		t.Errorf("the package filter does not use the primary key:\n%s", plan.String())
	}
}

func (e *engine) testCases(t *testing.T) {
	for _, c := range buildCases() {
		t.Run(c.name, func(t *testing.T) {
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
			_, res, f := e.run(t, req)
			// Cases with their own range are dated for the golden files,
			// before the sample's data.
			if len(res.Rows) == 0 && c.from.IsZero() && !strings.HasPrefix(c.name, "hot_") && c.name != "breakdown_version_filtered" {
				t.Errorf("no rows")
			}
			if f.Meta == nil || f.Meta.ExecutedQueryString == "" {
				t.Error("frame lacks the executed query")
			}
		})
	}
}

func (e *engine) testDiscovery(t *testing.T) {
	_, res, _ := e.run(t, e.request(t, `{"queryType":"emerging","limit":100}`, 30))
	var want []string
	for _, p := range e.truth.Emerging {
		want = append(want, p.Name)
	}
	got := strs(t, res, "package")
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("emerging %q, want %q", got, want)
	}
	req := e.request(t, `{"queryType":"emerging","limit":100}`, 30)
	req.Catalog = without(e.cat, schema.MaxMinDates)
	_, res2, _ := e.run(t, req)
	if !slices.Equal(strs(t, res, "package"), strs(t, res2, "package")) {
		t.Errorf("emerging from the per-day table differs: %q", strs(t, res2, "package"))
	}
	_, res, _ = e.run(t, e.request(t, `{"queryType":"needing_refresh","limit":1000}`, 30))
	got = strs(t, res, "package")
	for _, p := range e.truth.Refresh {
		if !slices.Contains(got, p.Name) {
			t.Errorf("needing_refresh lacks %s: %q", p.Name, got)
		}
	}
}

// testHot compares the hot list with month totals read straight from the
// raw table.
func (e *engine) testHot(t *testing.T) {
	const floor = 20
	check := func(t *testing.T, req sqlbuild.Request) {
		st, res, _ := e.run(t, req)
		if len(res.Rows) == 0 {
			t.Fatalf("no hot packages at %d downloads (source %s)", floor, st.Source.Table)
		}
		month := column(t, res, res.Rows[0], "month").(time.Time)
		raw := fmt.Sprintf(`SELECT project, countIf(toStartOfMonth(date) = {m:Date}) AS d, countIf(toStartOfMonth(date) = {m:Date} - INTERVAL 1 MONTH) AS p
FROM %s.pypi GROUP BY project HAVING d >= %d AND p > 0 ORDER BY d / p DESC, project LIMIT 1`, e.db, floor)
		ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(clickhouse.Parameters{"m": month.Format(time.DateOnly)}))
		var top string
		var d, p uint64
		if err := e.conn.QueryRow(ctx, raw).Scan(&top, &d, &p); err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0].(string); got != top {
			t.Errorf("hot from %s starts with %s, the raw table says %s (%d after %d)", st.Source.Table, got, top, d, p)
		}
		growth := column(t, res, res.Rows[0], "growth").(float64)
		if math.Abs(growth-(float64(d)/float64(p)-1)) > 1e-9 {
			t.Errorf("growth %v, raw %d/%d", growth, d, p)
		}
	}
	q := fmt.Sprintf(`{"queryType":"hot","minDownloads":%d}`, floor)
	t.Run("per month", func(t *testing.T) { check(t, e.request(t, q, 30)) })
	t.Run("per day", func(t *testing.T) {
		req := e.request(t, q, 30)
		req.Catalog = without(e.cat, schema.PerMonth)
		check(t, req)
	})
}

// testCounts checks that queries answering the same question agree.
func (e *engine) testCounts(t *testing.T) {
	_, top, _ := e.run(t, e.request(t, `{"queryType":"top_packages","limit":3}`, 60))
	pkg := top.Rows[0][0].(string)
	want := num(t, top, top.Rows[0], "downloads")

	_, _, ts := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"timeseries","packages":[%q],"granularity":"week"}`, pkg), 60))
	var sum int64
	for i := 0; i < ts.Fields[1].Len(); i++ {
		sum += ts.Fields[1].At(i).(int64)
	}
	if sum != want {
		t.Errorf("weekly series of %s sums to %d, top_packages says %d", pkg, sum, want)
	}
	_, bd, _ := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"breakdown","dimension":"country_code","packages":[%q],"limit":3}`, pkg), 60))
	sum = 0
	share := 0.0
	for _, row := range bd.Rows {
		sum += num(t, bd, row, "downloads")
		share += column(t, bd, row, "share").(float64)
	}
	if sum != want || math.Abs(share-1) > 1e-9 || len(bd.Rows) != 4 || bd.Rows[3][0] != "other" {
		t.Errorf("country breakdown: %d downloads in %d rows (share %v), want %d in top 3 and other", sum, len(bd.Rows), share, want)
	}
	_, sm, _ := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"summary","packages":[%q]}`, pkg), 60))
	if len(sm.Rows) != 1 || num(t, sm, sm.Rows[0], "total") != want {
		t.Errorf("summary %v, want total %d", sm.Rows, want)
	}
	if last := column(t, sm, sm.Rows[0], "last_date").(time.Time); !sqlbuild.Day(last).Equal(e.truth.End) {
		t.Errorf("summary's last date %s, want %s", last, e.truth.End)
	}
	_, rk, _ := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"ranking","packages":[%q]}`, pkg), 60))
	if len(rk.Rows) != 1 || num(t, rk, rk.Rows[0], "rank") != 1 {
		t.Errorf("ranking of the top package: %v", rk.Rows)
	}
	// The raw table gives the same series as the summary that answered.
	req := e.request(t, fmt.Sprintf(`{"queryType":"timeseries","packages":[%q],"breakdown":"version","limit":2}`, pkg), 60)
	_, _, fromView := e.run(t, req)
	req.Catalog = without(e.cat, allSummaries()...)
	st, _, fromRaw := e.run(t, req)
	if !st.Source.Raw {
		t.Fatalf("source %s", st.Source.Table)
	}
	a, _ := fromView.StringTable(-1, -1)
	b, _ := fromRaw.StringTable(-1, -1)
	if a != b {
		t.Errorf("view and raw table disagree:\n%s\n%s", a, b)
	}
}

// testDependencies compares with the sample's requires_dist.
func (e *engine) testDependencies(t *testing.T) {
	latest := map[string]sample.ProjectRow{}
	for _, r := range sample.Projects(e.cfg) {
		if old, ok := latest[r.Name]; !ok || r.UploadTime.After(old.UploadTime) {
			latest[r.Name] = r
		}
	}
	for _, pkg := range []string{sample.HotPackage, sample.DropPackage, "requests", "pandas"} {
		want := map[string]bool{}
		for _, req := range latest[pkg].RequiresDist {
			want[sample.RequirementName(req)] = true
		}
		_, res, _ := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"dependencies","packages":[%q],"limit":1000}`, pkg), 30))
		got := strs(t, res, "package")
		if len(got) != len(want) {
			t.Errorf("%s: dependencies %q, want %v", pkg, got, want)
		}
		for _, g := range got {
			if !want[g] {
				t.Errorf("%s: %s is not a dependency", pkg, g)
			}
		}
	}
	_, res, _ := e.run(t, e.request(t, `{"queryType":"dependents","packages":["numpy"],"limit":1000}`, 30))
	got := strs(t, res, "package")
	for _, g := range got {
		found := false
		for _, req := range latest[g].RequiresDist {
			found = found || sample.RequirementName(req) == "numpy"
		}
		if !found {
			t.Errorf("%s does not require numpy", g)
		}
	}
	if !slices.Contains(got, sample.HotPackage) {
		t.Errorf("dependents of numpy lack %s: %q", sample.HotPackage, got)
	}
	// The variable's options are the table's packages in the table's order,
	// cut at its limit.
	if len(got) <= 3 {
		t.Fatalf("numpy has %d dependents: too few to cut at a limit of 3", len(got))
	}
	for _, limit := range []int{1000, 3} {
		_, res, _ = e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"variable","variable":"dependents","packages":["numpy"],"limit":%d}`, limit), 30))
		opts := strs(t, res, "__value")
		want := got[:min(limit, len(got))]
		if !slices.Equal(opts, want) {
			t.Errorf("dependents variable (limit %d) lists %q, the dependents query %q", limit, opts, want)
		}
	}
}

// testDrop checks the daily series an alert on the drop package would see.
func (e *engine) testDrop(t *testing.T) {
	_, _, f := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"timeseries","packages":[%q],"granularity":"day"}`, e.truth.Drop), 30))
	times := f.Fields[0]
	if got := times.At(times.Len() - 1).(time.Time); !got.Equal(e.truth.End) {
		t.Fatalf("last bucket %s, want the last day with data %s", got, e.truth.End)
	}
	var before []int64
	for i := 0; i < times.Len(); i++ {
		d := times.At(i).(time.Time)
		v := f.Fields[1].At(i).(int64)
		switch {
		case d.Before(e.truth.DropDay) && !d.Before(e.truth.DropDay.AddDate(0, 0, -7)):
			before = append(before, v)
		case d.Equal(e.truth.DropDay):
			var mean float64
			for _, b := range before {
				mean += float64(b) / float64(len(before))
			}
			if float64(v) > 0.3*mean {
				t.Errorf("drop day %s: %d downloads after a mean of %.1f", d.Format(time.DateOnly), v, mean)
			}
		}
	}
}

// testCatalogue checks what catalog.Read and ReadSpans found against the
// raw table and system.parts.
func (e *engine) testCatalogue(t *testing.T) {
	ctx := context.Background()
	var first, last time.Time
	if err := e.conn.QueryRow(ctx, "SELECT min(date), max(date) FROM "+e.db+".pypi").Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if !e.cat.DataKnown || !e.cat.Data.First.Equal(first.UTC()) || !e.cat.Data.Last.Equal(last.UTC()) || e.cat.DataFrom != schema.MaxMinDates {
		t.Errorf("data span %+v known %v from %s, raw %s to %s", e.cat.Data, e.cat.DataKnown, e.cat.DataFrom, first, last)
	}
	if !e.cat.RowCounts {
		t.Error("row counts unread")
	}
	for i, s := range e.cat.Sources {
		var n uint64
		if err := e.conn.QueryRow(ctx, "SELECT count() FROM "+e.db+"."+s.Table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if !s.RowsKnown || s.Rows != n {
			t.Errorf("%s: %d rows known %v, count() says %d", s.Table, s.Rows, s.RowsKnown, n)
		}
		if i > 0 && !s.Raw && s.Rows < e.cat.Sources[i-1].Rows {
			t.Errorf("%s (%d rows) comes after %s (%d)", s.Table, s.Rows, e.cat.Sources[i-1].Table, e.cat.Sources[i-1].Rows)
		}
		if len(s.Merged) > 0 {
			t.Errorf("%s merges %v in this schema", s.Table, s.Merged)
		}
	}
	if last := e.cat.Sources[len(e.cat.Sources)-1]; !last.Raw {
		t.Errorf("the raw table is not last: %s", last.Table)
	}
	pkgs := []string{"requests", sample.DropPackage, "no-such-package"}
	for _, cat := range []*catalog.Catalog{e.cat, without(e.cat, schema.MaxMinDates)} {
		spans, err := cat.ReadSpans(ctx, e.conn, pkgs)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			var f, l *time.Time
			q := "SELECT minOrNull(date), maxOrNull(date) FROM " + e.db + ".pypi WHERE project = {p:String}"
			pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"p": p}))
			if err := e.conn.QueryRow(pctx, q).Scan(&f, &l); err != nil {
				t.Fatal(err)
			}
			got, ok := spans[p]
			if !ok || (f == nil) != got.Empty() || f != nil && (!got.First.Equal(f.UTC()) || !got.Last.Equal(l.UTC())) {
				t.Errorf("%s (max_min %v): span %+v, raw %v to %v", p, cat.Has(schema.MaxMinDates), got, f, l)
			}
		}
	}
}
