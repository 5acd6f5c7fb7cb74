package backtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/promslog"

	"github.com/clickpy/clickpy-grafana/pkg/backtest"
	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
	"github.com/clickpy/clickpy-grafana/pkg/exporter"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// env is the test set in a ClickHouse, the data source instance on it, and
// one backtest of the provisioned and previous rules, shared by the tests.
type env struct {
	srv   *chtest.Server
	inst  *datasource.Instance
	truth sample.Truth
	res   *backtest.Result
	cfg   backtest.Config
}

func sampleConfig() sample.Config {
	return sample.Config{Seed: 1, End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), Size: sample.SizeTest}
}

// Rule names in the report.
const (
	grafanaDrop     = "Grafana clickpy-downloads-drop (provisioned)"
	grafanaOldDrop  = "Grafana clickpy-downloads-drop (7-day mean, before)"
	grafanaStale    = "Grafana clickpy-data-stale (provisioned)"
	promDrop        = "Prometheus ClickPyPackageDownloadsDropped"
	promOldDrop     = "Prometheus ClickPyPackageDownloadsDropped (7-day mean, before)"
	promStale       = "Prometheus ClickPyDataStale"
	provisionedPath = "provisioning/alerting/clickpy-rules.yaml"
)

// packagesUnderTest are the top 60, every package with a planted event,
// and a spread of the tail: every rule that can fire fires among them,
// and the test stays at a few seconds of queries.
func packagesUnderTest(t sample.Truth) []string {
	pkgs := slices.Clone(t.Packages[:60])
	add := func(p string) {
		if !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	for _, d := range t.Events.Drops {
		add(d.Package)
	}
	for _, d := range t.Events.Declines {
		add(d.Package)
	}
	add(t.Drop)
	for r := 100; r <= len(t.Packages); r += 100 {
		add(t.Packages[r-1])
	}
	return pkgs
}

func start(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{}
	var err error
	cfg := sampleConfig()
	if e.truth, err = sample.Expect(cfg); err != nil {
		t.Fatal(err)
	}
	e.srv, _ = chtest.StartTB(t, chtest.Config{Sample: "test", Seed: cfg.Seed, End: cfg.End, Database: "clickpy_test_backtest"})
	host, port, _ := net.SplitHostPort(e.srv.Options.Addr[0])
	p, _ := strconv.Atoi(port)
	proto := "native"
	if e.srv.Options.Protocol == clickhouse.HTTP {
		proto = "http"
	}
	jd, _ := json.Marshal(map[string]any{"host": host, "port": p, "protocol": proto, "secure": e.srv.Options.TLS != nil,
		"username": e.srv.Options.Auth.Username, "database": e.srv.Database, "queryTimeout": "2m", "cacheTTL": "0s"})
	e.inst, err = datasource.NewInstance(ctx, backend.DataSourceInstanceSettings{UID: "backtest", JSONData: jd,
		DecryptedSecureJSONData: map[string]string{"password": e.srv.Options.Auth.Password}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.inst.Dispose)
	root, err := chtest.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = backtest.Config{Truth: e.truth, Packages: packagesUnderTest(e.truth),
		PromRules: []backtest.PromRule{backtest.PreviousPromDropRule(), backtest.PromDropRule()}}
	for _, f := range []struct{ src, path string }{{"provisioned", filepath.Join(root, provisionedPath)},
		{"7-day mean, before", filepath.Join("testdata", "rules-7day-mean.yaml")}} {
		src, path := f.src, f.path
		rules, err := backtest.ReadGrafanaRules(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if src == "provisioned" || !r.Freshness() {
				e.cfg.GrafanaRules = append(e.cfg.GrafanaRules, backtest.NamedGrafanaRule{Source: src, Rule: r})
			}
		}
	}
	if e.res, err = backtest.Run(ctx, e.inst, e.cfg); err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		_ = backtest.WriteFigures(os.Stdout, e.res.Figures)
	}
	return e
}

// TestBacktest holds the rules to the goal on the test set, as
// numbers, and checks that the replay is what the data source and the
// exporter would have answered.
func TestBacktest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse and loads the test set")
	}
	e := start(t)
	t.Run("goal", e.testGoal)
	t.Run("previous rules fail as the backtest says", e.testPrevious)
	t.Run("staleness", e.testStaleness)
	t.Run("replayed windows are the data source's answers", e.testWindows)
	t.Run("replayed metrics are the exporter's", e.testExporter)
	t.Run("the Prometheus rule is its Go mirror", e.testPromtool)
}

func (e *env) score(t *testing.T, name string) backtest.Score {
	t.Helper()
	s, ok := e.res.Drop[name]
	if !ok {
		t.Fatalf("no score %q; have %v", name, e.res.Drop)
	}
	return s
}

// On the test set only the top tier (5 to 50 downloads a day) is large
// enough for a halving to stand out of the noise; the goal is asserted
// there, and false alarms everywhere.
func (e *env) testGoal(t *testing.T) {
	for _, name := range []string{grafanaDrop, promDrop} {
		s := e.score(t, name)
		c, n := s.Recall(func(o backtest.Outcome) bool { return backtest.GoalDrop(o) && o.Tier == "top" }, 2)
		if n < 10 || c != n {
			t.Errorf("%s: %d of %d top-tier drops of 50%% or more lasting 2 days or more caught within 2 days, want all", name, c, n)
		}
		for _, tier := range append(backtest.Tiers(), "") {
			if r, fn, y := s.FalsePerPackageYear(tier, backtest.ScenarioOf(e.truth).Rank); r >= 1 || (tier == "top" && y < 10) {
				t.Errorf("%s: %.2f false alarms per package-year in tier %q (%d in %.1f years), want under 1", name, r, tier, fn, y)
			}
		}
		if hol, stall, _ := s.FalseIn(); hol != 0 || stall != 0 {
			t.Errorf("%s: %d false alarms judging holidays and %d judging the stall, want none", name, hol, stall)
		}
		for _, o := range s.Outcomes {
			if o.Kind != backtest.KindDrop && !o.Caught {
				t.Errorf("%s: the %s of %s was not caught", name, o.Kind, o.Package)
			}
		}
	}
}

// The rules before: the 7-day mean fires on the stall's partial day and
// on holidays, which the backtest must see (or it could not fail).
func (e *env) testPrevious(t *testing.T) {
	for _, name := range []string{grafanaOldDrop, promOldDrop} {
		s := e.score(t, name)
		_, stall, _ := s.FalseIn()
		if stall == 0 {
			t.Errorf("%s: no false alarm on the stall's partial day", name)
		}
		rNew, _, _ := e.score(t, grafanaDrop).FalsePerPackageYear("top", backtest.ScenarioOf(e.truth).Rank)
		if rOld, _, _ := s.FalsePerPackageYear("top", backtest.ScenarioOf(e.truth).Rank); rOld <= rNew {
			t.Errorf("%s: %.2f false alarms per package-year in the top tier, no more than the new rule's %.2f", name, rOld, rNew)
		}
	}
}

func (e *env) testStaleness(t *testing.T) {
	for _, name := range []string{grafanaStale, promStale} {
		s, ok := e.res.Stale[name]
		if !ok {
			t.Fatalf("no staleness score %q", name)
		}
		if !s.Fired || s.Delay > 4 || s.False != 0 || !s.Cleared {
			t.Errorf("%s: %+v; want it to fire within 4 days of the stall, stop after it, and never elsewhere", name, s)
		}
	}
}

// A replayed window is what the rule's query answers for that window
// asked on its own: checked for each data query of the provisioned drop
// rule on a planted drop's day, a holiday, the stall's partial day and an
// ordinary day.
func (e *env) testWindows(t *testing.T) {
	var rule backtest.GrafanaRule
	for _, r := range e.cfg.GrafanaRules {
		if r.Source == "provisioned" && !r.Rule.Freshness() {
			rule = r.Rule
		}
	}
	ev := e.truth.Events
	var drop sample.PlantedDrop
	for _, d := range ev.Drops {
		if d.Tier == "top" && d.Days >= 3 {
			drop = d
			break
		}
	}
	days := []time.Time{drop.Start.AddDate(0, 0, 2), ev.Holidays[1].Date.AddDate(0, 0, 1), ev.Stall.Partial.AddDate(0, 0, 1),
		e.truth.End.AddDate(0, 0, -30)}
	pkgs := []string{drop.Package, "requests", sample.DeclinePackage}
	hist := e.res.History
	for _, day := range days {
		for _, q := range rule.Queries() {
			lo, hi, ok := hist.Window(q, day)
			if !ok {
				t.Fatalf("%s: no window for %s", day.Format(time.DateOnly), q.RefID)
			}
			m := map[string]any{}
			for k, v := range q.Model {
				m[k] = v
			}
			m["packages"] = pkgs
			raw, _ := json.Marshal(m)
			resp, err := e.inst.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
				RefID: "W", QueryType: fmt.Sprint(m["queryType"]), JSON: raw, MaxDataPoints: 100, Interval: time.Hour,
				TimeRange: backend.TimeRange{From: lo, To: hi.Add(23 * time.Hour)}}}})
			if err != nil || resp.Responses["W"].Error != nil {
				t.Fatalf("%v %v", err, resp.Responses["W"].Error)
			}
			f := resp.Responses["W"].Frames[0]
			for _, fl := range f.Fields[1:] {
				p := fl.Labels["package"]
				want := hist.Series(q.Model, p)[hist.Index(lo) : hist.Index(hi)+1]
				if fl.Len() != len(want) {
					t.Errorf("%s %s %s: %d days asked alone, %d replayed", day.Format(time.DateOnly), q.RefID, p, fl.Len(), len(want))
					continue
				}
				for i := range want {
					got := math.NaN()
					if _, ok := fl.ConcreteAt(i); ok {
						got, _ = fl.FloatAt(i)
					}
					if !(got == want[i] || math.IsNaN(got) && math.IsNaN(want[i]) || math.Abs(got-want[i]) < 1e-9*math.Abs(want[i])) {
						t.Errorf("%s %s %s day %d: %v asked alone, %v replayed", day.Format(time.DateOnly), q.RefID, p, i, got, want[i])
					}
				}
			}
		}
	}
}

// The metrics the Prometheus rules are replayed on are the exporter's:
// its loader as of a planted drop's day, a holiday, the stall's partial
// day and an ordinary day gives the same numbers.
func (e *env) testExporter(t *testing.T) {
	ev := e.truth.Events
	var drop sample.PlantedDrop
	for _, d := range ev.Drops {
		if d.Tier == "top" && d.Days == 2 {
			drop = d
			break
		}
	}
	conn, err := e.srv.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cfg := exporter.DefaultConfig()
	cfg.Database = e.srv.Database
	cfg.Packages = []string{drop.Package, "requests", sample.DeclinePackage, sample.DropPackage, "no-such-package"}
	cfg.TopPackages = 0
	loader := exporter.NewLoader(conn, cfg, promslog.NewNopLogger())
	hist := e.res.History
	for _, last := range []time.Time{drop.Last(), ev.Holidays[1].Date, ev.Stall.Partial, e.truth.End.AddDate(0, 0, -30)} {
		snap, err := loader.AsOf(last).Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !snap.LastDay.Equal(last) {
			t.Fatalf("loaded as of %s, got %s", last.Format(time.DateOnly), snap.LastDay.Format(time.DateOnly))
		}
		k := hist.Index(last) + 1
		for _, ps := range snap.Packages {
			m, ok := hist.ExporterMetrics(ps.Name, k)
			if ps.Name == "no-such-package" {
				continue
			}
			if !ok {
				t.Fatalf("no replayed metrics for %s on %s", ps.Name, last.Format(time.DateOnly))
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{
				{"last_day", float64(ps.LastDay), m.LastDay}, {"last_2d", float64(ps.Last2Days), m.Last2Days},
				{"prior_7d", float64(ps.Prior7Days), m.Prior7Days},
				{"expected_last_day", ps.Baseline.ExpectedLastDay, m.ExpectedLastDay},
				{"expected_last_2d", ps.Baseline.ExpectedLast2Days, m.ExpectedLast2Days},
				{"noise_ratio", ps.Baseline.NoiseRatio, m.NoiseRatio},
			} {
				if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) || math.IsNaN(c.got) != math.IsNaN(c.want) {
					t.Errorf("%s as of %s: exporter %s %v, replay %v", ps.Name, last.Format(time.DateOnly), c.name, c.got, c.want)
				}
			}
		}
	}
}
