package backtest

import (
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

const testRules = `apiVersion: 1
groups:
  - name: g
    rules:
      - uid: drop
        condition: C
        noDataState: OK
        labels: {category: downloads}
        data:
          - refId: A
            relativeTimeRange: {from: 172800, to: 0}
            datasourceUid: clickpy
            model: {queryType: timeseries, granularity: day, packages: [p, q]}
          - refId: B
            datasourceUid: __expr__
            model: {type: reduce, expression: A, reducer: last}
          - refId: C
            datasourceUid: __expr__
            model: {type: math, expression: "$B < 50"}
      - uid: stale
        condition: S
        noDataState: Alerting
        labels: {category: freshness}
        data:
          - refId: A
            relativeTimeRange: {from: 259200, to: 0}
            datasourceUid: clickpy
            model: {queryType: timeseries, granularity: day, packages: [p]}
          - refId: R
            datasourceUid: __expr__
            model: {type: reduce, expression: A, reducer: sum}
          - refId: S
            datasourceUid: __expr__
            model: {type: threshold, expression: R, conditions: [{evaluator: {type: lt, params: [1]}}]}
`

// history is 60 days of package p at 100 a day but for a drop to 20 on
// days 30 and 31, and q at 100 throughout; days 40 to 44 hold no data.
func testHistory() *History {
	h := &History{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Days: 60, Packages: []string{"p", "q"},
		series: map[string]map[string][]float64{}}
	key := modelKey(map[string]any{"queryType": "timeseries", "granularity": "day"})
	h.series[key] = map[string][]float64{"p": make([]float64, 60), "q": make([]float64, 60)}
	h.present = make([]bool, 60)
	for i := range 60 {
		h.present[i] = i < 40 || i > 44
		for _, p := range h.Packages {
			if h.present[i] {
				h.series[key][p][i] = 100
			}
		}
	}
	h.series[key]["p"][30], h.series[key]["p"][31] = 20, 20
	return h
}

func TestReplayGrafana(t *testing.T) {
	rules, err := ParseGrafanaRules([]byte(testRules))
	if err != nil {
		t.Fatal(err)
	}
	h := testHistory()
	f, err := h.ReplayGrafana(rules[0], 0, h.Days)
	if err != nil {
		t.Fatal(err)
	}
	// Day 30's drop is seen the morning after, day 31's the morning after
	// that; the stall's days are no data, which is OK for this rule.
	for k, fired := range f["p"] {
		if want := k == 31 || k == 32; fired != want {
			t.Errorf("p on day %d: fired %v, want %v", k, fired, want)
		}
	}
	for k, fired := range f["q"] {
		if fired {
			t.Errorf("q fired on day %d", k)
		}
	}
	// The staleness rule: its window holds no day from 3 days into the
	// stall, which is no data, Alerting for it.
	s, err := h.ReplayGrafana(rules[1], 1, h.Days)
	if err != nil {
		t.Fatal(err)
	}
	for k, fired := range s["p"] {
		// On day k the newest day is 39 for k in 40..45; the window
		// [k-3, k] holds day 39 until k = 42.
		if want := k >= 43 && k <= 45; fired != want {
			t.Errorf("stale on day %d: fired %v, want %v", k, fired, want)
		}
	}
	sc := Scenario{Events: []Event{{Package: "p", Kind: KindDrop, Tier: "top", Start: h.date(30), Days: 2, Depth: 0.8}},
		Stall: sample.Stall{Partial: h.date(39), Start: h.date(40), Days: 5}, Rank: map[string]int{"p": 1, "q": 2}}
	score := h.ScoreRule("drop", f, sc, 0, h.Days)
	if len(score.Outcomes) != 1 || !score.Outcomes[0].Caught || score.Outcomes[0].Delay != 1 || len(score.False) != 0 {
		t.Errorf("score %+v", score)
	}
	st := h.ScoreStale("stale", AnyFires(s), sc, 1, h.Days)
	if !st.Fired || st.Delay != 3 || st.False != 0 || !st.Cleared {
		t.Errorf("stale score %+v", st)
	}
	// A firing no event explains is a false alarm, and one in the weeks
	// after the stall is marked so.
	f["q"][47] = true
	score = h.ScoreRule("drop", f, sc, 0, h.Days)
	if len(score.False) != 1 || score.False[0].Package != "q" || score.False[0].Stall || !score.False[0].AfterStall {
		t.Errorf("false alarms %+v", score.False)
	}
	figs := map[string]string{}
	for _, fg := range score.Figures(sc.Rank) {
		figs[fg.Name] = fg.Value
	}
	if figs["recall, all planted drops"] != "100% (1/1)" || figs["false alarms in the 4 weeks after the stall"] != "1" ||
		!strings.HasPrefix(figs["false alarms per package-year, tier high"], "0.000 (0 in") {
		t.Errorf("figures %v", figs)
	}
	var b strings.Builder
	if err := WriteFigures(&b, score.Figures(sc.Rank)); err != nil || strings.Count(b.String(), "\n") != len(figs)+1 {
		t.Errorf("report:\n%s %v", b.String(), err)
	}
}

// Rules this evaluator cannot read faithfully are refused, not misread.
func TestParseGrafanaRulesRefuses(t *testing.T) {
	for _, bad := range []string{
		strings.Replace(testRules, "reducer: last", "reducer: median", 1),
		strings.Replace(testRules, `"$B < 50"`, `"max($B, 3)"`, 1),
		strings.Replace(testRules, "type: threshold", "type: classic_conditions", 1),
		strings.Replace(testRules, "from: 172800, to: 0", "from: 0, to: 172800", 1),
		strings.Replace(testRules, "condition: C", "condition: Z", 1),
	} {
		if _, err := ParseGrafanaRules([]byte(bad)); err == nil {
			t.Errorf("accepted:\n%s", bad)
		}
	}
}
