package dashboards_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

	"github.com/clickpy/clickpy-grafana/pkg/backtest"
	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// The provisioned rule file, read as Grafana's file provisioning reads it.
type ruleFileT struct {
	APIVersion int          `yaml:"apiVersion"`
	Groups     []ruleGroupT `yaml:"groups"`
}

type ruleT struct {
	UID               string            `yaml:"uid"`
	Title             string            `yaml:"title"`
	Condition         string            `yaml:"condition"`
	Data              []ruleQueryT      `yaml:"data"`
	NoDataState       string            `yaml:"noDataState"`
	ExecErrState      string            `yaml:"execErrState"`
	For               string            `yaml:"for"`
	Annotations       map[string]string `yaml:"annotations"`
	Labels            map[string]string `yaml:"labels"`
	RelativeTimeRange any               `yaml:"relativeTimeRange"`
}

type ruleQueryT struct {
	RefID             string         `yaml:"refId"`
	DatasourceUID     string         `yaml:"datasourceUid"`
	Model             map[string]any `yaml:"model"`
	RelativeTimeRange *struct {
		From int64 `yaml:"from"`
		To   int64 `yaml:"to"`
	} `yaml:"relativeTimeRange"`
}

func provisionedRules(t *testing.T) []ruleT {
	t.Helper()
	g := provisionedRuleGroups(t)[0]
	if g.Folder != dashboards.FolderTitle || g.Interval == "" || g.Name == "" || len(g.Rules) == 0 {
		t.Fatalf("%s: group %+v", dashboards.AlertRulesPath, g)
	}
	return g.Rules
}

type ruleGroupT struct {
	OrgID    int64   `yaml:"orgId"`
	Name     string  `yaml:"name"`
	Folder   string  `yaml:"folder"`
	Interval string  `yaml:"interval"`
	Rules    []ruleT `yaml:"rules"`
}

func provisionedRuleGroups(t *testing.T) []ruleGroupT {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), dashboards.AlertRulesPath))
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFileT
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", dashboards.AlertRulesPath, err)
	}
	if f.APIVersion != 1 || len(f.Groups) != 1 {
		t.Fatalf("%s: apiVersion %d with %d groups", dashboards.AlertRulesPath, f.APIVersion, len(f.Groups))
	}
	return f.Groups
}

// ruleData returns a rule's query by refId.
func ruleData(r ruleT, refID string) (ruleQueryT, bool) {
	for _, q := range r.Data {
		if q.RefID == refID {
			return q, true
		}
	}
	return ruleQueryT{}, false
}

// seriesByPackage runs a rule's data source query at now and returns
// each series' values by its package label. Extra packages, when given,
// replace the rule's list.
func (e *env) seriesByPackage(t *testing.T, q ruleQueryT, now time.Time, packages []string) map[string][]float64 {
	t.Helper()
	if q.RelativeTimeRange == nil {
		t.Fatalf("query %s has no relative time range", q.RefID)
	}
	from := now.Add(-time.Duration(q.RelativeTimeRange.From) * time.Second)
	to := now.Add(-time.Duration(q.RelativeTimeRange.To) * time.Second)
	m := map[string]any{}
	for k, v := range q.Model {
		m[k] = v
	}
	if packages != nil {
		m["packages"] = packages
	}
	resp := e.query(t, []map[string]any{m}, from, to)
	r := resp.Responses[q.RefID]
	if r.Error != nil {
		t.Fatalf("query %s: %v", q.RefID, r.Error)
	}
	out := map[string][]float64{}
	for _, f := range r.Frames {
		for _, fl := range f.Fields {
			if !fl.Type().Numeric() {
				continue
			}
			pkg, ok := fl.Labels["package"]
			if !ok {
				t.Errorf("query %s: series %s has no package label (labels %v)", q.RefID, fl.Name, fl.Labels)
				continue
			}
			if _, dup := out[pkg]; dup {
				t.Errorf("query %s: two series for package %s", q.RefID, pkg)
			}
			out[pkg] = floats(fl)
		}
	}
	return out
}

func floats(f *data.Field) []float64 {
	out := make([]float64, 0, f.Len())
	for i := 0; i < f.Len(); i++ {
		v, ok := f.ConcreteAt(i)
		if !ok {
			out = append(out, math.NaN())
			continue
		}
		n, _ := strconv.ParseFloat(fmt.Sprint(v), 64)
		out = append(out, n)
	}
	return out
}

func modelPackages(m map[string]any) []string {
	raw, _ := m["packages"].([]any)
	var out []string
	for _, p := range raw {
		out = append(out, p.(string))
	}
	return out
}

// Every rule's data source queries answer, at the test's now, with
// exactly one series per listed package, labelled with it.
func TestAlertRuleQueriesOneSeriesPerPackage(t *testing.T) {
	e := plugin(t)
	for _, r := range provisionedRules(t) {
		n := 0
		for _, q := range r.Data {
			if q.DatasourceUID == "__expr__" {
				continue
			}
			n++
			if q.DatasourceUID != dashboards.DataSourceUID {
				t.Errorf("rule %s query %s reads data source %q", r.UID, q.RefID, q.DatasourceUID)
				continue
			}
			want := modelPackages(q.Model)
			if len(want) == 0 {
				t.Errorf("rule %s query %s lists no packages: it would count all of PyPI as one series", r.UID, q.RefID)
				continue
			}
			got := e.seriesByPackage(t, q, testNow(), nil)
			for _, p := range want {
				if vals, ok := got[p]; !ok {
					t.Errorf("rule %s query %s: no series for %s", r.UID, q.RefID, p)
				} else if len(vals) == 0 {
					t.Errorf("rule %s query %s: series for %s has no points", r.UID, q.RefID, p)
				}
			}
			for p := range got {
				if !slices.Contains(want, p) {
					t.Errorf("rule %s query %s: series for unlisted package %s", r.UID, q.RefID, p)
				}
			}
		}
		if n == 0 {
			t.Errorf("rule %s queries no data source", r.UID)
		}
	}
}

// evaluate runs a rule at now the way Grafana would: every data source
// query through the plugin over its relative range, then the rule's
// reduce, threshold and math expressions as Grafana computes them
// (backtest.EvaluatePackage, the evaluator the backtest replays the rules
// with). A query answering no day at all makes the whole rule no data,
// which fires only when its noDataState is Alerting; a NaN condition
// fires, as in Grafana. It returns the packages the rule fires for;
// packages, when given, replace the rules' lists.
func (e *env) evaluate(t *testing.T, r ruleT, now time.Time, packages []string) []string {
	t.Helper()
	rule := parsedRule(t, r.UID)
	series := map[string]map[string][]float64{}
	noData := false
	var pkgs []string
	for _, q := range r.Data {
		if q.DatasourceUID == "__expr__" {
			continue
		}
		got := e.seriesByPackage(t, q, now, packages)
		series[q.RefID] = got
		for p, v := range got {
			if len(v) == 0 {
				noData = true
			}
			if !slices.Contains(pkgs, p) {
				pkgs = append(pkgs, p)
			}
		}
	}
	slices.Sort(pkgs)
	if noData {
		if r.NoDataState == "Alerting" {
			return pkgs
		}
		return nil
	}
	var firing []string
	for _, p := range pkgs {
		v, err := backtest.EvaluatePackage(rule, func(ref string) []float64 { return series[ref][p] })
		if err != nil {
			t.Fatalf("rule %s for %s: %v", r.UID, p, err)
		}
		if v != 0 {
			firing = append(firing, p)
		}
	}
	return firing
}

// parsedRule is a provisioned rule as the backtest reads it.
func parsedRule(t *testing.T, uid string) backtest.GrafanaRule {
	t.Helper()
	rules, err := backtest.ReadGrafanaRules(filepath.Join(moduleRoot(t), dashboards.AlertRulesPath))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.UID == uid {
			return r
		}
	}
	t.Fatalf("no rule %s", uid)
	return backtest.GrafanaRule{}
}

func ruleByUID(t *testing.T, uid string) ruleT {
	t.Helper()
	for _, r := range provisionedRules(t) {
		if r.UID == uid {
			return r
		}
	}
	t.Fatalf("no rule %s in %s", uid, dashboards.AlertRulesPath)
	return ruleT{}
}

// The drop rule fires for the sample's drop package the morning after its
// drop and, since the baseline is the median of the same weekday over four
// weeks, still ten days into it, for no healthy package then; a weekend's
// dip is not a drop. (The sample goes on past that morning, so the rule's
// last day there is the simulated today, which holds the dropped level as
// well; on live data today is absent until loaded.)
func TestDropRuleFiresOnTheSampleDrop(t *testing.T) {
	e := plugin(t)
	r := ruleByUID(t, dashboards.DropRuleUID)
	q, _ := ruleData(r, "A")
	drop, day := sample.Drop(e.cfg.End)
	pkgs := append(modelPackages(q.Model), drop)
	morningAfter := day.Add(24*time.Hour + 9*time.Hour)
	if got := e.evaluate(t, r, morningAfter, pkgs); !slices.Equal(got, []string{drop}) {
		t.Errorf("the morning after %s's drop on %s the rule fires for %v, want [%s]", drop, day.Format(time.DateOnly), got, drop)
	}
	if got := e.evaluate(t, r, testNow(), pkgs); !slices.Equal(got, []string{drop}) {
		t.Errorf("at %s the rule fires for %v, want [%s] (the drop is %d days old, a third of the baseline's weeks)",
			testNow(), got, drop, sample.DropDaysBeforeEnd)
	}
	// A weekend's dip is not a drop: every evaluation of the last weeks
	// stays silent for the watched packages.
	for d := 1; d <= 28; d++ {
		now := e.cfg.EndDate().AddDate(0, 0, -d).Add(33 * time.Hour)
		if got := e.evaluate(t, r, now, modelPackages(q.Model)); len(got) != 0 {
			t.Errorf("at %s the rule fires for %v", now.Format(time.DateTime), got)
		}
	}
}

// The staleness rule stays quiet while days arrive, and fires for every
// package once no new day has come for StaleDays days.
func TestStaleRuleFiresWhenDataStops(t *testing.T) {
	e := plugin(t)
	r := ruleByUID(t, dashboards.StaleRuleUID)
	q, _ := ruleData(r, "A")
	pkgs := modelPackages(q.Model)
	end := e.cfg.EndDate()
	for _, c := range []struct {
		daysAfterEnd int
		fires        bool
	}{{1, false}, {dashboards.StaleDays, false}, {dashboards.StaleDays + 1, true}, {dashboards.StaleDays + 5, true}} {
		now := end.AddDate(0, 0, c.daysAfterEnd).Add(9 * time.Hour)
		got := e.evaluate(t, r, now, nil)
		want := []string(nil)
		if c.fires {
			want = slices.Sorted(slices.Values(pkgs))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d days after the last day of data the rule fires for %v, want %v", c.daysAfterEnd, got, want)
		}
	}
}

// Grafana expands $NAME in rule titles, labels and the like from its
// environment, but leaves models and annotations alone: the expressions'
// $B and the templates' $labels must sit only there.
func TestAlertRulesKeepDollarsWhereGrafanaLeavesThem(t *testing.T) {
	for _, r := range provisionedRules(t) {
		fields := map[string]string{"uid": r.UID, "title": r.Title, "condition": r.Condition,
			"noDataState": r.NoDataState, "execErrState": r.ExecErrState, "for": r.For}
		for k, v := range r.Labels {
			fields["labels."+k] = k + v
		}
		for name, v := range fields {
			if strings.Contains(v, "$") {
				t.Errorf("rule %s: %s %q holds a $, which Grafana would read as an environment variable", r.UID, name, v)
			}
		}
		if r.NoDataState == "" || r.ExecErrState == "" || r.For == "" {
			t.Errorf("rule %s: no-data %q, error %q, for %q: all must be chosen", r.UID, r.NoDataState, r.ExecErrState, r.For)
		}
		if r.Labels["package"] != "" || len(r.Labels) == 0 {
			t.Errorf("rule %s: labels %v", r.UID, r.Labels)
		}
		if _, ok := ruleData(r, r.Condition); !ok {
			t.Errorf("rule %s: condition %s is not one of its queries", r.UID, r.Condition)
		}
	}
}
