package sample_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// The sample as ClickHouse holds it after a load: the shapes the dashboards
// and alert tests rely on, checked with plain queries over the raw table.
func TestLoadedSampleShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: starts ClickHouse and loads the test set")
	}
	end := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	cfg := sample.Config{Seed: 11, End: end, Size: sample.SizeTest}
	srv, conn := chtest.StartTB(t, chtest.Config{Sample: "test", Seed: cfg.Seed, End: end, Database: "clickpy_test_sample"})
	db := srv.Database
	truth, err := sample.Expect(cfg)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("size and dates", func(t *testing.T) {
		var rows uint64
		var first, last time.Time
		queryRow(t, conn, fmt.Sprintf("SELECT count(), min(date), max(date) FROM %s.pypi", db), &rows, &first, &last)
		if diff := float64(rows)/float64(truth.Rows) - 1; diff < -0.1 || diff > 0.1 {
			t.Errorf("%d rows, truth says about %d", rows, truth.Rows)
		}
		if !last.Equal(end) || !first.Equal(truth.Start) {
			t.Errorf("dates %s..%s, want %s..%s", first, last, truth.Start, end)
		}
	})
	t.Run("drop", func(t *testing.T) {
		name, day := sample.Drop(end)
		var on, before float64
		queryRow(t, conn, fmt.Sprintf(`SELECT toFloat64(countIf(date = {day:Date})), countIf(date >= {day:Date} - 7 AND date < {day:Date}) / 7
			FROM %s.pypi WHERE project = {p:String}`, db), &on, &before,
			clickhouse.Named("day", day.Format(time.DateOnly)), clickhouse.Named("p", name))
		if before == 0 || on > 0.3*before {
			t.Errorf("%s on %s: %.0f downloads, mean of the 7 days before %.1f: not a 70%% drop", name, day.Format(time.DateOnly), on, before)
		}
	})
	t.Run("emerging", func(t *testing.T) {
		for _, e := range truth.Emerging {
			var first time.Time
			queryRow(t, conn, fmt.Sprintf("SELECT min(date) FROM %s.pypi WHERE project = {p:String}", db), &first, clickhouse.Named("p", e.Name))
			if !first.Equal(e.FirstDay) || end.Sub(first) > 90*24*time.Hour {
				t.Errorf("%s first seen %s, want %s within 90 days of %s", e.Name, first, e.FirstDay, end)
			}
		}
		var others uint64
		queryRow(t, conn, fmt.Sprintf(`SELECT count() FROM (SELECT project, min(date) AS f FROM %s.pypi GROUP BY project)
			WHERE f > {end:Date} - 90 AND project NOT IN {names:Array(String)}`, db), &others,
			clickhouse.Named("end", end.Format(time.DateOnly)), clickhouse.Named("names", emergingNames(truth)))
		if others != 0 {
			t.Errorf("%d undesignated packages first seen in the last 90 days", others)
		}
	})
	t.Run("hot", func(t *testing.T) {
		var top string
		queryRow(t, conn, fmt.Sprintf(`SELECT project FROM (
				SELECT project,
					countIf(toStartOfMonth(date) = toStartOfMonth({end:Date}) - INTERVAL 1 MONTH) AS last,
					countIf(toStartOfMonth(date) = toStartOfMonth({end:Date}) - INTERVAL 2 MONTH) AS prev
				FROM %s.pypi GROUP BY project)
			WHERE prev >= {share:Float64} * (SELECT count() FROM %s.pypi
				WHERE toStartOfMonth(date) = toStartOfMonth({end:Date}) - INTERVAL 2 MONTH)
			ORDER BY last / prev DESC LIMIT 1`, db, db), &top, clickhouse.Named("end", end.Format(time.DateOnly)),
			clickhouse.Named("share", fmt.Sprint(sample.HotMinShare)))
		if top != sample.Hot() {
			t.Errorf("largest month-over-month growth: %s, want %s", top, sample.Hot())
		}
	})
	t.Run("countries", func(t *testing.T) {
		var n uint64
		queryRow(t, conn, fmt.Sprintf("SELECT uniqExact(country_code) FROM %s.pypi WHERE country_code IN (SELECT code FROM %s.countries)", db, db), &n)
		if n != uint64(len(sample.Countries())) {
			t.Errorf("%d of %d countries have downloads", n, len(sample.Countries()))
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		again := reload(t, conn, db+"_again", cfg)
		other := reload(t, conn, db+"_other", sample.Config{Seed: cfg.Seed + 1, End: end, Size: sample.SizeTest})
		base := perPackage(t, conn, db)
		if len(base) < 1000 {
			t.Fatalf("only %d packages", len(base))
		}
		same, differ := 0, 0
		for p, n := range base {
			if again[p] == n {
				same++
			}
			if other[p] != n {
				differ++
			}
		}
		if same != len(base) || len(again) != len(base) {
			t.Errorf("same seed and end: %d of %d package totals equal", same, len(base))
		}
		if differ < len(base)/2 {
			t.Errorf("another seed changed only %d of %d package totals", differ, len(base))
		}
	})
}

func emergingNames(tr sample.Truth) []string {
	var out []string
	for _, e := range tr.Emerging {
		out = append(out, e.Name)
	}
	return out
}

func reload(t *testing.T, conn driver.Conn, db string, cfg sample.Config) map[string]uint64 {
	t.Helper()
	ctx := context.Background()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		t.Fatal(err)
	}
	if err := schema.Apply(ctx, schema.ExecWith(conn), schema.Options{Database: db}); err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Load(ctx, conn, db, cfg); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
	return perPackage(t, conn, db)
}

func perPackage(t *testing.T, conn driver.Conn, db string) map[string]uint64 {
	t.Helper()
	rows, err := conn.Query(context.Background(), fmt.Sprintf("SELECT project, count() FROM %s.pypi GROUP BY project", db))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var p string
		var n uint64
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		out[p] = n
	}
	return out
}

func queryRow(t *testing.T, conn driver.Conn, sql string, dest ...any) {
	t.Helper()
	var args []any
	var outs []any
	for _, d := range dest {
		if nv, ok := d.(driver.NamedValue); ok {
			args = append(args, nv)
			continue
		}
		outs = append(outs, d)
	}
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(outs...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
