package buildstamp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
)

func TestReadAndLDFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "x", "version": "1.2.3", "dependencies": {"y": {"version": "9"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Read(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// Not a repository: git cannot tell.
	if s.Version != "1.2.3" || s.Revision != Unknown || s.Branch != Unknown || !strings.Contains(s.BuildUser, "@") || len(s.BuildDate) != 17 {
		t.Errorf("stamp %+v", s)
	}
	s.BuildUser = "a b@host"
	flags := s.LDFlags()
	for _, want := range []string{
		"-X github.com/prometheus/common/version.Version=1.2.3",
		"-X github.com/prometheus/common/version.Revision=unknown",
		"-X github.com/prometheus/common/version.BuildUser=a_b@host",
	} {
		if !strings.Contains(flags, want) {
			t.Errorf("ldflags %q lack %q", flags, want)
		}
	}
}

func TestReadInARepository(t *testing.T) {
	git := hosttools.Require(t, "git")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"version": "0.9.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"init", "-q", "-b", "release"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "x"},
	} {
		if out, err := exec.Command(git, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	head, err := exec.Command(git, "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Read(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Revision != strings.TrimSpace(string(head)) || s.Branch != "release" || s.Version != "0.9.0" {
		t.Errorf("stamp %+v, HEAD %s", s, head)
	}
}

func TestReadRefusesAMissingVersion(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(context.Background(), dir); err == nil {
		t.Error("a package.json without a version was accepted")
	}
}
