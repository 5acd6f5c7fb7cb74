package backtest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// GrafanaRule is one alert rule of a Grafana provisioning file, as Grafana
// reads it: data source queries with relative time ranges, and server-side
// expressions (reduce, math, threshold) over their results.
type GrafanaRule struct {
	UID, Title  string
	Condition   string
	NoDataState string
	Labels      map[string]string
	Steps       []RuleStep
}

// Freshness tells a staleness rule (label category=freshness) from a
// drop rule.
func (r GrafanaRule) Freshness() bool { return r.Labels["category"] == "freshness" }

// RuleStep is one query or expression of a rule, in evaluation order.
type RuleStep struct {
	RefID string
	// Expression is true for a server-side expression; otherwise the step
	// is a data source query over [now-From, now-To].
	Expression bool
	From, To   time.Duration
	Model      map[string]any

	math     mathExpr
	mathRefs []string
}

// Kind is the expression's type (reduce, math, threshold), "" for a query.
func (s RuleStep) Kind() string {
	k, _ := s.Model["type"].(string)
	return k
}

type ruleFile struct {
	Groups []struct {
		Rules []struct {
			UID         string            `yaml:"uid"`
			Title       string            `yaml:"title"`
			Condition   string            `yaml:"condition"`
			NoDataState string            `yaml:"noDataState"`
			Labels      map[string]string `yaml:"labels"`
			Data        []struct {
				RefID             string `yaml:"refId"`
				DatasourceUID     string `yaml:"datasourceUid"`
				RelativeTimeRange *struct {
					From int64 `yaml:"from"`
					To   int64 `yaml:"to"`
				} `yaml:"relativeTimeRange"`
				Model map[string]any `yaml:"model"`
			} `yaml:"data"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// exprDataSource is the UID Grafana gives server-side expressions.
const exprDataSource = "__expr__"

// ReadGrafanaRules reads every rule of a Grafana alert provisioning file.
func ReadGrafanaRules(path string) ([]GrafanaRule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading Grafana rules: %w", err)
	}
	return ParseGrafanaRules(b)
}

// ParseGrafanaRules reads the rules of a provisioning file's text.
func ParseGrafanaRules(b []byte) ([]GrafanaRule, error) {
	var f ruleFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parsing Grafana rules: %w", err)
	}
	var out []GrafanaRule
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			gr := GrafanaRule{UID: r.UID, Title: r.Title, Condition: r.Condition, NoDataState: r.NoDataState, Labels: r.Labels}
			for _, d := range r.Data {
				st := RuleStep{RefID: d.RefID, Expression: d.DatasourceUID == exprDataSource, Model: d.Model}
				if d.RelativeTimeRange != nil {
					st.From = time.Duration(d.RelativeTimeRange.From) * time.Second
					st.To = time.Duration(d.RelativeTimeRange.To) * time.Second
				}
				if err := st.check(gr.UID); err != nil {
					return nil, err
				}
				gr.Steps = append(gr.Steps, st)
			}
			if !slices.ContainsFunc(gr.Steps, func(s RuleStep) bool { return s.RefID == gr.Condition }) {
				return nil, fmt.Errorf("rule %s: condition %s is none of its steps", gr.UID, gr.Condition)
			}
			out = append(out, gr)
		}
	}
	return out, nil
}

// check refuses what this evaluator does not do, so a rule is never
// scored on a misreading.
func (s *RuleStep) check(uid string) error {
	if !s.Expression {
		if s.From <= 0 || s.To < 0 || s.To >= s.From {
			return fmt.Errorf("rule %s, query %s: relative time range %v to %v", uid, s.RefID, s.From, s.To)
		}
		return nil
	}
	switch s.Kind() {
	case "reduce":
		r, _ := s.Model["reducer"].(string)
		if !slices.Contains([]string{"last", "mean", "sum", "min", "max", "count"}, r) {
			return fmt.Errorf("rule %s, reduce %s: reducer %q is not one this evaluator knows", uid, s.RefID, r)
		}
		if m, _ := s.Model["settings"].(map[string]any); m != nil && m["mode"] != nil && m["mode"] != "" {
			return fmt.Errorf("rule %s, reduce %s: mode %v; only the default strict mode is evaluated", uid, s.RefID, m["mode"])
		}
	case "math":
		src, _ := s.Model["expression"].(string)
		e, refs, err := parseMath(src)
		if err != nil {
			return fmt.Errorf("rule %s, math %s: %w", uid, s.RefID, err)
		}
		s.math, s.mathRefs = e, refs
	case "threshold":
		if _, _, err := thresholdOf(s.Model); err != nil {
			return fmt.Errorf("rule %s, threshold %s: %w", uid, s.RefID, err)
		}
	default:
		return fmt.Errorf("rule %s, expression %s: type %q is not one this evaluator knows", uid, s.RefID, s.Kind())
	}
	return nil
}

// thresholdOf reads a threshold expression's one condition.
func thresholdOf(m map[string]any) (kind string, params []float64, err error) {
	conds, _ := m["conditions"].([]any)
	if len(conds) != 1 {
		return "", nil, fmt.Errorf("%d conditions; one is evaluated", len(conds))
	}
	c, _ := conds[0].(map[string]any)
	ev, _ := c["evaluator"].(map[string]any)
	kind, _ = ev["type"].(string)
	ps, _ := ev["params"].([]any)
	for _, p := range ps {
		f, ok := number(p)
		if !ok {
			return "", nil, fmt.Errorf("parameter %v is not a number", p)
		}
		params = append(params, f)
	}
	switch kind {
	case "gt", "lt":
		if len(params) < 1 {
			return "", nil, fmt.Errorf("%s needs a parameter", kind)
		}
	case "within_range", "outside_range":
		if len(params) < 2 {
			return "", nil, fmt.Errorf("%s needs two parameters", kind)
		}
	default:
		return "", nil, fmt.Errorf("evaluator %q is not one this evaluator knows", kind)
	}
	return kind, params, nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return math.NaN(), false
}

// Queries are the rule's data source queries.
func (r GrafanaRule) Queries() []RuleStep {
	var out []RuleStep
	for _, s := range r.Steps {
		if !s.Expression {
			out = append(out, s)
		}
	}
	return out
}

// Watched are the packages the rule's first query lists.
func (r GrafanaRule) Watched() []string {
	for _, q := range r.Queries() {
		raw, _ := q.Model["packages"].([]any)
		var out []string
		for _, p := range raw {
			if s, ok := p.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
