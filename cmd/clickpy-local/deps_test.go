package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The engine library is 540 MB and Linux-only: only clickpy-local may link
// chdb-go. The plugin and the exporter ship to users' Grafana and hosts.
func TestOnlyClickpyLocalLinksChdb(t *testing.T) {
	root := filepath.Join("..", "..")
	binaries := []string{"./pkg", "./cmd/clickpy-schema"}
	if _, err := os.Stat(filepath.Join(root, "cmd", "clickpy-exporter")); err == nil {
		binaries = append(binaries, "./cmd/clickpy-exporter")
	}
	for _, b := range binaries {
		cmd := exec.Command("go", "list", "-deps", b)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", b, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s listed only %d packages", b, len(deps))
		}
		for _, d := range deps {
			if strings.HasPrefix(d, "github.com/chdb-io/") || strings.HasSuffix(d, "/pkg/embedded") || strings.HasSuffix(d, "/pkg/chdblib") {
				t.Errorf("%s depends on %s", b, d)
			}
		}
	}
	// And the check can fail: clickpy-local itself does link it.
	cmd := exec.Command("go", "list", "-deps", "./cmd/clickpy-local")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "github.com/chdb-io/chdb-go") {
		t.Fatalf("clickpy-local does not list chdb-go (%v); the check above proves nothing", err)
	}
}
