package exporter

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/prometheus/common/promslog"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// integrationConfig tracks the designated sample packages, one that does
// not exist, the top 5, and every breakdown with a small cap so "other"
// is exercised.
func integrationConfig(db string, excludeMirrors bool) Config {
	c := DefaultConfig()
	c.Database = db
	c.Packages = []string{sample.DropPackage, sample.HotPackage, "no-such-package"}
	c.TopPackages = 5
	c.ExcludeMirrors = excludeMirrors
	c.Breakdowns = []Breakdown{
		{Version, 3, "other"}, {CountryCode, 4, "other"}, {PythonMinor, 2, "rest"},
		{Installer, 3, "other"}, {System, 2, "other"}, {FileType, 1, "other"},
	}
	return c
}

// The loader's snapshot against count() over the raw table, with SQL
// written here rather than taken from the package, on the summaries, on a
// database holding only the raw table, and on an empty one.
func TestLoaderMatchesRawCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: starts ClickHouse and loads the test set")
	}
	ctx := context.Background()
	demo := &chtest.DemoUser{Name: "clickpy_test_exporter_demo", Password: "demo",
		Settings: [][2]string{{"max_rows_to_read", "1000000"}, {"read_overflow_mode", "break"}}}
	srv, conn := chtest.StartTB(t, chtest.Config{Sample: "test", Seed: 11, Database: "clickpy_test_exporter", DemoUser: demo})
	db := srv.Database

	for _, mirrors := range []bool{false, true} {
		t.Run(fmt.Sprintf("summaries excludeMirrors=%v", mirrors), func(t *testing.T) {
			cfg := integrationConfig(db, mirrors)
			snap := load(t, conn, cfg)
			compareWithRaw(t, conn, db, cfg, snap)
			wantSources := map[string]string{
				"last_day": schema.MaxMinDates, "newest_day": schema.MaxMinDates,
				"total": schema.Downloads, "windows": schema.PerDay, "top_packages": schema.PerDay,
				"by_version": schema.PerDayByVersion, "by_country_code": schema.PerDayByVersionByCountry,
				"by_python_minor": schema.PerDayByVersionByPython, "by_installer": schema.PerDayByVersionByInstallerByType,
				"by_system": schema.PerDayByVersionBySystem, "by_type": schema.PerDayByVersionByFileType,
			}
			if mirrors {
				// The installer filter needs a table that holds installer.
				for _, f := range []string{"total", "windows", "top_packages", "by_version", "by_installer", "by_type"} {
					wantSources[f] = schema.PerDayByVersionByInstallerByType
				}
				wantSources["by_country_code"] = schema.PerDayByVersionByInstallerByTypeCty
				// No summary holds installer with python_minor or system.
				wantSources["by_python_minor"] = schema.RawTable
				wantSources["by_system"] = schema.RawTable
			}
			for f, want := range wantSources {
				if got := snap.Sources[f]; got != want {
					t.Errorf("%s read %s, want %s", f, got, want)
				}
			}
		})
	}

	// A user that may not make the server's read cap an error (as on a
	// public demo server): the exporter drops the refused setting, loads
	// the same counts (the cap is above what the test set reads), and
	// flags the snapshot.
	t.Run("user with a silent read cap", func(t *testing.T) {
		demoConn, err := srv.Open(func(o *clickhouse.Options) { o.Auth.Username, o.Auth.Password = demo.Name, demo.Password })
		if err != nil {
			t.Fatal(err)
		}
		defer demoConn.Close()
		cfg := integrationConfig(db, false)
		snap := load(t, demoConn, cfg)
		compareWithRaw(t, conn, db, cfg, snap)
		if !strings.Contains(snap.CapWarning, "stops reading after 1000000 rows") {
			t.Errorf("cap warning %q", snap.CapWarning)
		}
		if plain := load(t, conn, cfg); plain.CapWarning != "" {
			t.Errorf("the default user's snapshot warns: %q", plain.CapWarning)
		}
	})

	t.Run("raw table only", func(t *testing.T) {
		rawDB := db + "_raw"
		for _, sql := range []string{
			"DROP DATABASE IF EXISTS " + rawDB,
			"CREATE DATABASE " + rawDB,
			fmt.Sprintf("CREATE TABLE %s.pypi AS %s.pypi", rawDB, db),
			fmt.Sprintf("INSERT INTO %s.pypi SELECT * FROM %s.pypi", rawDB, db),
		} {
			if err := conn.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		defer func() { _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+rawDB) }()
		cfg := integrationConfig(rawDB, true)
		snap := load(t, conn, cfg)
		for f, table := range snap.Sources {
			if table != schema.RawTable {
				t.Errorf("%s read %s in a database holding only the raw table", f, table)
			}
		}
		// The truth still comes from the original database's raw table.
		cfg.Database = db
		compareWithRaw(t, conn, db, cfg, snap)
	})

	t.Run("empty database", func(t *testing.T) {
		emptyDB := db + "_empty"
		_ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+emptyDB)
		if err := schema.Apply(ctx, schema.ExecWith(conn), schema.Options{Database: emptyDB}); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+emptyDB) }()
		snap := load(t, conn, integrationConfig(emptyDB, false))
		if !snap.LastDay.IsZero() || len(snap.Packages) != 3 {
			t.Fatalf("empty database: last day %s, %d packages (want only the 3 listed)", snap.LastDay, len(snap.Packages))
		}
		for _, p := range snap.Packages {
			if p.Total != 0 || p.LastDay != 0 || !p.NewestDay.IsZero() {
				t.Errorf("empty database: %+v", p)
			}
		}
	})

	t.Run("missing database", func(t *testing.T) {
		l := NewLoader(conn, integrationConfig("clickpy_test_no_such_db", false), promslog.NewNopLogger())
		_, err := l.Load(ctx)
		if Classify(err) != KindSchema {
			t.Errorf("got %v (kind %q), want a schema error", err, Classify(err))
		}
	})
}

func load(t *testing.T, conn driver.Conn, cfg Config) *Snapshot {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	snap, err := NewLoader(conn, cfg, promslog.NewNopLogger()).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func compareWithRaw(t *testing.T, conn driver.Conn, db string, cfg Config, snap *Snapshot) {
	t.Helper()
	ctx := context.Background()
	raw := db + ".pypi"
	mirrorCond := "1"
	if cfg.ExcludeMirrors {
		mirrorCond = "installer NOT IN ('bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi')"
	}
	var last time.Time
	if err := conn.QueryRow(ctx, "SELECT max(date) FROM "+raw).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if !snap.LastDay.Equal(last) {
		t.Fatalf("last day %s, raw max(date) %s", snap.LastDay, last)
	}
	lastLit := "toDate('" + last.Format(time.DateOnly) + "')"
	window := fmt.Sprintf("date > %s - 30 AND date <= %s AND %s", lastLit, lastLit, mirrorCond)

	names := append([]string(nil), cfg.Packages...)
	for _, r := range chtest.StringRows(t, conn, fmt.Sprintf("SELECT project, toString(count()) FROM %s WHERE %s GROUP BY project ORDER BY count() DESC, project LIMIT %d",
		raw, window, cfg.TopPackages)) {
		if !slices.Contains(names, r[0]) {
			names = append(names, r[0])
		}
	}
	var got []string
	for _, p := range snap.Packages {
		got = append(got, p.Name)
	}
	if !slices.Equal(got, names) {
		t.Fatalf("tracked %v, want %v", got, names)
	}

	quoted := "'" + strings.Join(names, "', '") + "'"
	want := map[string]PackageStats{}
	for _, r := range chtest.StringRows(t, conn, fmt.Sprintf(`SELECT project,
			toString(countIf(%[3]s)),
			toString(countIf(%[3]s AND date = %[4]s)),
			toString(countIf(%[3]s AND date > %[4]s - 7 AND date <= %[4]s)),
			toString(countIf(%[3]s AND date > %[4]s - 30 AND date <= %[4]s)),
			toString(countIf(%[3]s AND date >= %[4]s - 7 AND date < %[4]s)),
			toString(max(date)),
			toString(countIf(%[3]s AND date > %[4]s - 2 AND date <= %[4]s))
		FROM %[1]s WHERE project IN (%[2]s) GROUP BY project`, raw, quoted, mirrorCond, lastLit)) {
		var s PackageStats
		fmt.Sscan(strings.Join(r[1:6], " "), &s.Total, &s.LastDay, &s.Last7Days, &s.Last30Days, &s.Prior7Days)
		s.NewestDay = day(r[6])
		fmt.Sscan(r[7], &s.Last2Days)
		want[r[0]] = s
	}
	if len(want) < len(names)-1 {
		t.Fatalf("raw table knows only %d of %d tracked packages", len(want), len(names))
	}
	for _, p := range snap.Packages {
		w := want[p.Name]
		if p.Total != w.Total || p.LastDay != w.LastDay || p.Last7Days != w.Last7Days ||
			p.Last30Days != w.Last30Days || p.Prior7Days != w.Prior7Days || !p.NewestDay.Equal(w.NewestDay) {
			t.Errorf("%s: got total %d day %d 7d %d 30d %d prior %d newest %s\n     raw total %d day %d 7d %d 30d %d prior %d newest %s",
				p.Name, p.Total, p.LastDay, p.Last7Days, p.Last30Days, p.Prior7Days, p.NewestDay,
				w.Total, w.LastDay, w.Last7Days, w.Last30Days, w.Prior7Days, w.NewestDay)
		}
		if p.Last2Days != w.Last2Days {
			t.Errorf("%s: last 2 days %d, raw %d", p.Name, p.Last2Days, w.Last2Days)
		}
		if p.Name != "no-such-package" && p.Last30Days == 0 {
			t.Errorf("%s has no downloads in the last 30 days; the comparison proves little", p.Name)
		}
		// The baseline's values are checked against raw counts in the data
		// source's ground truth and against this loader in the backtest's
		// test; here only that they are there where they can be.
		if b := p.Baseline; (p.Name == "no-such-package") != math.IsNaN(b.ExpectedLastDay) ||
			math.IsNaN(b.ExpectedLastDay) != math.IsNaN(b.ExpectedLast2Days) || math.IsNaN(b.ExpectedLastDay) != math.IsNaN(b.NoiseRatio) {
			t.Errorf("%s: baseline %+v", p.Name, b)
		}
	}

	for bi, b := range cfg.Breakdowns {
		all := map[string][]LabelCount{}
		for _, r := range chtest.StringRows(t, conn, fmt.Sprintf("SELECT project, toString(%s), toString(count()) FROM %s WHERE project IN (%s) AND %s GROUP BY 1, 2",
			b.Dimension, raw, quoted, window)) {
			var n uint64
			fmt.Sscan(r[2], &n)
			all[r[0]] = append(all[r[0]], LabelCount{r[1], n})
		}
		for _, p := range snap.Packages {
			// Ranked on the stored values, as ClickHouse ranks them; the
			// empty value is renamed only for publishing.
			wantVals := asMap(topN(all[p.Name], b.Top, b.Other), "unknown")
			gotVals := asMap(p.Breakdowns[bi].Values, "")
			if p.Breakdowns[bi].Dimension != b.Dimension || fmt.Sprint(gotVals) != fmt.Sprint(wantVals) {
				t.Errorf("%s by %s:\n got %v\nwant %v", p.Name, b.Dimension, gotVals, wantVals)
			}
			if n := len(p.Breakdowns[bi].Values); n > b.Top+1 {
				t.Errorf("%s by %s: %d series over the cap of %d", p.Name, b.Dimension, n, b.Top+1)
			}
		}
	}
}

// topN is the breakdown rule written out independently: largest first,
// ties by label, the rest summed under other when there is any.
func topN(vals []LabelCount, top int, other string) []LabelCount {
	vals = slices.Clone(vals)
	slices.SortFunc(vals, func(a, b LabelCount) int {
		return cmp.Or(cmp.Compare(b.Downloads, a.Downloads), cmp.Compare(a.Label, b.Label))
	})
	if len(vals) <= top {
		return append([]LabelCount{}, vals...)
	}
	var rest uint64
	for _, v := range vals[top:] {
		rest += v.Downloads
	}
	return append(vals[:top:top], LabelCount{other, rest})
}

// asMap keys values by label, empty renamed to unknown when given.
func asMap(vals []LabelCount, unknown string) map[string]uint64 {
	out := map[string]uint64{}
	for _, v := range vals {
		if v.Label == "" && unknown != "" {
			v.Label = unknown
		}
		out[v.Label] += v.Downloads
	}
	return out
}
