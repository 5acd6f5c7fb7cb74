package dashboards_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

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

// reduceSeries is Grafana's Reduce expression in strict mode.
func reduceSeries(reducer string, vals []float64) float64 {
	switch reducer {
	case "last":
		if len(vals) == 0 {
			return math.NaN()
		}
		return vals[len(vals)-1]
	case "mean", "sum":
		s := 0.0
		for _, v := range vals {
			s += v
		}
		if reducer == "sum" {
			return s
		}
		if len(vals) == 0 {
			return math.NaN()
		}
		return s / float64(len(vals))
	}
	panic("reducer " + reducer)
}

// evaluate runs a rule at now the way Grafana would for the expressions
// these rules use (reduce; threshold lt/gt; math of the form
// "$X < k * $Y && $Y >= m") and returns the packages it fires for.
// packages, when given, replace the rules' lists.
func (e *env) evaluate(t *testing.T, r ruleT, now time.Time, packages []string) []string {
	t.Helper()
	values := map[string]map[string]float64{}
	series := map[string]map[string][]float64{}
	for _, q := range r.Data {
		ref := q.RefID
		switch q.Model["type"] {
		case nil:
			series[ref] = e.seriesByPackage(t, q, now, packages)
		case "reduce":
			in := series[q.Model["expression"].(string)]
			values[ref] = map[string]float64{}
			for p, v := range in {
				values[ref][p] = reduceSeries(q.Model["reducer"].(string), v)
			}
		case "threshold":
			in := values[q.Model["expression"].(string)]
			conds := q.Model["conditions"].([]any)
			ev := conds[0].(map[string]any)["evaluator"].(map[string]any)
			limit := toFloat(ev["params"].([]any)[0])
			values[ref] = map[string]float64{}
			for p, v := range in {
				fire := (ev["type"] == "lt" && v < limit) || (ev["type"] == "gt" && v > limit)
				values[ref][p] = boolFloat(fire)
			}
		case "math":
			m := regexp.MustCompile(`^\$(\w+) < ([\d.]+) \* \$(\w+) && \$(\w+) >= ([\d.]+)$`).
				FindStringSubmatch(q.Model["expression"].(string))
			if m == nil || m[3] != m[4] {
				t.Fatalf("rule %s: math %q is not of the form this test evaluates", r.UID, q.Model["expression"])
			}
			k, _ := strconv.ParseFloat(m[2], 64)
			floor, _ := strconv.ParseFloat(m[5], 64)
			values[ref] = map[string]float64{}
			for p, x := range values[m[1]] {
				y := values[m[3]][p]
				values[ref][p] = boolFloat(x < k*y && y >= floor)
			}
		default:
			t.Fatalf("rule %s: expression type %v", r.UID, q.Model["type"])
		}
	}
	var firing []string
	for p, v := range values[r.Condition] {
		if v != 0 && !math.IsNaN(v) {
			firing = append(firing, p)
		}
	}
	slices.Sort(firing)
	return firing
}

func toFloat(v any) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
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
// drop, for no healthy package then, and for none once the lower level
// has become the package's normal. (The sample goes on past that morning,
// so the rule's last day there is the simulated today, which holds the
// dropped level as well; on live data today is absent until loaded.)
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
	if got := e.evaluate(t, r, testNow(), pkgs); len(got) != 0 {
		t.Errorf("at %s the rule fires for %v, want none (the drop is %d days old)", testNow(), got, sample.DropDaysBeforeEnd)
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
