package hosttools

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func host(root bool, has ...string) Host {
	return Host{Root: root, Has: func(n string) bool { return slices.Contains(has, n) }, Getenv: func(string) string { return "" }}
}

func TestInstallCommands(t *testing.T) {
	prom, _ := Lookup("prometheus")
	promtool, _ := Lookup("promtool")
	gz, _ := Lookup("gzip")
	missing := []Tool{prom, promtool, gz}

	cmds, err := InstallCommands(host(true, "apt-get"), missing)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"apt-get", "update", "-qq"},
		{"apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus", "gzip"},
	}
	if !slices.EqualFunc(cmds, want, slices.Equal) {
		t.Errorf("as root: %q, want %q (one package for prometheus and promtool)", cmds, want)
	}

	cmds, err = InstallCommands(host(false, "apt-get", "sudo"), missing[:1])
	if err != nil || len(cmds) != 2 || cmds[1][0] != "sudo" || cmds[1][1] != "-n" {
		t.Errorf("as a user with sudo: %q, %v", cmds, err)
	}

	for name, h := range map[string]Host{
		"no apt-get":       host(true),
		"no root, no sudo": host(false, "apt-get"),
		"opted out":        {Root: true, Has: func(string) bool { return true }, Getenv: func(k string) string { return map[string]string{NoInstallEnv: "1"}[k] }},
	} {
		_, err := InstallCommands(h, missing)
		if err == nil || !strings.Contains(err.Error(), "prometheus") || !strings.Contains(err.Error(), "install") {
			t.Errorf("%s: %v, want an error naming the package and how to install it", name, err)
		}
	}
	if cmds, err := InstallCommands(host(true, "apt-get"), nil); cmds != nil || err != nil {
		t.Errorf("nothing missing: %q, %v", cmds, err)
	}
}

// Require fails, never skips, and says how to install the tool.
func TestRequireFailsWithTheInstallCommand(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	rec := &recorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		Require(rec, "promtool")
	}()
	if rec.skipped || !rec.failed || !strings.Contains(rec.msg, "apt-get install -y prometheus") {
		t.Errorf("failed %v, skipped %v, message %q", rec.failed, rec.skipped, rec.msg)
	}
}

// recorder catches Fatalf and Skipf without ending the test.
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed, r.msg = true, fmt.Sprintf(format, args...)
	panic("fatal")
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped, r.msg = true, fmt.Sprintf(format, args...)
	panic("skip")
}
