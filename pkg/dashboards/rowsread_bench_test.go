package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// rowsReadGoal is how many times fewer rows the overview and package
// dashboards must read than the raw plan on the bench set.
const rowsReadGoal = 50

// BenchmarkRowsRead runs every panel (and variable) of the three
// dashboards, with the variables at sample values and at All, and reports
// per panel the table the plugin chose, the rows its SQL read, the rows
// the same query reads from the best single covering summary (each forced
// in turn), and the rows it reads with only the raw table: ClickHouse's
// own read statistics (FORMAT JSON), for the same SQL and parameters the
// plugin sends. The demo set by default (.data/bench-demo);
// CLICKPY_BENCH_SET=bench uses the 50M-row bench set in .data/bench-bench.
// Tables are merged first (OPTIMIZE FINAL, once), so the figures do not
// drift with background merges.
//
// Goals: no panel reads more rows than its best single covering table
// does, and on the bench set the overview and package dashboards together
// read at least rowsReadGoal times fewer rows than the raw plan.
func BenchmarkRowsRead(b *testing.B) {
	set := "demo"
	cfg := chtest.DemoConfig("clickpy_bench_demo")
	if os.Getenv("CLICKPY_BENCH_SET") == "bench" {
		set = "bench"
		cfg = chtest.Config{Sample: "bench", Seed: 1, Database: "clickpy_bench_bench", DataDir: filepath.Join(".data", "bench-bench")}
	}
	srv, conn := chtest.StartTB(b, cfg)
	if srv.Options.Protocol != clickhouse.HTTP {
		b.Fatalf("rows read come from ClickHouse's FORMAT JSON statistics over HTTP; set %s to an http:// or https:// DSN", chtest.EnvURL)
	}
	ctx := context.Background()
	mergeParts(b, conn, srv.Database)
	var last time.Time
	if err := conn.QueryRow(ctx, "SELECT max(date) FROM "+srv.Database+".pypi").Scan(&last); err != nil {
		b.Fatal(err)
	}
	// As on ClickPy, the dashboards are looked at the morning after the
	// last loaded day.
	now := last.UTC().Add(33 * time.Hour)
	m := &rowsMeter{inst: newBenchInstance(b, srv), reader: newRowsReader(srv), sizes: tableSizes(b, conn, srv.Database), looked: map[string]bool{}}
	var all []panelRows
	for i := 0; i < b.N; i++ {
		all = all[:0]
		clear(m.looked)
		for _, d := range committedDashboards(b) {
			all = append(all, m.dashboard(b, d, now)...)
		}
	}
	b.StopTimer()
	report(b, set, all)
}

// panelRows is one panel's (or variable's) figures.
type panelRows struct {
	dashboard, mode, panel string
	tables                 []string
	reasons                []string
	plugin, best, raw      uint64
	// lookup are the rows read for the packages' first and last days, the
	// first time a panel asks for those packages.
	lookup uint64
	// smallest are the covering tables holding the fewest rows, one per
	// target, and smallestRows the rows they hold (with those of projects
	// and countries when read): what a panel must not read more than.
	smallest     []string
	smallestRows uint64
	// bestTable is the single covering summary that read best; empty when
	// the query counts no downloads from a summary.
	bestTable string
	// noRaw marks a panel with no raw plan (its own SQL).
	noRaw bool
}

type rowsMeter struct {
	inst   *datasource.Instance
	reader *rowsReader
	sizes  map[string]uint64
	// looked are the package lists whose days were read: the instance
	// keeps them with the catalogue, so each is read once.
	looked map[string]bool
}

func newBenchInstance(b *testing.B, srv *chtest.Server) *datasource.Instance {
	host, portText, _ := strings.Cut(srv.Options.Addr[0], ":")
	port, err := strconv.Atoi(portText)
	if err != nil {
		b.Fatalf("server address %s: %v", srv.Options.Addr[0], err)
	}
	jd, _ := json.Marshal(map[string]any{
		"host": host, "port": port, "protocol": "http", "secure": srv.Options.TLS != nil,
		"username": srv.Options.Auth.Username, "database": srv.Database, "queryTimeout": "10m", "cacheTTL": "0s",
	})
	inst, err := datasource.NewInstance(context.Background(), backend.DataSourceInstanceSettings{
		UID: "clickpy", JSONData: jd, DecryptedSecureJSONData: map[string]string{"password": srv.Options.Auth.Password},
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(inst.Dispose)
	return inst
}

// query answers targets with the in-process instance, as the plugin does.
func (m *rowsMeter) query(t testing.TB, targets []map[string]any, from, to time.Time) *backend.QueryDataResponse {
	t.Helper()
	var qs []backend.DataQuery
	for _, tg := range targets {
		q, err := dataQuery(tg, from, to)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	resp, err := m.inst.QueryData(context.Background(), &backend.QueryDataRequest{Queries: qs})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (m *rowsMeter) dashboard(b *testing.B, d dashJSON, now time.Time) []panelRows {
	from, err := relTime(d.Time.From, now)
	if err != nil {
		b.Fatal(err)
	}
	to, err := relTime(d.Time.To, now)
	if err != nil {
		b.Fatal(err)
	}
	modes := []bool{false}
	if slices.ContainsFunc(d.Templating.List, func(v variableJSON) bool { return v.IncludeAll }) {
		modes = append(modes, true)
	}
	var out []panelRows
	for _, all := range modes {
		mode := "samples"
		if all {
			mode = "All"
		}
		s := resolveVariables(b, m.query, d, from, to, all)
		for _, v := range d.Templating.List {
			if v.model() == nil {
				continue // a custom variable reads nothing
			}
			r := m.targets(b, []map[string]any{s.interpolate(v.model())}, from, to)
			r.dashboard, r.mode, r.panel = d.Title, mode, "variable $"+v.Name
			out = append(out, r)
		}
		for _, p := range allPanels(d.Panels) {
			if len(p.Targets) == 0 {
				continue
			}
			for _, ps := range repeated(p, s) {
				var targets []map[string]any
				for _, tg := range p.Targets {
					targets = append(targets, ps.interpolate(tg))
				}
				r := m.targets(b, targets, from, to)
				r.dashboard, r.mode, r.panel = d.Title, mode, p.Title
				if p.Repeat != "" {
					r.panel += " (" + strings.Join(ps[p.Repeat].values, ",") + ")"
				}
				out = append(out, r)
			}
		}
	}
	return out
}

// targets measures one panel's targets, summed.
func (m *rowsMeter) targets(b *testing.B, targets []map[string]any, from, to time.Time) panelRows {
	b.Helper()
	ctx := context.Background()
	var r panelRows
	for _, tg := range targets {
		tg["refId"] = "A"
		dq, err := dataQuery(tg, from, to)
		if err != nil {
			b.Fatal(err)
		}
		req, err := m.inst.BuildRequest(ctx, dq)
		if err != nil {
			b.Fatalf("%s: %v", mustJSON(tg), err)
		}
		st, err := sqlbuild.Build(req)
		if err != nil {
			b.Fatalf("%s: %v", mustJSON(tg), err)
		}
		m.checkSameSQL(b, dq, st)
		r.plugin += m.reader.rows(b, st)
		r.tables = append(r.tables, st.Source.Table)
		r.reasons = append(r.reasons, st.Reason)
		if pkgs := sqlbuild.SpanPackages(req); len(pkgs) > 0 {
			key := strings.Join(pkgs, ",")
			if !m.looked[key] {
				m.looked[key] = true
				sql, params, err := req.Catalog.SpansStatement(pkgs)
				if err != nil {
					b.Fatal(err)
				}
				r.lookup += m.reader.rows(b, sqlbuild.Statement{SQL: sql, Params: params})
			}
		}

		// A panel's own SQL names the summaries' count column, which the
		// raw table lacks: it has no raw plan.
		if st.Shape.Kind == sqlbuild.KindUserSQL {
			r.noRaw = true
		} else {
			raw := req
			raw.Catalog = rawOnly(req.Catalog)
			rawSt, err := sqlbuild.Build(raw)
			if err != nil {
				b.Fatalf("raw plan of %s: %v", mustJSON(tg), err)
			}
			r.raw += m.reader.rows(b, rawSt)
		}

		alt := m.alternatives(b, req, st)
		r.best += alt.best
		if alt.table != "" {
			r.bestTable = alt.table
		}
		if alt.smallest != "" {
			r.smallest = append(r.smallest, alt.smallest)
			r.smallestRows += alt.smallestRows + m.otherTables(st)
		}
	}
	return r
}

// checkSameSQL makes sure the statement measured is the one the instance
// runs for the query.
func (m *rowsMeter) checkSameSQL(b *testing.B, dq backend.DataQuery, st sqlbuild.Statement) {
	b.Helper()
	resp, err := m.inst.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{dq}})
	if err != nil {
		b.Fatal(err)
	}
	r := resp.Responses[dq.RefID]
	if r.Error != nil {
		b.Fatalf("%s: %v", dq.JSON, r.Error)
	}
	if len(r.Frames) == 0 || r.Frames[0].Meta == nil || r.Frames[0].Meta.ExecutedQueryString != st.Runnable() {
		b.Fatalf("%s: the instance ran other SQL than the statement measured", dq.JSON)
	}
}

// alternative is what the query reads when its counts must come from one
// covering table.
type alternative struct {
	// best is the fewest rows read by the query with its counts forced
	// onto one covering summary, each tried in turn, and table that
	// summary; the plugin's own figures when no summary can answer.
	best  uint64
	table string
	// smallest is the covering table holding the fewest rows (the raw
	// table when no summary covers), and smallestRows its row count.
	smallest     string
	smallestRows uint64
}

func (m *rowsMeter) alternatives(b *testing.B, req sqlbuild.Request, chosen sqlbuild.Statement) alternative {
	b.Helper()
	if chosen.Source.Table == "" {
		return alternative{best: m.reader.rows(b, chosen)}
	}
	var a alternative
	for _, s := range req.Catalog.Sources {
		alt := req
		alt.Catalog = onlySource(req.Catalog, s)
		st, err := sqlbuild.Build(alt)
		if err != nil || st.Source.Table != s.Table {
			continue
		}
		if size := m.sizes[s.Table]; a.smallest == "" || size < a.smallestRows {
			a.smallest, a.smallestRows = s.Table, size
		}
		if s.Raw {
			continue
		}
		if n := m.reader.rows(b, st); a.table == "" || n < a.best {
			a.best, a.table = n, s.Table
		}
	}
	if a.table == "" {
		a.best, a.table = m.reader.rows(b, chosen), chosen.Source.Table
	}
	if a.smallest == "" {
		a.smallest, a.smallestRows = chosen.Source.Table, m.sizes[chosen.Source.Table]
	}
	return a
}

// tableRE finds the tables a statement reads.
var tableRE = regexp.MustCompile(`(?:FROM|JOIN)\s+[A-Za-z0-9_]+\.([A-Za-z0-9_]+)`)

// otherTables are the rows of the tables besides download counts that a
// statement reads whole (projects, countries): a panel may read them on
// top of its count.
func (m *rowsMeter) otherTables(st sqlbuild.Statement) uint64 {
	var n uint64
	seen := map[string]bool{}
	for _, match := range tableRE.FindAllStringSubmatch(st.SQL, -1) {
		t := match[1]
		if (t == schema.ProjectsTable || t == schema.CountriesTable) && !seen[t] {
			seen[t] = true
			n += m.sizes[t]
		}
	}
	return n
}

// mergeParts merges each table's parts (once: merged tables are skipped),
// so rows read do not depend on how far the server's background merges
// got since the load: a granule read per part adds up on unmerged tables.
func mergeParts(b *testing.B, conn driver.Conn, db string) {
	rows, err := conn.Query(context.Background(), "SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree'",
		clickhouse.Named("db", db))
	if err != nil {
		b.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			b.Fatal(err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if err := conn.Exec(context.Background(), "OPTIMIZE TABLE "+db+"."+t+" FINAL SETTINGS optimize_skip_merged_partitions = 1"); err != nil {
			b.Fatalf("merging %s: %v", t, err)
		}
	}
}

// tableSizes reads each table's live rows (its active parts).
func tableSizes(b *testing.B, conn driver.Conn, db string) map[string]uint64 {
	rows, err := conn.Query(context.Background(), "SELECT table, sum(rows) FROM system.parts WHERE database = {db:String} AND active GROUP BY table",
		clickhouse.Named("db", db))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var t string
		var n uint64
		if err := rows.Scan(&t, &n); err != nil {
			b.Fatal(err)
		}
		out[t] = n
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// rawOnly is the catalogue with every summary gone: the plan a database
// holding only the raw table (and projects, countries) gets.
func rawOnly(c *catalog.Catalog) *catalog.Catalog {
	out := *c
	summaries := map[string]bool{}
	for _, s := range schema.Summaries() {
		summaries[s.Table] = true
	}
	out.Sources = slices.DeleteFunc(slices.Clone(c.Sources), func(s catalog.Source) bool { return !s.Raw })
	out.Present = slices.DeleteFunc(slices.Clone(c.Present), func(t string) bool { return summaries[t] })
	return &out
}

// onlySource is the catalogue whose counts can come from s alone; the
// other tables stay, so only the count's table changes.
func onlySource(c *catalog.Catalog, s catalog.Source) *catalog.Catalog {
	out := *c
	out.Sources = []catalog.Source{s}
	return &out
}

// rowsReader runs statements over ClickHouse's HTTP interface with FORMAT
// JSON and reads the server's rows_read statistic.
type rowsReader struct {
	base       string
	db         string
	user, pass string
	client     *http.Client
}

func newRowsReader(srv *chtest.Server) *rowsReader {
	scheme := "http"
	if srv.Options.TLS != nil {
		scheme = "https"
	}
	return &rowsReader{base: scheme + "://" + srv.Options.Addr[0] + "/", db: srv.Database,
		user: srv.Options.Auth.Username, pass: srv.Options.Auth.Password, client: &http.Client{Timeout: 10 * time.Minute}}
}

func (r *rowsReader) rows(b *testing.B, st sqlbuild.Statement) uint64 {
	b.Helper()
	v := url.Values{"database": {r.db}}
	for k, p := range st.Params {
		v.Set("param_"+k, p)
	}
	req, err := http.NewRequest(http.MethodPost, r.base+"?"+v.Encode(), strings.NewReader(st.SQL+"\nFORMAT JSON"))
	if err != nil {
		b.Fatal(err)
	}
	req.SetBasicAuth(r.user, r.pass)
	resp, err := r.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("HTTP %d: %s\n%s", resp.StatusCode, body, st.SQL)
	}
	var out struct {
		Statistics struct {
			RowsRead uint64 `json:"rows_read"`
		} `json:"statistics"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		b.Fatalf("reading statistics: %v", err)
	}
	return out.Statistics.RowsRead
}

// tally adds up rows read by the plugin (with its lookups) and by the raw
// plan.
type tally struct{ plugin, raw uint64 }

func (t *tally) add(r panelRows) { t.plugin, t.raw = t.plugin+r.plugin+r.lookup, t.raw+r.raw }

func (t tally) ratio() float64 { return float64(t.raw) / float64(max(t.plugin, 1)) }

func (t tally) String() string {
	return fmt.Sprintf("plugin %d rows, raw plan %d rows: %.1fx fewer", t.plugin, t.raw, t.ratio())
}

func report(b *testing.B, set string, rows []panelRows) {
	fmt.Printf("\nRows read per panel, %s set (plugin: the plugin's SQL; best: the best single covering summary; raw: only the raw table)\n\n", set)
	fmt.Println("| dashboard | variables | panel | table | plugin | span lookup | smallest covering table (its rows) | best single table | raw | raw/plugin |")
	fmt.Println("| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |")
	// The goal counts the overview's and package dashboard's panels; their
	// variables' queries are shown apart.
	byDashboard := map[string]*tally{}
	var panels, variables tally
	over := 0
	for _, r := range rows {
		ratio, rawText := "-", strconv.FormatUint(r.raw, 10)
		if r.noRaw {
			rawText = "n/a"
		} else if r.plugin > 0 {
			ratio = fmt.Sprintf("%.1f", float64(r.raw)/float64(r.plugin))
		}
		tables := strings.Join(slices.Compact(slices.Clone(r.tables)), ", ")
		smallest := "-"
		if len(r.smallest) > 0 {
			smallest = fmt.Sprintf("%s (%d)", strings.Join(slices.Compact(slices.Clone(r.smallest)), ", "), r.smallestRows)
		}
		best := strconv.FormatUint(r.best, 10)
		if r.best < r.plugin {
			best += " (" + r.bestTable + ")"
		}
		fmt.Printf("| %s | %s | %s | %s | %d | %d | %s | %s | %s | %s |\n", strings.TrimPrefix(r.dashboard, "ClickPy: "), r.mode, r.panel,
			tables, r.plugin, r.lookup, smallest, best, rawText, ratio)
		if len(r.smallest) > 0 && r.plugin > r.smallestRows {
			over++
			b.Errorf("%s / %s / %s reads %d rows (%s); the smallest table that can answer it, %s, holds %d",
				r.dashboard, r.mode, r.panel, r.plugin, tables, strings.Join(r.smallest, ", "), r.smallestRows)
		}
		if byDashboard[r.dashboard] == nil {
			byDashboard[r.dashboard] = &tally{}
		}
		variable := strings.HasPrefix(r.panel, "variable ")
		if !variable {
			byDashboard[r.dashboard].add(r)
		}
		if strings.Contains(r.dashboard, "compare") {
			continue
		}
		if variable {
			variables.add(r)
		} else {
			panels.add(r)
		}
	}
	fmt.Println()
	for _, d := range slices.Sorted(maps.Keys(byDashboard)) {
		fmt.Printf("%s panels: %s\n", d, byDashboard[d])
	}
	fmt.Printf("overview and package dashboards, panels: %s; their variables: %s; %d panels read more rows than the smallest table that can answer them holds\n",
		panels, variables, over)
	fmt.Println("\nWhy each table:")
	seen := map[string]bool{}
	for _, r := range rows {
		for _, why := range r.reasons {
			if why != "" && !seen[why] {
				seen[why] = true
				fmt.Printf("- %s / %s: %s\n", strings.TrimPrefix(r.dashboard, "ClickPy: "), r.panel, why)
			}
		}
	}
	b.ReportMetric(float64(panels.plugin), "plugin_rows")
	b.ReportMetric(float64(panels.raw), "raw_rows")
	b.ReportMetric(panels.ratio(), "raw/plugin")
	if set == "bench" && panels.ratio() < rowsReadGoal {
		b.Errorf("the overview and package dashboards' panels read %.1fx fewer rows than the raw plan; the goal is %dx", panels.ratio(), rowsReadGoal)
	}
}
