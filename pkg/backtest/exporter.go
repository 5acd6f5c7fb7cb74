package backtest

import (
	"fmt"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/droprule"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// ExporterModels are the data source queries whose daily answers the
// exporter's metrics are replayed from: downloads per day and the baseline
// statistics. The exporter computes them with the same SQL builders
// (windows from daily counts, the baseline family from sqlbuild's baseline
// query over its last two days), so a day's metrics are these series at
// that day's newest date; the backtest's test checks that against the
// exporter itself on chosen days.
func ExporterModels() []map[string]any {
	return []map[string]any{
		{"queryType": string(querymodel.TimeSeries), "granularity": string(querymodel.Day)},
		{"queryType": string(querymodel.Baseline), "statistic": string(querymodel.StatExpected)},
		{"queryType": string(querymodel.Baseline), "statistic": string(querymodel.StatNoise)},
	}
}

// Metrics are the exporter's per-package gauges the drop rules read, as a
// scrape on some day would show them (NaN where the exporter publishes
// nothing).
type Metrics struct {
	// LastComplete is the data's newest day.
	LastComplete        time.Time
	LastDay, Last2Days  float64
	Prior7Days          float64
	ExpectedLastDay     float64
	ExpectedLast2Days   float64
	NoiseRatio          float64
	DataLastCompleteDay time.Time
}

// ExporterMetrics are the metrics of pkg as scraped at EvalHour on day k
// (history index); ok is false before any data.
func (hist *History) ExporterMetrics(pkg string, k int) (m Metrics, ok bool) {
	l := hist.newestAsOf(k)
	if l < 7 {
		return m, false
	}
	models := ExporterModels()
	x := hist.Series(models[0], pkg)
	e := hist.Series(models[1], pkg)
	s := hist.Series(models[2], pkg)
	if x == nil || e == nil || s == nil {
		return m, false
	}
	m.LastComplete = hist.date(l)
	m.DataLastCompleteDay = m.LastComplete
	m.LastDay = x[l]
	m.Last2Days = x[l] + x[l-1]
	for j := l - 7; j < l; j++ {
		m.Prior7Days += x[j]
	}
	m.ExpectedLastDay = e[l]
	m.ExpectedLast2Days = e[l] + e[l-1]
	m.NoiseRatio = s[l]
	return m, true
}

// PromRule is a Prometheus drop rule written out in Go over the metrics
// of one scrape, so the backtest can evaluate it on every day; each one
// names the alert expression it mirrors, and the backtest's test runs
// promtool on the Prometheus rules with inputs and expected alerts taken
// from this mirror.
type PromRule struct {
	Name string
	// Expr is the PromQL this mirrors (for the report).
	Expr  string
	Fires func(m Metrics) bool
}

// PreviousPromDropRule is the drop alert before the backtest: the last
// complete day below half of the mean of the 7 days before it.
func PreviousPromDropRule() PromRule {
	return PromRule{
		Name: "ClickPyPackageDownloadsDropped (7-day mean, before)",
		Expr: "clickpy_package_downloads_last_day / ((clickpy_package_downloads_prior_7d / 7) > 0) < 0.5",
		Fires: func(m Metrics) bool {
			mean := m.Prior7Days / 7
			return mean > 0 && m.LastDay/mean < 0.5
		},
	}
}

// PromDropRule is ClickPyPackageDownloadsDropped as prometheus/ writes it
// now: pkg/droprule's rule on the exporter's metrics. The exporter's two
// days always end on its own last day, so they are always two.
func PromDropRule() PromRule {
	return PromRule{
		Name: "ClickPyPackageDownloadsDropped",
		Expr: fmt.Sprintf("ratio_expected of the last day < 1 - clamp_min(%g * noise_ratio, %g) or of the last 2 days < "+
			"1 - clamp_min(%g * noise_ratio, %g), and expected_last_2d >= %g",
			droprule.DayNoise, 1-droprule.DayShare, droprule.TwoDayNoise, 1-droprule.TwoDayShare, droprule.MinExpected),
		Fires: func(m Metrics) bool {
			return droprule.Fires(droprule.Input{Last: m.LastDay, Expected: m.ExpectedLastDay, Last2: m.Last2Days,
				Expected2: m.ExpectedLast2Days, Days: 2, Noise: m.NoiseRatio})
		},
	}
}

// staleAfter is ClickPyDataStale's threshold: the newest day more than 3
// days old.
const staleAfter = 3 * 24 * time.Hour

// PromStaleFires mirrors ClickPyDataStale at EvalHour on day k:
// time() - clickpy_data_last_complete_day_timestamp_seconds > 3 * 86400.
func (hist *History) PromStaleFires(k int) bool {
	l := hist.newestAsOf(k)
	if l < 0 {
		return false
	}
	return hist.date(k).Add(EvalHour).Sub(hist.date(l)) > staleAfter
}

// ReplayProm evaluates a Prometheus drop rule on every day from first to
// last for every package.
func (hist *History) ReplayProm(rule PromRule, first, last int) Firings {
	out := Firings{}
	for _, p := range hist.Packages {
		f := make([]bool, hist.Days+1)
		for k := max(first, 0); k <= min(last, hist.Days); k++ {
			if m, ok := hist.ExporterMetrics(p, k); ok && rule.Fires(m) {
				f[k] = true
			}
		}
		out[p] = f
	}
	return out
}
