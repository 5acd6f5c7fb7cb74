package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

// The program writes every file Files renders, and --check then passes.
func TestWritesThenChecks(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"--dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	files, err := dashboards.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, f.Data) {
			t.Errorf("%s: written content differs", f.Path)
		}
		if !strings.Contains(out.String(), "wrote "+f.Path) {
			t.Errorf("output does not mention %s:\n%s", f.Path, out.String())
		}
	}
	if err := run([]string{"--dir", dir, "--check"}, &out); err != nil {
		t.Errorf("--check after writing: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "dashboards", ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// --check names each file that is stale or missing, and fails.
func TestCheckFailsOnDrift(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"--dir", dir}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dashboards.PackagePath), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, dashboards.AlertRulesPath)); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"--dir", dir, "--check"}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("--check passed with a changed and a missing file")
	}
	for _, want := range []string{dashboards.PackagePath, dashboards.AlertRulesPath + " (missing)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// The committed files are what the program writes: the check CI runs.
func TestCommittedFilesAreCurrent(t *testing.T) {
	root, err := chtest.ModuleRoot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"--dir", root, "--check"}, &bytes.Buffer{}); err != nil {
		t.Error(err)
	}
}

func TestRejectsArguments(t *testing.T) {
	if err := run([]string{"extra"}, &bytes.Buffer{}); err == nil {
		t.Error("a stray argument was accepted")
	}
	if err := run([]string{"--nope"}, &bytes.Buffer{}); err == nil {
		t.Error("an unknown flag was accepted")
	}
}
