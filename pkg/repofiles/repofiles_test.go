package repofiles

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// No tracked file is a built executable.
func TestNoTrackedExecutables(t *testing.T) {
	git := hosttools.Require(t, "git")
	found, err := Executables(context.Background(), git, moduleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		slices.Sort(found)
		t.Errorf("tracked executables (git rm --cached them; .gitignore should keep them out):\n%s", strings.Join(found, "\n"))
	}
}

// What go build and the mage targets write at the top is ignored: each
// command built in the top directory, the commands' and the plugin's
// build directories.
func TestBuildOutputsAreIgnored(t *testing.T) {
	git := hosttools.Require(t, "git")
	root := moduleRoot(t)
	cmds, err := os.ReadDir(filepath.Join(root, "cmd"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"bin/clickpy-local", "dist/gpx_clickpy_pypi_linux_amd64", "gpx_clickpy_pypi_linux_amd64", "clickpy-local.exe"}
	for _, c := range cmds {
		if c.IsDir() {
			names = append(names, c.Name())
		}
	}
	not, err := Unignored(context.Background(), git, root, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(not) > 0 {
		t.Errorf(".gitignore does not cover these build outputs: %v", not)
	}
}

// In a scratch repository, a committed ELF file and a mode-755 file that
// is no script are found; a script and a text file are not.
func TestExecutablesFindsBinaries(t *testing.T) {
	git := hosttools.Require(t, "git")
	dir := t.TempDir()
	files := map[string]struct {
		data string
		mode os.FileMode
	}{
		"tool":      {"\x7fELF\x02\x01\x01" + strings.Repeat("\x00", 100), 0o755},
		"lib.dylib": {"\xcf\xfa\xed\xfe" + strings.Repeat("\x00", 100), 0o644},
		"noshebang": {"echo hi\n", 0o755},
		"run.sh":    {"#!/bin/sh\necho hi\n", 0o755},
		"README.md": {"MZ is a text file too\n", 0o644},
		"classfile": {"\xca\xfe\xba\xbe\x00\x00\x00\x34", 0o644},
		"app.exe":   {"MZ" + strings.Repeat("\x00", 0x3a) + "\x40\x00\x00\x00PE\x00\x00", 0o644},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.data), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}} {
		if out, err := exec.Command(git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	found, err := Executables(context.Background(), git, dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	want := []string{"app.exe (PE)", "lib.dylib (Mach-O)", "noshebang (mode 755 without a #! line)", "tool (ELF)"}
	if !slices.Equal(found, want) {
		t.Errorf("found %q, want %q", found, want)
	}
}
