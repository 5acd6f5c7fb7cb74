package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// The whole path: clickpy-local with the test set, the exporter, and a
// real Prometheus scraping it. Values read back through Prometheus' API
// must equal count() over the raw table; then clickpy-local stops, up
// goes to 0 and the values stay.
func TestPrometheusScrapesExporter(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: starts ClickHouse, the exporter and Prometheus")
	}
	ctx := context.Background()
	const password = "local-Pw-5d1e"
	srv, err := chtest.Start(ctx, chtest.Config{Sample: "test", Seed: 5, Database: "clickpy_test_exporter_cmd",
		Args: []string{"--password", password}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	dsn := "http://default@" + srv.Addr
	if srv.Real {
		dsn = os.Getenv(chtest.EnvURL)
	}
	conn, err := srv.Open(func(o *clickhouse.Options) {
		if !srv.Real {
			o.Auth.Password = password
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "exporter.yml")
	if err := os.WriteFile(cfgPath, fmt.Appendf(nil, `database: %s
packages: [%s, %s]
topPackages: 3
breakdowns:
  installer: {top: 2}
  python_minor: {top: 3, other: rest}
minRefreshInterval: 1s
queryTimeout: 30s
excludeMirrors: true
`, srv.Database, sample.DropPackage, sample.HotPackage), 0o600); err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config.file=" + cfgPath, "--clickhouse.url=" + dsn, "--log.level=debug"}
	if !srv.Real {
		args = append(args, "--clickhouse.password-file="+pwFile)
	}
	exp := startExporter(t, args, nil)
	prom := startPrometheus(t, exp.addr)

	waitUntil(t, "Prometheus sees the exporter up with its packages", 90*time.Second, func() bool {
		up, ok1 := prom.scalar(t, `clickpy_up{job="clickpy-exporter"}`)
		n, ok2 := prom.scalar(t, `clickpy_exporter_tracked_packages`)
		total := prom.query(t, `clickpy_package_downloads_total`)
		// The recording rules run on their own schedule, after the scrape.
		ratios := prom.query(t, `package:clickpy_package_downloads_last_2d:ratio_expected`)
		return ok1 && ok2 && up == 1 && int(n) == len(total) && n >= 3 && len(ratios) == len(total)
	})
	if err := prom.rulesHealthy(t); err != nil {
		t.Error(err)
	}

	truth := rawTruth(t, conn, srv.Database)
	checkAgainstRaw := func(t *testing.T) {
		t.Helper()
		packages := prom.byLabel(t, `clickpy_package_downloads_total`, "package")
		var names []string
		for n := range packages {
			names = append(names, n)
		}
		slices.Sort(names)
		if !slices.Equal(names, truth.tracked) {
			t.Fatalf("Prometheus has packages %v, want %v", names, truth.tracked)
		}
		for family, want := range map[string]map[string]uint64{
			"clickpy_package_downloads_total":              truth.total,
			"clickpy_package_downloads_last_day":           truth.lastDay,
			"clickpy_package_downloads_last_7d":            truth.last7,
			"clickpy_package_downloads_last_30d":           truth.last30,
			"clickpy_package_downloads_prior_7d":           truth.prior7,
			"clickpy_package_downloads_last_2d":            truth.last2,
			"clickpy_package_newest_day_timestamp_seconds": truth.newest,
		} {
			got := prom.byLabel(t, family, "package")
			for _, p := range truth.tracked {
				if got[p] != float64(want[p]) {
					t.Errorf("%s{package=%q} = %v in Prometheus, raw count %d", family, p, got[p], want[p])
				}
			}
		}
		if got, _ := prom.scalar(t, `clickpy_data_last_complete_day_timestamp_seconds`); got != float64(truth.last.Unix()) {
			t.Errorf("last complete day %v, raw max(date) %s", got, truth.last)
		}
		for dim, want := range truth.breakdowns {
			got := map[string]map[string]float64{}
			for _, s := range prom.query(t, "clickpy_package_downloads_last_30d_by_"+dim) {
				if got[s.labels["package"]] == nil {
					got[s.labels["package"]] = map[string]float64{}
				}
				got[s.labels["package"]][s.labels[dim]] = s.value
			}
			for _, p := range truth.tracked {
				if fmt.Sprint(got[p]) != fmt.Sprint(want[p]) {
					t.Errorf("by %s for %s:\n got %v\nwant %v", dim, p, got[p], want[p])
				}
			}
		}
		// The recording rule divides the numbers Prometheus holds (the
		// baseline's own values are checked against raw counts by the data
		// source's ground truth and the backtest's test).
		ratios := prom.byLabel(t, `package:clickpy_package_downloads_last_2d:ratio_expected`, "package")
		expected := prom.byLabel(t, `clickpy_package_downloads_expected_last_2d`, "package")
		for _, p := range truth.tracked {
			want := float64(truth.last2[p]) / expected[p]
			if math.Abs(ratios[p]-want) > 1e-9 || expected[p] <= 0 {
				t.Errorf("ratio rule for %s = %v, want %v", p, ratios[p], want)
			}
		}
	}
	t.Run("values match count() over raw", checkAgainstRaw)

	if srv.Real {
		t.Log("a real server is not stopped: skipping the outage half")
		return
	}
	srv.Stop()
	waitUntil(t, "clickpy_up drops to 0 after ClickHouse stops", 60*time.Second, func() bool {
		up, ok := prom.scalar(t, `clickpy_up{job="clickpy-exporter"}`)
		return ok && up == 0
	})
	if up, _ := prom.scalar(t, `up{job="clickpy-exporter"}`); up != 1 {
		t.Errorf("the scrape itself failed (up %v); only clickpy_up should drop", up)
	}
	if n, _ := prom.scalar(t, `clickpy_exporter_refresh_errors_total{kind="connection"}`); n < 1 {
		t.Errorf("connection errors counted: %v", n)
	}
	t.Run("values stay after ClickHouse stops", checkAgainstRaw)
	if logs := exp.logs.String(); strings.Contains(logs, password) {
		t.Error("the ClickHouse password reached the exporter's log")
	}
}

// truth is what the raw table says, by SQL written here.
type truth struct {
	last                                                 time.Time
	tracked                                              []string // sorted
	total, lastDay, last7, last30, prior7, newest, last2 map[string]uint64
	// breakdowns[dimension][package][label] after the top-N rule.
	breakdowns map[string]map[string]map[string]float64
}

func rawTruth(t *testing.T, conn driver.Conn, db string) truth {
	t.Helper()
	ctx := context.Background()
	raw := db + ".pypi"
	const notMirror = "installer NOT IN ('bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi')"
	tr := truth{total: map[string]uint64{}, lastDay: map[string]uint64{}, last7: map[string]uint64{},
		last30: map[string]uint64{}, prior7: map[string]uint64{}, newest: map[string]uint64{}, last2: map[string]uint64{},
		breakdowns: map[string]map[string]map[string]float64{}}
	if err := conn.QueryRow(ctx, "SELECT max(date) FROM "+raw).Scan(&tr.last); err != nil {
		t.Fatal(err)
	}
	last := "toDate('" + tr.last.Format(time.DateOnly) + "')"
	window := fmt.Sprintf("date > %s - 30 AND date <= %s AND %s", last, last, notMirror)

	tracked := []string{sample.DropPackage, sample.HotPackage}
	for _, r := range chtest.StringRows(t, conn, fmt.Sprintf(
		"SELECT project FROM %s WHERE %s GROUP BY project ORDER BY count() DESC, project LIMIT 3", raw, window)) {
		if !slices.Contains(tracked, r[0]) {
			tracked = append(tracked, r[0])
		}
	}
	slices.Sort(tracked)
	tr.tracked = tracked
	in := "('" + strings.Join(tracked, "','") + "')"
	for _, r := range chtest.StringRows(t, conn, fmt.Sprintf(`SELECT project,
			toString(countIf(%[3]s)),
			toString(countIf(%[3]s AND date = %[4]s)),
			toString(countIf(%[3]s AND date > %[4]s - 7 AND date <= %[4]s)),
			toString(countIf(%[3]s AND date > %[4]s - 30 AND date <= %[4]s)),
			toString(countIf(%[3]s AND date >= %[4]s - 7 AND date < %[4]s)),
			toString(toUInt32(toDateTime(max(date), 'UTC'))),
			toString(countIf(%[3]s AND date > %[4]s - 2 AND date <= %[4]s))
		FROM %[1]s WHERE project IN %[2]s GROUP BY project`, raw, in, notMirror, last)) {
		for i, m := range []map[string]uint64{tr.total, tr.lastDay, tr.last7, tr.last30, tr.prior7, tr.newest, tr.last2} {
			var n uint64
			fmt.Sscan(r[i+1], &n)
			m[r[0]] = n
		}
	}
	for dim, rule := range map[string]struct {
		top   int
		other string
	}{"installer": {2, "other"}, "python_minor": {3, "rest"}} {
		vals := map[string][]kv{}
		for _, r := range chtest.StringRows(t, conn, fmt.Sprintf(
			"SELECT project, toString(%s), toString(count()) FROM %s WHERE project IN %s AND %s GROUP BY 1, 2", dim, raw, in, window)) {
			var n uint64
			fmt.Sscan(r[2], &n)
			vals[r[0]] = append(vals[r[0]], kv{r[1], n})
		}
		tr.breakdowns[dim] = map[string]map[string]float64{}
		for _, p := range tracked {
			v := vals[p]
			slices.SortFunc(v, func(a, b kv) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.k, b.k)) })
			out := map[string]float64{}
			for i, x := range v {
				if i < rule.top {
					// Ranked on the stored value; published as unknown.
					out[cmp.Or(x.k, "unknown")] += float64(x.n)
				} else {
					out[rule.other] += float64(x.n)
				}
			}
			tr.breakdowns[dim][p] = out
		}
	}
	return tr
}

type kv struct {
	k string
	n uint64
}
