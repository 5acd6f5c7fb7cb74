package plugindist

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), "go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	write(t, to, b, mode)
}

func write(t *testing.T, to string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

var linux = Want{Version: "1.2.3", Platforms: [][2]string{{"linux", "amd64"}}}

// fakeDist lays out what the build writes, from the repository's own
// plugin.json (stamped as webpack stamps it), images and bundled
// dashboards; the front end and the backend are stand-ins.
func fakeDist(t *testing.T) string {
	t.Helper()
	root, dir := moduleRoot(t), t.TempDir()
	pj, err := os.ReadFile(filepath.Join(root, "plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	pj = bytes.ReplaceAll(bytes.ReplaceAll(pj, []byte("%VERSION%"), []byte("1.2.3")), []byte("%TODAY%"), []byte("2026-12-01"))
	write(t, filepath.Join(dir, "plugin.json"), pj, 0o644)
	m, err := ReadManifest(filepath.Join(dir, "plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{m.Info.Logos.Small, m.Info.Logos.Large} {
		copyFile(t, filepath.Join(root, "src", rel), filepath.Join(dir, rel), 0o644)
	}
	for _, s := range m.Info.Screenshots {
		copyFile(t, filepath.Join(root, "src", s.Path), filepath.Join(dir, s.Path), 0o644)
	}
	for _, inc := range m.Includes {
		copyFile(t, filepath.Join(root, "src", inc.Path), filepath.Join(dir, inc.Path), 0o644)
	}
	for _, rel := range []string{"module.js", "README.md", "CHANGELOG.md", "LICENSE", "go_plugin_build_manifest"} {
		write(t, filepath.Join(dir, rel), []byte("x\n"), 0o644)
	}
	write(t, filepath.Join(dir, ExecutableFile(m.Executable, "linux", "amd64")), []byte("\x7fELF"), 0o755)
	return dir
}

func TestCheckPassesACompleteBuild(t *testing.T) {
	if err := Check(fakeDist(t), linux); err != nil {
		t.Fatal(err)
	}
}

// Each way a dist/ has gone wrong is reported, naming the file.
func TestCheckFindsEachFault(t *testing.T) {
	m, err := ReadManifest(filepath.Join(moduleRoot(t), "plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	exe := ExecutableFile(m.Executable, "linux", "amd64")
	cases := map[string]struct {
		spoil func(dir string)
		want  string
	}{
		"plugin.json copied unstamped": {func(dir string) {
			copyFile(t, filepath.Join(moduleRoot(t), "plugin.json"), filepath.Join(dir, "plugin.json"), 0o644)
		}, "%VERSION%"},
		"no backend":           {func(dir string) { os.Remove(filepath.Join(dir, exe)) }, exe + " is missing"},
		"backend not runnable": {func(dir string) { os.Chmod(filepath.Join(dir, exe), 0o644) }, exe + " is not executable"},
		"no front end":         {func(dir string) { os.Remove(filepath.Join(dir, "module.js")) }, "module.js is missing"},
		"no README":            {func(dir string) { os.Remove(filepath.Join(dir, "README.md")) }, "README.md is missing"},
		"no LICENSE":           {func(dir string) { os.Remove(filepath.Join(dir, "LICENSE")) }, "LICENSE is missing"},
		"no CHANGELOG":         {func(dir string) { os.Remove(filepath.Join(dir, "CHANGELOG.md")) }, "CHANGELOG.md is missing"},
		"a screenshot missing": {func(dir string) { os.Remove(filepath.Join(dir, m.Info.Screenshots[0].Path)) }, m.Info.Screenshots[0].Path + " is missing"},
		"a dashboard missing":  {func(dir string) { os.Remove(filepath.Join(dir, m.Includes[0].Path)) }, m.Includes[0].Path + " is missing"},
		"a provisioned dashboard bundled": {func(dir string) {
			copyFile(t, filepath.Join(moduleRoot(t), dashboards.OverviewPath), filepath.Join(dir, "dashboards", "overview.json"), 0o644)
		}, `uid "clickpy", not one of its __inputs`},
		"commands inside":  {func(dir string) { write(t, filepath.Join(dir, "bin", "clickpy-local"), []byte("x"), 0o755) }, "bin exists"},
		"README unstamped": {func(dir string) { write(t, filepath.Join(dir, "README.md"), []byte("v%VERSION%\n"), 0o644) }, "README.md still holds %VERSION%"},
	}
	for name, c := range cases {
		dir := fakeDist(t)
		c.spoil(dir)
		err := Check(dir, linux)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
	if err := Check(fakeDist(t), Want{Version: "9.9.9", Platforms: linux.Platforms}); err == nil || !strings.Contains(err.Error(), `"9.9.9"`) {
		t.Errorf("a version other than package.json's: %v", err)
	}
}

// The top-level plugin.json bundles exactly the dashboards the generator
// writes for the plugin, each under its title, and names screenshots and
// logos that exist in src/, which the front-end build copies to dist/.
func TestSourcePluginJSON(t *testing.T) {
	root := moduleRoot(t)
	m, err := ReadManifest(filepath.Join(root, "plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range m.CheckInfo() {
		t.Error(err)
	}
	var names []string
	for _, l := range m.Info.Links {
		names = append(names, l.Name)
	}
	for _, want := range []string{"Documentation", "License", "Source", "Issues"} {
		if !slices.Contains(names, want) {
			t.Errorf("plugin.json has no %s link (links %v)", want, names)
		}
	}
	files, err := dashboards.Files()
	if err != nil {
		t.Fatal(err)
	}
	var bundled []string
	for _, f := range files {
		if path.Dir(f.Path) == dashboards.PluginDashboardDir {
			bundled = append(bundled, strings.TrimPrefix(f.Path, "src/"))
		}
	}
	var included []string
	for _, inc := range m.Includes {
		if inc.Type != "dashboard" {
			continue
		}
		included = append(included, inc.Path)
		b, err := os.ReadFile(filepath.Join(root, "src", inc.Path))
		if err != nil {
			t.Errorf("include %s: %v", inc.Path, err)
			continue
		}
		if err := checkDashboard(b, inc.Name, m.ID); err != nil {
			t.Errorf("include %s: %v", inc.Path, err)
		}
	}
	slices.Sort(bundled)
	slices.Sort(included)
	if !slices.Equal(bundled, included) {
		t.Errorf("plugin.json includes dashboards %v, the generator bundles %v", included, bundled)
	}
	for _, s := range m.Info.Screenshots {
		b, err := os.ReadFile(filepath.Join(root, "src", s.Path))
		if err != nil || !isImage(b) {
			t.Errorf("screenshot %s: %v (not an image in src/)", s.Path, err)
		}
	}
}
