package chdblib

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/chdbsupport"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// envWithoutLib is the test's environment minus CHDB_LIB_PATH, so the child
// has to find the library itself.
func envWithoutLib() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvVar+"=") {
			env = append(env, kv)
		}
	}
	return env
}

func buildFindlib(t *testing.T, outDir string) string {
	t.Helper()
	bin := filepath.Join(outDir, "findlib")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/findlib")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func run(t *testing.T, bin, cwd string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = cwd
	cmd.Env = envWithoutLib()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestBinaryFindsLibraryFromWorkingDir(t *testing.T) {
	root := repoRoot(t)
	want := filepath.Join(root, RelPath)
	if !isFile(want) {
		t.Fatalf("%s missing. %s", want, chdbsupport.Advice(runtime.GOOS, runtime.GOARCH))
	}
	bin := buildFindlib(t, t.TempDir())
	for _, cwd := range []string{root, filepath.Join(root, "pkg", "chdblib")} {
		out, err := run(t, bin, cwd)
		if err != nil {
			t.Fatalf("cwd %s: %v\n%s", cwd, err, out)
		}
		if out != "42\n"+want+"\n" {
			t.Fatalf("cwd %s: output %q", cwd, out)
		}
	}
}

func TestBinaryFindsLibraryFromExecutableDir(t *testing.T) {
	root := repoRoot(t)
	if !isFile(filepath.Join(root, RelPath)) {
		t.Fatalf("libchdb.so missing. %s", chdbsupport.Advice(runtime.GOOS, runtime.GOARCH))
	}
	// The binary has to live inside the repository for the walk from its
	// directory to reach node_modules.
	binDir, err := os.MkdirTemp(filepath.Join(root, "pkg", "chdblib", "testdata"), "bin-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(binDir)
	bin := buildFindlib(t, binDir)
	out, err := run(t, bin, t.TempDir())
	if err != nil || !strings.HasPrefix(out, "42\n") {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestBinaryWithoutLibraryFails(t *testing.T) {
	dir := t.TempDir()
	bin := buildFindlib(t, dir)
	out, err := run(t, bin, dir)
	if err == nil {
		t.Skipf("libchdb.so found outside the repository (system install?): %s", out)
	}
	if !strings.Contains(out, "libchdb") {
		t.Fatalf("failure does not name the library:\n%s", out)
	}
}

func TestFindHonoursEnv(t *testing.T) {
	f := filepath.Join(t.TempDir(), "libchdb.so")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvVar, f)
	if got, ok := Find(); !ok || got != f {
		t.Fatalf("Find = %q, %v", got, ok)
	}
}
