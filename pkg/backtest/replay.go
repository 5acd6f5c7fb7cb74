package backtest

import (
	"fmt"
	"math"
	"time"
)

// EvalHour is when a simulated day's evaluation happens (UTC): the
// morning after ClickPy loaded the previous day.
const EvalHour = 9 * time.Hour

// Firings are one rule's results per package and evaluation day (index
// into the history, up to Days: the morning after the last day): true
// where it fired.
type Firings map[string][]bool

// value is one step's result for one package: a series (a data query's
// window) or a number; noData marks a query whose window held no day at
// all, which Grafana turns into NoData for the whole rule.
type value struct {
	series []float64
	num    float64
	isNum  bool
}

// window is a data query's days on evaluation day k: from the day holding
// now-From to the day holding now-To, cut at the newest day known on day
// k. ok is false when no day is left: the data source then answers a frame
// without rows, which Grafana reads as no data.
func (hist *History) window(st RuleStep, k int) (lo, hi int, ok bool) {
	now := hist.date(k).Add(EvalHour)
	// A window reaching before the history starts at its first day: the
	// history begins where the data does.
	lo = max(hist.index(now.Add(-st.From)), 0)
	hi = min(hist.index(now.Add(-st.To)), hist.newestAsOf(k))
	return lo, hi, lo <= hi
}

// ReplayGrafana evaluates rule on every day from first to last (history
// indexes) for every package, as Grafana would at EvalHour that day: its
// queries' windows cut from the history, then its expressions. NoData
// fires only when the rule's noDataState is Alerting; a condition that is
// NaN fires, as Grafana makes any non-zero condition value Alerting.
func (hist *History) ReplayGrafana(rule GrafanaRule, first, last int) (Firings, error) {
	out := Firings{}
	for _, p := range hist.Packages {
		out[p] = make([]bool, hist.Days+1)
	}
	bySeries := map[string]map[string][]float64{}
	for _, q := range rule.Queries() {
		if bySeries[q.RefID] = hist.series[modelKey(q.Model)]; bySeries[q.RefID] == nil {
			return nil, fmt.Errorf("rule %s: query %s was not fetched", rule.UID, q.RefID)
		}
	}
	for k := max(first, 0); k <= min(last, hist.Days); k++ {
		noData := false
		wins := map[string][2]int{}
		for _, q := range rule.Queries() {
			lo, hi, ok := hist.window(q, k)
			if !ok {
				noData = true
				break
			}
			wins[q.RefID] = [2]int{lo, hi}
		}
		if noData {
			if rule.NoDataState == "Alerting" {
				for _, p := range hist.Packages {
					out[p][k] = true
				}
			}
			continue
		}
		for _, p := range hist.Packages {
			v, err := evaluate(rule, func(ref string) []float64 {
				s := bySeries[ref][p]
				if s == nil {
					return nil
				}
				w := wins[ref]
				return s[w[0] : w[1]+1]
			})
			if err != nil {
				return nil, fmt.Errorf("rule %s on %s for %s: %w", rule.UID, hist.date(k).Format(time.DateOnly), p, err)
			}
			out[p][k] = v != 0
		}
	}
	return out, nil
}

// EvaluatePackage runs a rule's expressions for one package on the
// series its queries answered (series of a query's refID; nil when the
// query gave none for the package, which then drops out of the unions and
// does not fire). Every series must hold at least one point: a query whose
// frame has no rows is no data, which Grafana handles for the whole rule
// (see ReplayGrafana). The result is the condition's value: Grafana fires
// on anything but 0, NaN included.
func EvaluatePackage(rule GrafanaRule, series func(refID string) []float64) (float64, error) {
	return evaluate(rule, series)
}

func evaluate(rule GrafanaRule, series func(refID string) []float64) (float64, error) {
	vals := make(map[string]value, len(rule.Steps))
	for _, st := range rule.Steps {
		if !st.Expression {
			s := series(st.RefID)
			if s == nil {
				return 0, nil
			}
			vals[st.RefID] = value{series: s}
			continue
		}
		var v value
		switch st.Kind() {
		case "reduce":
			in, ok := vals[exprInput(st)]
			if !ok || in.isNum {
				return 0, fmt.Errorf("reduce %s: input %s is not a series", st.RefID, exprInput(st))
			}
			v = value{num: reduce(st.Model["reducer"].(string), in.series), isNum: true}
		case "threshold":
			in, ok := vals[exprInput(st)]
			if !ok || !in.isNum {
				return 0, fmt.Errorf("threshold %s: input %s is not a number (reduce it first)", st.RefID, exprInput(st))
			}
			kind, params, _ := thresholdOf(st.Model)
			v = value{num: threshold(kind, params, in.num), isNum: true}
		case "math":
			for _, r := range st.mathRefs {
				if in, ok := vals[r]; !ok || !in.isNum {
					return 0, fmt.Errorf("math %s: $%s is not a number; this evaluator does math on reduced values only", st.RefID, r)
				}
			}
			v = value{num: st.math.eval(func(ref string) float64 { return vals[ref].num }), isNum: true}
		}
		vals[st.RefID] = v
	}
	c := vals[rule.Condition]
	if !c.isNum {
		return 0, fmt.Errorf("condition %s is a series, not a number", rule.Condition)
	}
	return c.num, nil
}

func exprInput(st RuleStep) string {
	s, _ := st.Model["expression"].(string)
	if len(s) > 0 && s[0] == '$' {
		s = s[1:]
	}
	return s
}

// reduce is Grafana's Reduce in its default strict mode: a null or NaN
// point makes sum, mean, min and max NaN, and a null last point a NaN
// last; of no points, sum is 0, count 0, the others NaN.
func reduce(fn string, xs []float64) float64 {
	switch fn {
	case "count":
		return float64(len(xs))
	case "last":
		if len(xs) == 0 {
			return math.NaN()
		}
		return xs[len(xs)-1]
	}
	if len(xs) == 0 && fn != "sum" {
		return math.NaN()
	}
	acc := 0.0
	for i, x := range xs {
		if math.IsNaN(x) {
			return math.NaN()
		}
		switch {
		case fn == "sum" || fn == "mean":
			acc += x
		case i == 0:
			acc = x
		case fn == "min":
			acc = min(acc, x)
		case fn == "max":
			acc = max(acc, x)
		}
	}
	if fn == "mean" {
		return acc / float64(len(xs))
	}
	return acc
}

// threshold is Grafana's Threshold expression on a number.
func threshold(kind string, p []float64, x float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	switch kind {
	case "gt":
		return boolFloat(x > p[0])
	case "lt":
		return boolFloat(x < p[0])
	case "within_range":
		return boolFloat(x > p[0] && x < p[1])
	}
	return boolFloat(x < p[0] || x > p[1])
}
