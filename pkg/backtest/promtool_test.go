package backtest_test

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/backtest"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/droprule"
)

// The Prometheus rules, run by promtool on the replayed metrics of the
// top tier's planted-drop packages, the decline, the original drop and
// requests over the whole history, fire exactly on the days the Go mirror
// the backtest scores says: the backtest's Prometheus figures are the
// rule's. One sample and one evaluation a day keep promtool quick; with
// them the alert's 15 minutes of pending last until the next day's
// evaluation, so it is expected firing on the second day in a row.
func (e *env) testPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool is missing: apt-get install prometheus")
	}
	root, err := chtest.ModuleRoot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	pkgs := []string{"requests", e.truth.Drop}
	for _, d := range e.truth.Events.Drops {
		if d.Tier == "top" && !slices.Contains(pkgs, d.Package) {
			pkgs = append(pkgs, d.Package)
		}
	}
	pkgs = append(pkgs, e.truth.Events.Declines[0].Package)
	hist := e.res.History
	rule := backtest.PromDropRule()
	first, last := backtest.DefaultWarmupDays, hist.Days
	var b strings.Builder
	fmt.Fprintf(&b, "rule_files:\n  - %s\n  - %s\nevaluation_interval: 1d\ngroup_eval_order:\n  - clickpy-recording\n  - clickpy-alerts\n",
		filepath.Join(root, "prometheus", "recording.rules.yml"), filepath.Join(root, "prometheus", "alerts.rules.yml"))
	b.WriteString("tests:\n  - interval: 1d\n    input_series:\n")
	series := []struct {
		name string
		v    func(backtest.Metrics) float64
	}{
		{"clickpy_package_downloads_last_day", func(m backtest.Metrics) float64 { return m.LastDay }},
		{"clickpy_package_downloads_last_2d", func(m backtest.Metrics) float64 { return m.Last2Days }},
		{"clickpy_package_downloads_expected_last_day", func(m backtest.Metrics) float64 { return m.ExpectedLastDay }},
		{"clickpy_package_downloads_expected_last_2d", func(m backtest.Metrics) float64 { return m.ExpectedLast2Days }},
		{"clickpy_package_downloads_noise_ratio", func(m backtest.Metrics) float64 { return m.NoiseRatio }},
	}
	firing := map[int][]string{}
	values := map[int]map[string]float64{}
	for _, p := range pkgs {
		for _, s := range series {
			fmt.Fprintf(&b, "      - series: '%s{package=%q}'\n        values: '", s.name, p)
			for k := first; k <= last; k++ {
				m, ok := hist.ExporterMetrics(p, k)
				v := math.NaN()
				if ok {
					v = s.v(m)
				}
				// The exporter publishes nothing for a NaN.
				if math.IsNaN(v) || math.IsInf(v, 0) {
					b.WriteString("_ ")
				} else {
					fmt.Fprintf(&b, "%s ", strconv.FormatFloat(v, 'g', -1, 64))
				}
			}
			b.WriteString("'\n")
		}
		for k := first; k <= last; k++ {
			if m, ok := hist.ExporterMetrics(p, k); ok && rule.Fires(m) {
				firing[k] = append(firing[k], p)
				if values[k] == nil {
					values[k] = map[string]float64{}
				}
				values[k][p] = alertValue(m)
			}
		}
	}
	fired := 0
	b.WriteString("    alert_rule_test:\n")
	for k := first; k <= last; k++ {
		fmt.Fprintf(&b, "      - eval_time: %dd\n        alertname: ClickPyPackageDownloadsDropped\n", k-first)
		var now []string
		for _, p := range firing[k] {
			if slices.Contains(firing[k-1], p) {
				now = append(now, p)
			}
		}
		if len(now) == 0 {
			b.WriteString("        exp_alerts: []\n")
			continue
		}
		b.WriteString("        exp_alerts:\n")
		for _, p := range now {
			fired++
			fmt.Fprintf(&b, "          - exp_labels: {severity: warning, package: %q}\n", p)
			fmt.Fprintf(&b, "            exp_annotations:\n              summary: \"PyPI downloads of %s dropped\"\n", p)
			fmt.Fprintf(&b, "              description: \"%s had %s of the downloads expected on its last complete day or over its last two days.\"\n",
				p, humanizePercentage(values[k][p]))
		}
	}
	if fired < 5 {
		t.Fatalf("the mirror fires on only %d package-days: the comparison proves little", fired)
	}
	path := filepath.Join(t.TempDir(), "replay.test.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "test", "rules", path).CombinedOutput(); err != nil {
		t.Errorf("promtool disagrees with the backtest's mirror of %s: %v\n%s", rule.Name, err, tail(string(out), 3000))
	}
}

// alertValue is the alert's value: the one-day ratio when the one-day
// check holds (the left of the rule's "or"), else the two-day ratio.
func alertValue(m backtest.Metrics) float64 {
	r1 := m.LastDay / m.ExpectedLastDay
	if m.ExpectedLastDay > 0 && r1 < 1-math.Max(droprule.DayNoise*m.NoiseRatio, 1-droprule.DayShare) {
		return r1
	}
	return m.Last2Days / m.ExpectedLast2Days
}

// humanizePercentage is Prometheus' template function of that name.
func humanizePercentage(v float64) string { return fmt.Sprintf("%.4g%%", v*100) }

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
