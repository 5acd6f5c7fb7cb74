package exporter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/promslog"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// knownSnapshot has one package with every field and breakdown set, one
// that has never been downloaded, and a breakdown value with an empty
// label already mapped to unknown by the loader.
func knownSnapshot() *Snapshot {
	return &Snapshot{
		LastDay: day("2026-10-31"),
		Packages: []PackageStats{
			{
				Name: "requests", Total: 123456789, LastDay: 1000, Last7Days: 6500, Last30Days: 28000, Prior7Days: 6100,
				Last2Days: 1900, Baseline: Baseline{ExpectedLastDay: 980.5, ExpectedLast2Days: 1950, NoiseRatio: 0.125},
				NewestDay: day("2026-10-31"),
				Breakdowns: []BreakdownValues{
					{Version, []LabelCount{{"2.32.3", 20000}, {"2.31.0", 5000}, {"other", 3000}}},
					{PythonMinor, []LabelCount{{"3.12", 15000}, {"unknown", 13000}}},
				},
			},
			{Name: "ghost-pkg", Baseline: noBaseline()},
		},
	}
}

func knownConfig() Config {
	c := DefaultConfig()
	c.Breakdowns = []Breakdown{{Version, 2, "other"}, {PythonMinor, 5, "other"}}
	return c
}

// cacheWith returns a cache whose one refresh at a fixed time gave snap.
func cacheWith(t *testing.T, snap *Snapshot, err error) *Cache {
	t.Helper()
	c := NewCache(func(context.Context) (*Snapshot, error) { return snap, err }, time.Minute, promslog.NewNopLogger())
	at := time.Unix(1793491200, 500e6) // 2026-11-01T00:00:00.5Z
	c.now = func() time.Time { return at }
	c.refresh(context.Background())
	return c
}

const knownExposition = `
# HELP clickpy_data_counts_capped 1 when ClickHouse stops reading at a cap without an error and the exporter's user may not change that, so counts over many rows can come back low (the exporter's log says which cap); 0 otherwise.
# TYPE clickpy_data_counts_capped gauge
clickpy_data_counts_capped 0
# HELP clickpy_data_last_complete_day_timestamp_seconds Start (UTC midnight) of the newest day in ClickPy's data, taken as the last complete day, as a Unix timestamp. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_data_last_complete_day_timestamp_seconds gauge
clickpy_data_last_complete_day_timestamp_seconds 1.7934048e+09
# HELP clickpy_exporter_last_refresh_success_timestamp_seconds When the exporter last refreshed its snapshot from ClickHouse successfully, as a Unix timestamp.
# TYPE clickpy_exporter_last_refresh_success_timestamp_seconds gauge
clickpy_exporter_last_refresh_success_timestamp_seconds 1.7934912005e+09
# HELP clickpy_exporter_refresh_duration_seconds How long the exporter's latest refresh from ClickHouse took, failed or not.
# TYPE clickpy_exporter_refresh_duration_seconds gauge
clickpy_exporter_refresh_duration_seconds 0
# HELP clickpy_exporter_refresh_errors_total Refreshes from ClickHouse that failed, by kind: connection, auth, timeout, schema, query, other.
# TYPE clickpy_exporter_refresh_errors_total counter
clickpy_exporter_refresh_errors_total{kind="auth"} 0
clickpy_exporter_refresh_errors_total{kind="connection"} 0
clickpy_exporter_refresh_errors_total{kind="other"} 0
clickpy_exporter_refresh_errors_total{kind="query"} 0
clickpy_exporter_refresh_errors_total{kind="schema"} 0
clickpy_exporter_refresh_errors_total{kind="timeout"} 0
# HELP clickpy_exporter_refreshes_total Refreshes from ClickHouse attempted.
# TYPE clickpy_exporter_refreshes_total counter
clickpy_exporter_refreshes_total 1
# HELP clickpy_exporter_tracked_packages Packages in the snapshot being served: the explicit list plus the top packages.
# TYPE clickpy_exporter_tracked_packages gauge
clickpy_exporter_tracked_packages 2
# HELP clickpy_package_downloads_expected_last_2d Downloads the package was expected to have over the 2 days ending on the last complete day; absent without a baseline. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_expected_last_2d gauge
clickpy_package_downloads_expected_last_2d{package="requests"} 1950
# HELP clickpy_package_downloads_expected_last_day Downloads the package was expected to have on the last complete day: the median of the same weekday in the four weeks before, moved with PyPI as a whole (the drop alert's baseline); absent without one. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_expected_last_day gauge
clickpy_package_downloads_expected_last_day{package="requests"} 980.5
# HELP clickpy_package_downloads_last_2d Downloads of the package in the 2 days ending on the last complete day. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_2d gauge
clickpy_package_downloads_last_2d{package="ghost-pkg"} 0
clickpy_package_downloads_last_2d{package="requests"} 1900
# HELP clickpy_package_downloads_last_30d Downloads of the package in the 30 days ending on the last complete day. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_30d gauge
clickpy_package_downloads_last_30d{package="ghost-pkg"} 0
clickpy_package_downloads_last_30d{package="requests"} 28000
# HELP clickpy_package_downloads_last_30d_by_python_minor Downloads of the package in the 30 days ending on the last complete day by python_minor: its top 5 values, the rest summed as "other". Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_30d_by_python_minor gauge
clickpy_package_downloads_last_30d_by_python_minor{package="requests",python_minor="3.12"} 15000
clickpy_package_downloads_last_30d_by_python_minor{package="requests",python_minor="unknown"} 13000
# HELP clickpy_package_downloads_last_30d_by_version Downloads of the package in the 30 days ending on the last complete day by version: its top 2 values, the rest summed as "other". Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_30d_by_version gauge
clickpy_package_downloads_last_30d_by_version{package="requests",version="2.31.0"} 5000
clickpy_package_downloads_last_30d_by_version{package="requests",version="2.32.3"} 20000
clickpy_package_downloads_last_30d_by_version{package="requests",version="other"} 3000
# HELP clickpy_package_downloads_last_7d Downloads of the package in the 7 days ending on the last complete day. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_7d gauge
clickpy_package_downloads_last_7d{package="ghost-pkg"} 0
clickpy_package_downloads_last_7d{package="requests"} 6500
# HELP clickpy_package_downloads_last_day Downloads of the package on the last complete day, the newest day in the data. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_last_day gauge
clickpy_package_downloads_last_day{package="ghost-pkg"} 0
clickpy_package_downloads_last_day{package="requests"} 1000
# HELP clickpy_package_downloads_noise_ratio The package's day-to-day spread as a ratio of its downloads (week-over-week changes of the three weeks before the last complete day); the drop alert's margins scale with it; absent without one. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_noise_ratio gauge
clickpy_package_downloads_noise_ratio{package="requests"} 0.125
# HELP clickpy_package_downloads_prior_7d Downloads of the package in the 7 days before the last complete day. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_prior_7d gauge
clickpy_package_downloads_prior_7d{package="ghost-pkg"} 0
clickpy_package_downloads_prior_7d{package="requests"} 6100
# HELP clickpy_package_downloads_total All-time downloads of the package. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_downloads_total counter
clickpy_package_downloads_total{package="ghost-pkg"} 0
clickpy_package_downloads_total{package="requests"} 1.23456789e+08
# HELP clickpy_package_newest_day_timestamp_seconds Start (UTC midnight) of the package's newest day with downloads, as a Unix timestamp; absent when it has none. Daily data from ClickPy, cached by the exporter for its minimum refresh interval.
# TYPE clickpy_package_newest_day_timestamp_seconds gauge
clickpy_package_newest_day_timestamp_seconds{package="requests"} 1.7934048e+09
# HELP clickpy_up Whether the exporter's latest refresh from ClickHouse succeeded (1) or failed (0); after a failure the last good values are still served.
# TYPE clickpy_up gauge
clickpy_up 1
`

func TestCollectorKnownSnapshot(t *testing.T) {
	c := NewCollector(cacheWith(t, knownSnapshot(), nil), knownConfig())
	if err := testutil.CollectAndCompare(c, strings.NewReader(knownExposition)); err != nil {
		t.Error(err)
	}
	// A second scrape of the same snapshot reuses the built metrics and
	// gives the same output.
	if err := testutil.CollectAndCompare(c, strings.NewReader(knownExposition)); err != nil {
		t.Error(err)
	}
}

// The metric names and HELP must pass Prometheus' own linter.
func TestCollectorLint(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewCollector(cacheWith(t, knownSnapshot(), nil), knownConfig()))
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

// Before any snapshot only the exporter's own metrics exist, with up 0 and
// the failure counted.
func TestCollectorBeforeFirstLoad(t *testing.T) {
	c := NewCollector(cacheWith(t, nil, fmt.Errorf("reading: %w", context.DeadlineExceeded)), knownConfig())
	want := `
# HELP clickpy_up Whether the exporter's latest refresh from ClickHouse succeeded (1) or failed (0); after a failure the last good values are still served.
# TYPE clickpy_up gauge
clickpy_up 0
# HELP clickpy_exporter_refresh_errors_total Refreshes from ClickHouse that failed, by kind: connection, auth, timeout, schema, query, other.
# TYPE clickpy_exporter_refresh_errors_total counter
clickpy_exporter_refresh_errors_total{kind="auth"} 0
clickpy_exporter_refresh_errors_total{kind="connection"} 0
clickpy_exporter_refresh_errors_total{kind="other"} 0
clickpy_exporter_refresh_errors_total{kind="query"} 0
clickpy_exporter_refresh_errors_total{kind="schema"} 0
clickpy_exporter_refresh_errors_total{kind="timeout"} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), MetricUp, MetricRefreshErrors); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(c, MetricTotal, MetricLastSuccess, MetricTracked, MetricDataLastDay); n != 0 {
		t.Errorf("%d data series before the first load", n)
	}
}

// Breakdowns the config no longer has are not published even if a
// snapshot carries them, so no series can lack a descriptor.
func TestCollectorOnlyConfiguredBreakdowns(t *testing.T) {
	cfg := knownConfig()
	cfg.Breakdowns = cfg.Breakdowns[:1]
	c := NewCollector(cacheWith(t, knownSnapshot(), nil), cfg)
	if n := testutil.CollectAndCount(c, BreakdownMetric(PythonMinor)); n != 0 {
		t.Errorf("%d python_minor series published without the breakdown configured", n)
	}
	if n := testutil.CollectAndCount(c, BreakdownMetric(Version)); n != 3 {
		t.Errorf("%d version series, want 3", n)
	}
}

func TestCapValues(t *testing.T) {
	cases := []struct {
		name string
		in   []LabelCount
		top  int
		want []LabelCount
	}{
		{"under the cap", []LabelCount{{"a", 5}, {"b", 9}}, 3, []LabelCount{{"b", 9}, {"a", 5}}},
		{"over the cap", []LabelCount{{"a", 5}, {"b", 9}, {"c", 1}, {"d", 2}}, 2,
			[]LabelCount{{"b", 9}, {"a", 5}, {"other", 3}}},
		{"ties by label", []LabelCount{{"z", 4}, {"y", 4}, {"x", 4}}, 2,
			[]LabelCount{{"x", 4}, {"y", 4}, {"other", 4}}},
		// A real value named like the other label, and the query's own
		// other row, both end up in the one other series.
		{"other merged", []LabelCount{{"a", 10}, {"other", 3}, {"other", 2}, {"b", 1}}, 1,
			[]LabelCount{{"a", 10}, {"other", 6}}},
		{"duplicates merged", []LabelCount{{"a", 1}, {"a", 2}}, 5, []LabelCount{{"a", 3}}},
		{"empty", nil, 5, []LabelCount{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := capValues(tc.in, tc.top, "other")
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// Cardinality: however many values the data has, a package publishes at
// most top+1 series per breakdown, and the sum is kept.
func TestBreakdownCardinalityCap(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Breakdowns = []Breakdown{{Version, 3, "other"}, {CountryCode, 5, "rest"}}
	l := &Loader{cfg: cfg}
	// As Load makes them: every breakdown named, data or not.
	stats := []PackageStats{{Name: "big", Breakdowns: l.emptyBreakdowns()}, {Name: "none", Breakdowns: l.emptyBreakdowns()}}
	var sum uint64
	for i := range 1000 {
		n := uint64(i%37 + 1)
		sum += n
		stats[0].Breakdowns[0].Values = append(stats[0].Breakdowns[0].Values, LabelCount{fmt.Sprintf("1.0.%d", i), n})
		stats[0].Breakdowns[1].Values = append(stats[0].Breakdowns[1].Values, LabelCount{fmt.Sprintf("C%d", i), n})
	}
	l.finishBreakdowns(stats)
	c := NewCollector(cacheWith(t, &Snapshot{LastDay: day("2026-10-31"), Packages: stats}, nil), cfg)
	if n := testutil.CollectAndCount(c, BreakdownMetric(Version)); n != 4 {
		t.Errorf("%d version series, want 3 + other", n)
	}
	if n := testutil.CollectAndCount(c, BreakdownMetric(CountryCode)); n != 6 {
		t.Errorf("%d country series, want 5 + rest", n)
	}
	for _, b := range stats[0].Breakdowns {
		var got uint64
		for _, v := range b.Values {
			got += v.Downloads
		}
		if got != sum {
			t.Errorf("%s: published values add up to %d, want %d", b.Dimension, got, sum)
		}
	}
	if len(stats[1].Breakdowns) != 2 || len(stats[1].Breakdowns[0].Values) != 0 ||
		stats[1].Breakdowns[0].Dimension != Version || stats[1].Breakdowns[1].Dimension != CountryCode {
		t.Errorf("package without data: %+v", stats[1].Breakdowns)
	}
}

func TestMetricNamesCoverTheCollector(t *testing.T) {
	cfg := knownConfig()
	c := NewCollector(cacheWith(t, knownSnapshot(), errors.New("x")), cfg)
	names := MetricNames(cfg)
	if len(names) != len(c.descs) {
		t.Errorf("MetricNames lists %d names, the collector describes %d", len(names), len(c.descs))
	}
	for _, n := range names {
		if _, ok := c.descs[n]; !ok {
			t.Errorf("%s listed but not described", n)
		}
	}
}
