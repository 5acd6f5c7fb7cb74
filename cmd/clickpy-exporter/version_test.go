package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/buildstamp"
)

// Built as the mage targets build it, the exporter prints the version from
// package.json and the git revision in --version and publishes them in
// clickpy_exporter_build_info.
func TestVersionIsStamped(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	stamp, err := buildstamp.Read(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	if stamp.Version == "" || stamp.Revision == buildstamp.Unknown {
		t.Fatalf("stamp %+v: the test needs a git checkout", stamp)
	}
	bin := filepath.Join(t.TempDir(), "clickpy-exporter")
	if out, err := exec.Command("go", "build", "-ldflags", stamp.LDFlags(), "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the exporter: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	want := "clickpy-exporter, version " + stamp.Version + " (branch: " + stamp.Branch + ", revision: " + stamp.Revision + ")"
	if !strings.HasPrefix(string(out), want+"\n") || !strings.Contains(string(out), "build date:       "+stamp.BuildDate) {
		t.Errorf("--version printed\n%s\nwant it to start %q", out, want)
	}

	addr := freePort(t)
	cmd := exec.Command(bin, "--web.listen-address="+addr, "--clickhouse.url=http://"+closedPort(t), "--log.level=warn")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	var body string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if code, b, err := fetch("http://" + addr + "/metrics"); err == nil && code == 200 {
			body = b
			break
		}
	}
	info := regexp.MustCompile(`(?m)^clickpy_exporter_build_info\{(.*)\} 1$`).FindStringSubmatch(body)
	if info == nil {
		t.Fatalf("no clickpy_exporter_build_info in\n%s", body)
	}
	for _, label := range []string{`version="` + stamp.Version + `"`, `revision="` + stamp.Revision + `"`, `branch="` + stamp.Branch + `"`} {
		if !strings.Contains(info[1], label) {
			t.Errorf("build_info {%s} lacks %s", info[1], label)
		}
	}
}
