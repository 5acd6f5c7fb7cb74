package dashboards_test

import (
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

// byLabel reads a wide time series frame into package -> bucket -> value.
func byLabel(t *testing.T, frames data.Frames, value string) map[string]map[time.Time]float64 {
	t.Helper()
	out := map[string]map[time.Time]float64{}
	for _, f := range frames {
		if len(f.Fields) == 0 || !isTime(f.Fields[0]) {
			t.Fatalf("not a time series: %v", fieldNames(data.Frames{f}))
		}
		for _, fl := range f.Fields[1:] {
			if fl.Name != value {
				continue
			}
			pkg := fl.Labels["package"]
			if out[pkg] == nil {
				out[pkg] = map[time.Time]float64{}
			}
			vals := floats(fl)
			for i := 0; i < f.Fields[0].Len(); i++ {
				ts, ok := f.Fields[0].ConcreteAt(i)
				if ok && !math.IsNaN(vals[i]) {
					out[pkg][ts.(time.Time).UTC()] = vals[i]
				}
			}
		}
	}
	return out
}

// Compare's month-over-month growth (user SQL) agrees with monthly totals
// from the plugin's own time series: every whole month of the range, each
// against the month before, and not the month in progress.
func TestMonthOverMonthGrowthMatchesMonthlyDownloads(t *testing.T) {
	e := plugin(t)
	var growthPanel panelJSON
	var dash dashJSON
	for _, d := range committedDashboards(t) {
		if d.UID != dashboards.CompareUID {
			continue
		}
		dash = d
		for _, p := range allPanels(d.Panels) {
			if p.Title == "Month-over-month growth" {
				growthPanel = p
			}
		}
	}
	if len(growthPanel.Targets) != 1 {
		t.Fatal("no month-over-month growth panel on the compare dashboard")
	}
	// The morning after the last day of data, and mid-month, when the
	// month in progress holds data but is not whole.
	for _, now := range []time.Time{testNow(), e.cfg.EndDate().AddDate(0, 0, -15).Add(9 * time.Hour)} {
		from, _ := relTime(dash.Time.From, now)
		to, _ := relTime(dash.Time.To, now)
		lastDay := sampleDay(now).AddDate(0, 0, -1)
		if lastDay.After(e.cfg.EndDate()) {
			lastDay = e.cfg.EndDate()
		}
		e.checkGrowth(t, growthPanel.Targets[0], from, to, lastDay)
	}
}

func sampleDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func (e *env) checkGrowth(t *testing.T, target map[string]any, from, to, lastDay time.Time) {
	t.Helper()
	pkgs := []string{"requests", "numpy"}
	s := scope{dashboards.VarPackages: {values: pkgs, multi: true}}
	tg := s.interpolate(target)
	growth := byLabel(t, e.query(t, []map[string]any{tg}, from, to).Responses["A"].Frames, "growth")

	series := map[string]any{"refId": "A", "queryType": "timeseries", "packages": pkgs, "granularity": "month"}
	monthly := byLabel(t, e.query(t, []map[string]any{series}, monthStart(from).AddDate(0, -1, 0), to).Responses["A"].Frames, "downloads")

	lastWhole := monthStart(lastDay.AddDate(0, 0, 1)).AddDate(0, -1, 0)
	for _, p := range pkgs {
		if len(growth[p]) == 0 {
			t.Fatalf("no growth series for %s", p)
		}
		n := 0
		for m := monthStart(from); !m.After(lastWhole); m = m.AddDate(0, 1, 0) {
			n++
			got, ok := growth[p][m]
			if !ok {
				t.Errorf("%s: no growth for %s", p, m.Format("2006-01"))
				continue
			}
			prev, cur := monthly[p][m.AddDate(0, -1, 0)], monthly[p][m]
			if want := cur/prev - 1; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %s: growth %.6f, want %.0f/%.0f-1 = %.6f", p, m.Format("2006-01"), got, cur, prev, want)
			}
		}
		if len(growth[p]) != n {
			t.Errorf("%s: %d months of growth, want %d (whole months %s to %s)", p, len(growth[p]), n,
				monthStart(from).Format("2006-01"), lastWhole.Format("2006-01"))
		}
	}
}
