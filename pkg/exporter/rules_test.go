package exporter

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Record string `yaml:"record"`
			Alert  string `yaml:"alert"`
			Expr   string `yaml:"expr"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// The rules in prometheus/ must only use metrics the exporter publishes
// (with every breakdown on) and recording rules defined there: a renamed
// metric would otherwise leave an alert that silently never fires.
func TestRulesUseExporterMetrics(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "prometheus", "*.rules.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files found: %v", err)
	}
	cfg := DefaultConfig()
	for _, d := range Dimensions() {
		cfg.Breakdowns = append(cfg.Breakdowns, Breakdown{d, 1, DefaultOther})
	}
	known := MetricNames(cfg)
	var records, exprs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rf ruleFile
		if err := yaml.Unmarshal(b, &rf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Record != "" {
					records = append(records, r.Record)
				}
				exprs = append(exprs, r.Expr)
			}
		}
	}
	// Recording rules are named level:metric:operations.
	name := regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	used := map[string]bool{}
	for _, e := range exprs {
		for _, n := range name.FindAllString(e, -1) {
			if regexp.MustCompile(`(^|:)clickpy_`).MatchString(n) {
				used[n] = true
			}
		}
	}
	if len(used) < 5 {
		t.Fatalf("found only %v in the rules; the scan is broken", used)
	}
	for n := range used {
		if !slices.Contains(known, n) && !slices.Contains(records, n) {
			t.Errorf("the rules use %s, which neither the exporter nor a recording rule defines", n)
		}
	}
	for _, must := range []string{MetricLastDay, MetricLast2Days, MetricExpectedDay, MetricExpected2Days, MetricNoiseRatio, MetricDataLastDay, MetricUp} {
		if !used[must] {
			t.Errorf("no rule uses %s", must)
		}
	}
}
