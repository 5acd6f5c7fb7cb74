package main

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
)

// rulesDir holds the alerting and recording rules shipped with the
// exporter, and their promtool tests.
func rulesDir() string { return filepath.Join("..", "..", "prometheus") }

// promtool checks and tests the rules, so go test ./... covers them as
// go tool mage test does.
func TestPromtoolRules(t *testing.T) {
	promtool := hosttools.Require(t, "promtool")
	rules, err := filepath.Glob(filepath.Join(rulesDir(), "*.rules.yml"))
	if err != nil || len(rules) == 0 {
		t.Fatalf("no rule files in %s: %v", rulesDir(), err)
	}
	tests, err := filepath.Glob(filepath.Join(rulesDir(), "tests", "*.test.yml"))
	if err != nil || len(tests) == 0 {
		t.Fatalf("no rule tests in %s/tests: %v", rulesDir(), err)
	}
	for _, args := range [][]string{
		append([]string{"check", "rules"}, rules...),
		append([]string{"test", "rules"}, tests...),
		{"check", "config", filepath.Join(rulesDir(), "prometheus.example.yml")},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %v: %v\n%s", args[:2], err, out)
		}
	}
}
