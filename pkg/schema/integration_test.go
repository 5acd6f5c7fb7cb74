package schema_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// One server for the package: the engine is a process singleton, and
// loading the sample once keeps the suite fast.
type env struct {
	srv  *chtest.Server
	conn driver.Conn
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

var testEnv env

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	srv, err := chtest.Start(ctx, chtest.Config{Sample: "test", Seed: 7, Database: "clickpy_test_schema"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting ClickHouse:", err)
		return 1
	}
	defer srv.Stop()
	conn, err := srv.Open()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer conn.Close()
	testEnv = env{srv: srv, conn: conn}
	return m.Run()
}

// totals runs a query returning (key String, n Int64) rows into a map.
func totals(t *testing.T, sql string) map[string]int64 {
	t.Helper()
	rows, err := testEnv.conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatalf("scan %s: %v", sql, err)
		}
		out[k] += n
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func keyExpr(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "toString(" + c + ")"
	}
	return "arrayStringConcat([" + strings.Join(parts, ", ") + "], '|')"
}

func compare(t *testing.T, name string, got, want map[string]int64) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the raw table gave no groups; the sample did not load", name)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d groups, raw table has %d", name, len(got), len(want))
	}
	bad := 0
	for k, w := range want {
		if g := got[k]; g != w {
			if bad < 5 {
				t.Errorf("%s[%s] = %d, count() over raw = %d", name, k, g, w)
			}
			bad++
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d groups differ in all", name, bad)
	}
}

// Each summary must hold exactly what count() over the raw table gives when
// grouped the same way; the raw side is written here, not taken from the
// package, so a wrong view definition cannot agree with itself.
func TestSummariesMatchRawCounts(t *testing.T) {
	db := testEnv.srv.Database
	raw := db + ".pypi"
	for _, s := range schema.Summaries() {
		t.Run(s.Table, func(t *testing.T) {
			table := db + "." + s.Table
			switch s.Table {
			case schema.MaxMinDates:
				got := totals(t, fmt.Sprintf("SELECT project || '|max', toInt64(toUInt32(max(max_date))) FROM %s GROUP BY project "+
					"UNION ALL SELECT project || '|min', toInt64(toUInt32(min(min_date))) FROM %s GROUP BY project", table, table))
				want := totals(t, fmt.Sprintf("SELECT project || '|max', toInt64(toUInt32(max(date))) FROM %s GROUP BY project "+
					"UNION ALL SELECT project || '|min', toInt64(toUInt32(min(date))) FROM %s GROUP BY project", raw, raw))
				compare(t, s.Table, got, want)
			case schema.PerMonth:
				got := totals(t, fmt.Sprintf("SELECT toString(month) || '|' || project, sum(count) FROM %s GROUP BY month, project", table))
				want := totals(t, fmt.Sprintf("SELECT toString(toStartOfMonth(date)) || '|' || project, toInt64(count()) FROM %s "+
					"WHERE date > toStartOfMonth(now()) - INTERVAL 6 MONTH GROUP BY 1", raw))
				compare(t, s.Table, got, want)
			default:
				k := keyExpr(s.Dimensions)
				got := totals(t, fmt.Sprintf("SELECT %s AS k, toInt64(sum(count)) FROM %s GROUP BY k", k, table))
				want := totals(t, fmt.Sprintf("SELECT %s AS k, toInt64(count()) FROM %s GROUP BY k", k, raw))
				compare(t, s.Table, got, want)
			}
		})
	}
}

// Merges must not change the sums: SummingMergeTree collapses rows with
// equal keys, and a key missing a dimension would lose counts here.
func TestSummariesSurviveMerges(t *testing.T) {
	ctx := context.Background()
	db := testEnv.srv.Database
	for _, s := range schema.Summaries() {
		if err := testEnv.conn.Exec(ctx, fmt.Sprintf("OPTIMIZE TABLE %s.%s FINAL", db, s.Table)); err != nil {
			t.Fatalf("optimize %s: %v", s.Table, err)
		}
	}
	TestSummariesMatchRawCounts(t)
}

func TestApplyTwiceKeepsData(t *testing.T) {
	ctx := context.Background()
	db := testEnv.srv.Database
	before := totals(t, fmt.Sprintf("SELECT 'all', toInt64(count()) FROM %s.pypi", db))
	if err := schema.Apply(ctx, schema.ExecWith(testEnv.conn), schema.Options{Database: db}); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	after := totals(t, fmt.Sprintf("SELECT 'all', toInt64(count()) FROM %s.pypi", db))
	if before["all"] == 0 || before["all"] != after["all"] {
		t.Fatalf("raw rows before %d, after second apply %d", before["all"], after["all"])
	}
	var n uint64
	if err := testEnv.conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = {db:String}",
		clickhouse.Named("db", db)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// raw + 14 summaries + 14 views + projects + countries + 2 dictionaries,
	// and GitHub's events, repository map, its view and the project
	// dictionary
	if n != 37 {
		t.Fatalf("%d tables in %s, want 37", n, db)
	}
}

func TestDictionariesAnswer(t *testing.T) {
	ctx := context.Background()
	db := testEnv.srv.Database
	var name string
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf("SELECT dictGet('%s.countries_dict', 'name', 'DE')", db)).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "Germany" {
		t.Fatalf("countries_dict DE = %q", name)
	}
	var missing uint64
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf(
		"SELECT count() FROM (SELECT DISTINCT country_code FROM %s.pypi) WHERE NOT dictHas('%s.countries_dict', tuple(country_code))", db, db)).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Fatalf("%d country codes in pypi have no name in countries_dict", missing)
	}
	var want, got time.Time
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf("SELECT max(upload_time) FROM %s.projects WHERE name = 'requests'", db)).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf("SELECT dictGet('%s.last_updated_dict', 'last_update', tuple('requests'))", db)).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want.IsZero() || !got.Equal(want) {
		t.Fatalf("last_updated_dict requests = %v, max(upload_time) = %v", got, want)
	}
}

// The project-to-repository dictionary gives each sample project the
// repository of its latest release's GitHub URL, by normalized name, and
// a separate GitHub database takes the event table and its map.
func TestGitHubObjects(t *testing.T) {
	ctx := context.Background()
	db := testEnv.srv.Database
	var repo, want string
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf(
		"SELECT regexpExtract(argMax(home_page, upload_time), 'github[.]com/(.+)$', 1) FROM %s.projects WHERE name = 'requests'", db)).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf("SELECT dictGetOrDefault('%s.%s', 'repo_name', tuple('requests'), '')", db, schema.ProjectRepoDict)).Scan(&repo); err != nil {
		t.Fatal(err)
	}
	if want == "" || repo != want {
		t.Fatalf("requests' repository %q, its home page says %q", repo, want)
	}
	gh := db + "_gh"
	defer func() { _ = testEnv.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+gh) }()
	opts := schema.Options{Database: db, GitHubDatabase: gh}
	if err := schema.Apply(ctx, schema.ExecWith(testEnv.conn), opts); err != nil {
		t.Fatal(err)
	}
	if err := testEnv.conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s.%s (event_type, actor_login, repo_name, repo_id, created_at, action) SELECT 'WatchEvent', 'a', 'o/r', '42', now(), 'started'", gh, schema.GitHubEvents)); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := testEnv.conn.QueryRow(ctx, fmt.Sprintf("SELECT repo_id FROM %s.%s WHERE repo_name = 'o/r'", gh, schema.RepoNameToID)).Scan(&id); err != nil || id != "42" {
		t.Fatalf("repo_name_to_id for o/r: %q (%v)", id, err)
	}
}
