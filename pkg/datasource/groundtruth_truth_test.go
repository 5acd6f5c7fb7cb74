package datasource_test

// The independent side of the ground-truth test: plain count() queries over
// the raw pypi table with the case's filters, written here (not built by
// pkg/sqlbuild), and the database without summary views.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// gtMirrors are the installers excludeMirrors drops, as the query model
// documents them.
var gtMirrors = []string{"bandersnatch", "z3c.pypimirror", "Artifactory", "devpi"}

// gtRow is one group of raw downloads: the columns the case needs, and the
// count.
type gtRow struct {
	date    time.Time
	project string
	keys    []string // the breakdown dimension's value(s)
	n       int64
}

// truthKeys are the dimension columns a case groups by besides date and
// project.
func (c gtCase) truthKeys() []string {
	switch c.Type {
	case "timeseries":
		if c.Breakdown != "" {
			return []string{c.Breakdown}
		}
	case "breakdown":
		if c.Dimension == "installer_type" {
			return []string{"installer", "type"}
		}
		return []string{c.Dimension}
	}
	return nil
}

// truthShape says whether the truth query groups by date and by project.
func (c gtCase) truthShape() (byDate, byProject bool) {
	switch c.Type {
	case "timeseries":
		return true, len(c.Packages) > 0
	case "breakdown":
		return false, false
	case "summary":
		return true, true
	}
	return false, true // top_packages, totals
}

// fetchTruth counts the case's downloads in the raw table of db.
func gtFetchTruth(ctx context.Context, db string, c gtCase) ([]gtRow, error) {
	byDate, byProject := c.truthShape()
	keys := c.truthKeys()
	var cols []string
	if byDate {
		cols = append(cols, "date")
	}
	if byProject {
		cols = append(cols, "project")
	}
	for _, k := range keys {
		cols = append(cols, "toString("+k+")")
	}
	conds := []string{"date >= toDate(@gt_from)", "date <= toDate(@gt_to)"}
	args := []any{
		clickhouse.Named("gt_from", gtDay(c.From).Format(time.DateOnly)),
		clickhouse.Named("gt_to", gtDay(c.To).Format(time.DateOnly)),
	}
	in := func(col, name string, vals []string) {
		if len(vals) > 0 {
			conds = append(conds, fmt.Sprintf("%s IN @%s", col, name))
			args = append(args, clickhouse.Named(name, vals))
		}
	}
	in("project", "gt_packages", c.Packages)
	// top_packages ranks packages: a version filter does not apply there.
	if c.Type != "top_packages" {
		in("version", "gt_versions", c.F.Versions)
	}
	in("country_code", "gt_countries", c.F.Countries)
	in("installer", "gt_installers", c.F.Installers)
	in("python_minor", "gt_pythons", c.F.PythonMinors)
	in("system", "gt_systems", c.F.Systems)
	in("type", "gt_types", c.F.Types)
	if c.F.ExcludeMirrors {
		conds = append(conds, "installer NOT IN @gt_mirrors")
		args = append(args, clickhouse.Named("gt_mirrors", gtMirrors))
	}
	sel := append(append([]string{}, cols...), "count()")
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + db + ".pypi WHERE " + strings.Join(conds, " AND ")
	if len(cols) > 0 {
		q += " GROUP BY " + strings.Join(cols, ", ")
	}
	rows, err := shared.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("ground truth query %s: %w", q, err)
	}
	defer rows.Close()
	var out []gtRow
	for rows.Next() {
		var r gtRow
		var n uint64
		dest := []any{}
		if byDate {
			dest = append(dest, &r.date)
		}
		if byProject {
			dest = append(dest, &r.project)
		}
		r.keys = make([]string, len(keys))
		for i := range keys {
			dest = append(dest, &r.keys[i])
		}
		dest = append(dest, &n)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if n == 0 {
			continue // count() without GROUP BY over nothing
		}
		r.date = r.date.UTC()
		r.n = int64(n)
		out = append(out, r)
	}
	return out, rows.Err()
}

// gtGlobalEnd is the newest download date in the raw table.
func gtGlobalEnd(ctx context.Context, db string) (time.Time, error) {
	var d time.Time
	err := shared.conn.QueryRow(ctx, "SELECT max(date) FROM "+db+".pypi").Scan(&d)
	return d.UTC(), err
}

// gtProjects are the packages with any download in db.
func gtProjects(ctx context.Context, db string) (map[string]bool, error) {
	rows, err := shared.conn.Query(ctx, "SELECT DISTINCT project FROM "+db+".pypi")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out[p] = true
	}
	return out, rows.Err()
}

// gtCountryNames maps country codes to the names the countries table gives
// (every name, should a code appear twice).
func gtCountryNames(ctx context.Context, db string) (map[string][]string, error) {
	rows, err := shared.conn.Query(ctx, "SELECT code, name FROM "+db+".countries")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = append(out[code], name)
	}
	return out, rows.Err()
}

// makeRawOnly creates database name holding copies of db's raw pypi and
// countries tables only (no summary table, no view, no dictionary: country
// names then come from the countries table), and drops it when the test
// ends.
func gtMakeRawOnly(t *testing.T, ctx context.Context, db, name string) {
	t.Helper()
	stmts, err := schema.Statements(schema.Options{Database: name})
	mustT(t, err)
	exec := func(q string) {
		t.Helper()
		if err := shared.conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", strings.SplitN(q, "\n", 2)[0], err)
		}
	}
	exec("DROP DATABASE IF EXISTS " + name)
	t.Cleanup(func() {
		if err := shared.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	keep := []string{
		"CREATE DATABASE IF NOT EXISTS " + name,
		"CREATE TABLE IF NOT EXISTS " + name + "." + schema.RawTable + "\n",
		"CREATE TABLE IF NOT EXISTS " + name + "." + schema.CountriesTable + "\n",
	}
	made := 0
	for _, s := range stmts {
		for _, k := range keep {
			if strings.HasPrefix(s, k) {
				exec(s)
				made++
			}
		}
	}
	if made != len(keep) {
		t.Fatalf("schema.Statements gave %d of the %d statements needed for %s", made, len(keep), name)
	}
	exec("INSERT INTO " + name + ".pypi SELECT * FROM " + db + ".pypi")
	exec("INSERT INTO " + name + ".countries SELECT * FROM " + db + ".countries")
	var a, b uint64
	if err := shared.conn.QueryRow(ctx, "SELECT (SELECT count() FROM "+db+".pypi), (SELECT count() FROM "+name+".pypi)").Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	if a != b || a == 0 {
		t.Fatalf("copied %d of %d raw rows into %s", b, a, name)
	}
	var n uint64
	if err := shared.conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = @db", clickhouse.Named("db", name)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%s holds %d tables, want pypi and countries only", name, n)
	}
}
