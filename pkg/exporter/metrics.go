package exporter

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
)

// Metric names. Download counts are gauges (a day's count can be lower
// than the day before's) except the all-time total, published as a
// counter: it only grows, once a day when a new day is loaded, and a drop
// (data deleted upstream, excludeMirrors switched on) reads as a reset.
const (
	MetricTotal          = "clickpy_package_downloads_total"
	MetricLastDay        = "clickpy_package_downloads_last_day"
	MetricLast7Days      = "clickpy_package_downloads_last_7d"
	MetricLast30Days     = "clickpy_package_downloads_last_30d"
	MetricPrior7Days     = "clickpy_package_downloads_prior_7d"
	MetricLast2Days      = "clickpy_package_downloads_last_2d"
	MetricExpectedDay    = "clickpy_package_downloads_expected_last_day"
	MetricExpected2Days  = "clickpy_package_downloads_expected_last_2d"
	MetricNoiseRatio     = "clickpy_package_downloads_noise_ratio"
	MetricNewestDay      = "clickpy_package_newest_day_timestamp_seconds"
	MetricBreakdownStem  = "clickpy_package_downloads_last_30d_by_"
	MetricDataLastDay    = "clickpy_data_last_complete_day_timestamp_seconds"
	MetricDataCapped     = "clickpy_data_counts_capped"
	MetricUp             = "clickpy_up"
	MetricLastSuccess    = "clickpy_exporter_last_refresh_success_timestamp_seconds"
	MetricRefreshSeconds = "clickpy_exporter_refresh_duration_seconds"
	MetricRefreshErrors  = "clickpy_exporter_refresh_errors_total"
	MetricRefreshes      = "clickpy_exporter_refreshes_total"
	MetricTracked        = "clickpy_exporter_tracked_packages"

	labelPackage = "package"
	labelKind    = "kind"
)

// cached is appended to the HELP of every data metric so a reader of the
// exposition knows why the value moves once a day and lags a scrape.
const cached = " Daily data from ClickPy, cached by the exporter for its minimum refresh interval."

// packageFamily is one per-package metric without extra labels.
type packageFamily struct {
	name, help string
	valueType  prometheus.ValueType
	value      func(*PackageStats) (float64, bool)
}

// finite publishes a value only when it is a number.
func finite(f func(*PackageStats) float64) func(*PackageStats) (float64, bool) {
	return func(s *PackageStats) (float64, bool) {
		v := f(s)
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
}

func packageFamilies() []packageFamily {
	u := func(f func(*PackageStats) uint64) func(*PackageStats) (float64, bool) {
		return func(s *PackageStats) (float64, bool) { return float64(f(s)), true }
	}
	return []packageFamily{
		{MetricTotal, "All-time downloads of the package." + cached, prometheus.CounterValue,
			u(func(s *PackageStats) uint64 { return s.Total })},
		{MetricLastDay, "Downloads of the package on the last complete day, the newest day in the data." + cached, prometheus.GaugeValue,
			u(func(s *PackageStats) uint64 { return s.LastDay })},
		{MetricLast7Days, "Downloads of the package in the 7 days ending on the last complete day." + cached, prometheus.GaugeValue,
			u(func(s *PackageStats) uint64 { return s.Last7Days })},
		{MetricLast30Days, "Downloads of the package in the 30 days ending on the last complete day." + cached, prometheus.GaugeValue,
			u(func(s *PackageStats) uint64 { return s.Last30Days })},
		{MetricPrior7Days, "Downloads of the package in the 7 days before the last complete day." + cached, prometheus.GaugeValue,
			u(func(s *PackageStats) uint64 { return s.Prior7Days })},
		{MetricLast2Days, "Downloads of the package in the 2 days ending on the last complete day." + cached, prometheus.GaugeValue,
			u(func(s *PackageStats) uint64 { return s.Last2Days })},
		{MetricExpectedDay, "Downloads the package was expected to have on the last complete day: the median of the same weekday " +
			"in the four weeks before, moved with PyPI as a whole (the drop alert's baseline); absent without one." + cached, prometheus.GaugeValue,
			finite(func(s *PackageStats) float64 { return s.Baseline.ExpectedLastDay })},
		{MetricExpected2Days, "Downloads the package was expected to have over the 2 days ending on the last complete day; absent without a baseline." + cached,
			prometheus.GaugeValue, finite(func(s *PackageStats) float64 { return s.Baseline.ExpectedLast2Days })},
		{MetricNoiseRatio, "The package's day-to-day spread as a ratio of its downloads (week-over-week changes of the three weeks " +
			"before the last complete day); the drop alert's margins scale with it; absent without one." + cached, prometheus.GaugeValue,
			finite(func(s *PackageStats) float64 { return s.Baseline.NoiseRatio })},
		{MetricNewestDay, "Start (UTC midnight) of the package's newest day with downloads, as a Unix timestamp; absent when it has none." + cached, prometheus.GaugeValue,
			func(s *PackageStats) (float64, bool) {
				if s.NewestDay.IsZero() {
					return 0, false
				}
				return float64(s.NewestDay.Unix()), true
			}},
	}
}

// BreakdownMetric is the metric name of a dimension's breakdown.
func BreakdownMetric(d Dimension) string { return MetricBreakdownStem + string(d) }

// MetricNames lists every metric the exporter can publish under cfg.
func MetricNames(cfg Config) []string {
	var out []string
	for _, f := range packageFamilies() {
		out = append(out, f.name)
	}
	for _, b := range cfg.Breakdowns {
		out = append(out, BreakdownMetric(b.Dimension))
	}
	return append(out, MetricDataLastDay, MetricDataCapped, MetricUp, MetricLastSuccess, MetricRefreshSeconds,
		MetricRefreshErrors, MetricRefreshes, MetricTracked)
}
