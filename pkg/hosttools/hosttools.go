// Package hosttools knows the programs the test suite runs from the host
// (Prometheus, promtool, gzip, git), which package brings each, and how
// go tool mage test installs the missing ones. Tests call Require, which
// fails (never skips) with the command that installs a missing tool.
package hosttools

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// NoInstallEnv, when set to anything but empty, keeps go tool mage test
// from installing anything: what is missing fails with the command that
// installs it.
const NoInstallEnv = "CLICKPY_NO_INSTALL"

// Tool is a program a test runs.
type Tool struct {
	// Name is the executable looked up on PATH.
	Name string
	// Debian is the Debian (and Ubuntu) package holding it, Homebrew the
	// macOS formula.
	Debian, Homebrew string
	// UsedBy says which tests need it.
	UsedBy string
}

// Tools are every host program a test runs (Go, Node and npm aside, which
// the README asks for).
func Tools() []Tool {
	return []Tool{
		{"prometheus", "prometheus", "prometheus", "the exporter's end-to-end scrape test (cmd/clickpy-exporter)"},
		{"promtool", "prometheus", "prometheus", "rule checks and tests, promtool check metrics (cmd/clickpy-exporter)"},
		{"gzip", "gzip", "gzip", "the exporter's gzip exposition test (pkg/exporter)"},
		{"git", "git", "git", "the checks that no tracked file is a built binary (pkg/repofiles), build stamps (pkg/buildstamp)"},
	}
}

// Lookup finds a tool by name in Tools.
func Lookup(name string) (Tool, bool) {
	i := slices.IndexFunc(Tools(), func(t Tool) bool { return t.Name == name })
	if i < 0 {
		return Tool{}, false
	}
	return Tools()[i], true
}

// InstallHint is the command that installs the tool.
func (t Tool) InstallHint() string {
	return fmt.Sprintf("apt-get install -y %s (Debian, Ubuntu; go tool mage test installs it), or brew install %s (macOS)",
		t.Debian, t.Homebrew)
}

// Require returns the tool's path, or fails tb with the command that
// installs it.
func Require(tb testing.TB, name string) string {
	tb.Helper()
	t, ok := Lookup(name)
	if !ok {
		tb.Fatalf("hosttools: %s is not a known tool; add it to Tools", name)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		tb.Fatalf("%s is not installed; it is needed by %s. Install it: %s", name, t.UsedBy, t.InstallHint())
	}
	return p
}

// Missing lists the tools not found on PATH.
func Missing() []Tool {
	var out []Tool
	for _, t := range Tools() {
		if _, err := exec.LookPath(t.Name); err != nil {
			out = append(out, t)
		}
	}
	return out
}

// debianPackages are the distinct packages bringing tools, in order.
func debianPackages(tools []Tool) []string {
	var out []string
	for _, t := range tools {
		if !slices.Contains(out, t.Debian) {
			out = append(out, t.Debian)
		}
	}
	return out
}

// Host is what Install needs to know about the machine, so tests can give
// it another.
type Host struct {
	// Root is true when running as root; otherwise sudo -n is used.
	Root bool
	// Has tells whether a program is on PATH.
	Has    func(name string) bool
	Getenv func(string) string
}

// ThisHost is the machine mage runs on.
func ThisHost() Host {
	return Host{
		Root:   os.Geteuid() == 0,
		Has:    func(name string) bool { _, err := exec.LookPath(name); return err == nil },
		Getenv: os.Getenv,
	}
}

// InstallCommands are the commands that install the Debian packages of
// missing, with sudo when not root, or an error saying why they cannot run
// here and what to run instead.
func InstallCommands(h Host, missing []Tool) ([][]string, error) {
	if len(missing) == 0 {
		return nil, nil
	}
	pkgs := debianPackages(missing)
	var names []string
	for _, t := range missing {
		names = append(names, t.Name)
	}
	manual := "apt-get install -y " + strings.Join(pkgs, " ")
	switch {
	case h.Getenv(NoInstallEnv) != "":
		return nil, fmt.Errorf("%s not installed and %s is set, so nothing is installed: run %s",
			strings.Join(names, ", "), NoInstallEnv, manual)
	case !h.Has("apt-get"):
		var brew []string
		for _, t := range missing {
			if !slices.Contains(brew, t.Homebrew) {
				brew = append(brew, t.Homebrew)
			}
		}
		return nil, fmt.Errorf("%s not installed, and this machine has no apt-get to install them: install %s "+
			"(macOS: brew install %s)", strings.Join(names, ", "), strings.Join(pkgs, ", "), strings.Join(brew, " "))
	}
	var prefix []string
	if !h.Root {
		if !h.Has("sudo") {
			return nil, fmt.Errorf("%s not installed; not root and no sudo: as root, run %s", strings.Join(names, ", "), manual)
		}
		// -n: fail rather than wait for a password nobody is asked for.
		prefix = []string{"sudo", "-n"}
	}
	return [][]string{
		append(slices.Clone(prefix), "apt-get", "update", "-qq"),
		append(append(slices.Clone(prefix), "apt-get", "install", "-y", "-qq", "--no-install-recommends"), pkgs...),
	}, nil
}

// Install installs the missing tools' packages, saying what it installs
// and why on w, and checks they are then found.
func Install(h Host, w io.Writer) error {
	missing := Missing()
	cmds, err := InstallCommands(h, missing)
	if err != nil || len(cmds) == 0 {
		return err
	}
	for _, t := range missing {
		fmt.Fprintf(w, "installing Debian's %s for %s: %s\n", t.Debian, t.Name, t.UsedBy)
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "+ %s\n", strings.Join(c, " "))
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		cmd.Stdout, cmd.Stderr = w, w
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w (run it yourself, or set %s to install nothing)", strings.Join(c, " "), err, NoInstallEnv)
		}
	}
	var still []string
	for _, t := range Missing() {
		still = append(still, t.Name)
	}
	if len(still) > 0 {
		return errors.New("still not on PATH after installing: " + strings.Join(still, ", "))
	}
	return nil
}
