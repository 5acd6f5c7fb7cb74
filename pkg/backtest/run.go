package backtest

import (
	"context"
	"fmt"
	"slices"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// Config is one backtest: the sample the data source holds, the rules to
// replay and the packages to replay them for.
type Config struct {
	Truth sample.Truth
	// GrafanaRules are replayed through the data source; Source names
	// the file each came from in the report.
	GrafanaRules []NamedGrafanaRule
	// PromRules are replayed on the exporter's metrics.
	PromRules []PromRule
	// Packages default to every package of the sample.
	Packages []string
	// WarmupDays are skipped at the start: a baseline needs the weeks
	// before the first judged day.
	WarmupDays int
}

// NamedGrafanaRule is a rule and where it came from.
type NamedGrafanaRule struct {
	Source string
	Rule   GrafanaRule
}

// DefaultWarmupDays covers the longest baseline (four weeks) with a
// week to spare.
const DefaultWarmupDays = 35

// Result is a backtest's figures and the scores behind them.
type Result struct {
	Figures []Figure
	Drop    map[string]Score
	Stale   map[string]StaleScore
	History *History
}

// Run fetches the history once and replays every rule on it.
func Run(ctx context.Context, h Handler, cfg Config) (*Result, error) {
	pkgs := cfg.Packages
	if len(pkgs) == 0 {
		pkgs = cfg.Truth.Packages
	}
	warm := cfg.WarmupDays
	if warm == 0 {
		warm = DefaultWarmupDays
	}
	models := ExporterModels()
	for _, r := range cfg.GrafanaRules {
		for _, q := range r.Rule.Queries() {
			models = append(models, q.Model)
		}
	}
	hist, err := FetchHistory(ctx, h, models, pkgs, cfg.Truth.Start, cfg.Truth.End)
	if err != nil {
		return nil, err
	}
	sc := ScenarioOf(cfg.Truth)
	first, last := warm, hist.Days
	res := &Result{Drop: map[string]Score{}, Stale: map[string]StaleScore{}, History: hist}
	for _, r := range cfg.GrafanaRules {
		name := fmt.Sprintf("Grafana %s (%s)", r.Rule.UID, r.Source)
		f, err := hist.ReplayGrafana(r.Rule, first, last)
		if err != nil {
			return nil, err
		}
		if r.Rule.Freshness() {
			// Freshness is judged on the packages the rule watches: a
			// package downloaded once a week has empty days without any
			// stall.
			watched := Firings{}
			for _, p := range r.Rule.Watched() {
				if fs, ok := f[p]; ok {
					watched[p] = fs
				}
			}
			s := hist.ScoreStale(name, AnyFires(watched), sc, first, last)
			res.Stale[name] = s
			res.Figures = append(res.Figures, s.Figures()...)
			continue
		}
		s := hist.ScoreRule(name, f, sc, first, last)
		res.Drop[name] = s
		res.Figures = append(res.Figures, s.Figures(sc.Rank)...)
	}
	for _, r := range cfg.PromRules {
		name := "Prometheus " + r.Name
		s := hist.ScoreRule(name, hist.ReplayProm(r, first, last), sc, first, last)
		res.Drop[name] = s
		res.Figures = append(res.Figures, s.Figures(sc.Rank)...)
	}
	name := "Prometheus ClickPyDataStale"
	s := hist.ScoreStale(name, hist.PromStaleFires, sc, first, last)
	res.Stale[name] = s
	res.Figures = append(res.Figures, s.Figures()...)
	return res, nil
}

// DropScores are the drop rules' scores in report order.
func (r *Result) DropScores() []Score {
	var out []Score
	for _, k := range sortedKeys(r.Drop) {
		out = append(out, r.Drop[k])
	}
	return slices.Clip(out)
}
