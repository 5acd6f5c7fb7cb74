//go:build mage

// Build, test and demo targets. The plugin SDK's own build targets are
// imported under the "sdk" namespace (go tool mage -l lists them); ours are
// the two commands the README promises, demo and test, plus helpers.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"

	// mage:import sdk
	"github.com/grafana/grafana-plugin-sdk-go/build"

	"github.com/clickpy/clickpy-grafana/pkg/buildstamp"
	"github.com/clickpy/clickpy-grafana/pkg/chdbsupport"
	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
	"github.com/clickpy/clickpy-grafana/pkg/plugindist"
)

// Default builds the whole plugin into dist/ (Dist): the front end and the
// backend for every platform, checked.
var Default = Dist

const (
	chdbLib      = chdbsupport.RelPath
	binDir       = "bin"
	demoDataDir  = ".data/demo"
	demoListen   = "127.0.0.1:8123"
	demoExporter = "127.0.0.1:9716"
	testTimeout  = "25m"
	benchTimeout = "60m"
	// npmMarker is written by npm at the end of an install.
	npmMarker = "node_modules/.package-lock.json"
)

func init() {
	// plugin.json lives at the top of the repository, not in src/.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Tools installs the host programs the tests run (Debian's prometheus for
// prometheus and promtool, gzip, git) when they are missing, with apt-get
// (sudo -n when not root), saying what it installs. CLICKPY_NO_INSTALL=1
// installs nothing: a missing tool then fails with the command to run.
func Tools() error { return hosttools.Install(hosttools.ThisHost(), os.Stdout) }

// Deps installs the npm packages when they are missing, and fails, saying
// why and what to do instead, when the embedded ClickHouse library cannot
// be had here (it exists for Linux x86-64 only).
func Deps() error {
	if err := npmDeps(); err != nil {
		return err
	}
	return engineInstalled()
}

// npmDeps runs npm ci when node_modules is missing, older than
// package-lock.json, or lacks a front-end tool, or, where the embedded
// engine runs, its library (unless the tests use a real server). The
// install brings chDB (about 540 MB) and the front end's tools at once.
func npmDeps() error {
	reason := npmStale()
	if reason == "" {
		return nil
	}
	if os.Getenv(hosttools.NoInstallEnv) != "" {
		return fmt.Errorf("npm packages missing (%s) and %s is set: run npm ci", reason, hosttools.NoInstallEnv)
	}
	fmt.Printf("installing npm dependencies (%s; chDB alone is about 540 MB where it runs)\n", reason)
	return sh.RunV("npm", "ci", "--no-audit", "--no-fund")
}

// npmStale says why node_modules needs an install, or "" when it does not.
func npmStale() string {
	marker, err := os.Stat(npmMarker)
	if err != nil {
		return "node_modules is not installed"
	}
	if lock, err := os.Stat("package-lock.json"); err == nil && lock.ModTime().After(marker.ModTime()) {
		return "package-lock.json is newer than node_modules"
	}
	for _, t := range frontendTools() {
		if p := filepath.Join("node_modules", ".bin", t); !exists(p) {
			return p + " is missing"
		}
	}
	if chdbsupport.Runs(runtime.GOOS, runtime.GOARCH) && !exists(chdbLib) && os.Getenv(chdbsupport.TestURLEnv) == "" {
		return chdbLib + " is missing"
	}
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// engineInstalled fails with the advice for this machine when libchdb.so
// is missing.
func engineInstalled() error {
	if exists(chdbLib) {
		return nil
	}
	return fmt.Errorf("%s is missing. %s", chdbLib, chdbsupport.Advice(runtime.GOOS, runtime.GOARCH))
}

// chdbEnv names the embedded engine's library for the processes we start.
func chdbEnv() (map[string]string, error) {
	abs, err := filepath.Abs(chdbLib)
	if err != nil {
		return nil, fmt.Errorf("locating %s: %w", chdbLib, err)
	}
	return map[string]string{"CHDB_LIB_PATH": abs}, nil
}

// Binaries builds clickpy-local, the exporter and the other commands into
// bin/, stamped with the version from package.json and the git revision
// (--version, clickpy_exporter_build_info). They stay out of dist/, which
// is the plugin as Grafana loads and the catalogue packages it.
func Binaries() error {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", binDir, err)
	}
	stamp, err := buildstamp.Read(context.Background(), ".")
	if err != nil {
		return err
	}
	fmt.Printf("building the commands into %s/, version %s, revision %s\n", binDir, stamp.Version, stamp.Revision)
	return sh.RunV("go", "build", "-ldflags", stamp.LDFlags(), "-o", binDir+"/", "./cmd/...")
}

// Plugin builds the plugin for this machine into dist/, as Grafana loads
// it: the front end (webpack, which stamps plugin.json with the version and
// date and copies the README, CHANGELOG, LICENSE, images and bundled
// dashboards) and the backend, then checks the result.
func Plugin() error {
	if err := frontendBuild(); err != nil {
		return err
	}
	if err := (build.Build{}).Backend(); err != nil {
		return fmt.Errorf("building plugin backend: %w", err)
	}
	platforms := [][2]string{{runtime.GOOS, runtime.GOARCH}}
	if runtime.GOOS == "darwin" {
		// The SDK's Backend builds both Mac architectures.
		platforms = [][2]string{{"darwin", "arm64"}, {"darwin", "amd64"}}
	}
	return checkDist(platforms)
}

// frontendBuild runs the production webpack build into dist/.
func frontendBuild() error {
	if err := npmDeps(); err != nil {
		return err
	}
	if err := sh.RunV("npm", "run", "--silent", "build"); err != nil {
		return fmt.Errorf("building the front end: %w", err)
	}
	return nil
}

// Test runs the whole suite: formatting, vet, the Go tests against the
// embedded ClickHouse (or the server named by CLICKPY_TEST_CLICKHOUSE_URL;
// they include promtool's rule checks and tests), the front end's
// typecheck, lint and jest tests, and a short fuzzing pass. It first
// installs what it lacks (Tools, npm packages) and builds the plugin
// (checking dist/) and the commands.
func Test() error {
	if err := Tools(); err != nil {
		return err
	}
	if err := npmDeps(); err != nil {
		return err
	}
	pkgs := []string{"./..."}
	env := map[string]string{}
	if err := engineInstalled(); err != nil {
		url := os.Getenv(chdbsupport.TestURLEnv)
		if url == "" {
			return err
		}
		var left []string
		if pkgs, left, err = packagesWithoutEngine(); err != nil {
			return err
		}
		fmt.Printf("No embedded ClickHouse here: the integration tests use %s. Left out, as they load chDB "+
			"themselves: %s\n", chdbsupport.TestURLEnv, strings.Join(left, " "))
	} else if env, err = chdbEnv(); err != nil {
		return err
	}
	mg.SerialDeps(Plugin, Binaries)
	out, err := sh.Output("gofmt", "-l", ".")
	if err != nil {
		return fmt.Errorf("gofmt: %w", err)
	}
	if out = strings.TrimSpace(filterVendored(out)); out != "" {
		return fmt.Errorf("files need gofmt:\n%s", out)
	}
	if err := sh.RunV("go", "vet", "./..."); err != nil {
		return fmt.Errorf("go vet: %w", err)
	}
	if err := sh.RunWithV(env, "go", append([]string{"test", "-count=1", "-timeout", testTimeout}, pkgs...)...); err != nil {
		return err
	}
	if err := Frontend(); err != nil {
		return err
	}
	return Fuzz()
}

// packagesWithoutEngine splits the module's packages into those whose
// tests can run without libchdb.so and those that load it in the test
// process or a binary they build (chdb-go or pkg/chdblib among their
// test dependencies, or chdblib itself).
func packagesWithoutEngine() (keep, left []string, err error) {
	out, err := sh.Output("go", "list", "-test", "-f", "{{.ImportPath}}\t{{join .Deps \" \"}}", "./...")
	if err != nil {
		return nil, nil, fmt.Errorf("listing packages: %w", err)
	}
	const chdblib = "github.com/clickpy/clickpy-grafana/pkg/chdblib"
	needs := map[string]bool{}
	var order []string
	for _, line := range strings.Split(out, "\n") {
		path, deps, _ := strings.Cut(line, "\t")
		// Test variants are listed as "p [p.test]" and "p.test".
		f := strings.Fields(path)
		if len(f) == 0 {
			continue
		}
		pkg := strings.TrimSuffix(f[0], ".test")
		if _, seen := needs[pkg]; !seen {
			order = append(order, pkg)
			needs[pkg] = false
		}
		d := " " + deps + " "
		if pkg == chdblib || strings.Contains(d, " "+chdblib+" ") || strings.Contains(d, " github.com/chdb-io/chdb-go/") {
			needs[pkg] = true
		}
	}
	for _, p := range order {
		if needs[p] {
			left = append(left, p)
		} else {
			keep = append(keep, p)
		}
	}
	return keep, left, nil
}

// fuzzTarget is a fuzz test CI runs briefly, with its budget.
type fuzzTarget struct {
	pkg, name string
	// execs is counted, not timed: with a duration, Go 1.26's coordinator
	// can report its own deadline as a failure when a loaded machine
	// starves the workers at the boundary (go.dev/issue/75804, fixed in
	// 1.27). Each budget is about 12 s of fuzzing on a 2-core machine.
	execs string
}

// fuzzTargets are the fuzz tests CI runs briefly: parsing, SQL building and
// the check of viewers' SQL must never panic, whatever the query JSON or
// SQL holds.
func fuzzTargets() []fuzzTarget {
	return []fuzzTarget{
		{"./pkg/querymodel", "FuzzParse", "300000x"},
		{"./pkg/sqlbuild", "FuzzBuild", "50000x"},
		{"./pkg/sqlcheck", "FuzzCheck", "300000x"},
	}
}

// fuzzTimeout stops a run whose worker hangs: a count budget has no clock.
const fuzzTimeout = "5m"

// Fuzz runs each fuzz target for its budget of executions. FUZZTIME, when
// set, replaces every budget (a count such as 1000000x, or a duration).
func Fuzz() error {
	for _, t := range fuzzTargets() {
		budget := t.execs
		if d := os.Getenv("FUZZTIME"); d != "" {
			budget = d
		}
		if err := sh.RunV("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", budget, "-timeout", fuzzTimeout, t.pkg); err != nil {
			return fmt.Errorf("fuzzing %s in %s: %w", t.name, t.pkg, err)
		}
	}
	return nil
}

// Bench runs every benchmark of the module (README, Benchmarks, says what
// each measures). CLICKPY_BENCH_SET=demo runs the data-source benchmarks on
// the demo set instead of the test set; =bench runs view-vs-raw and rows
// read on the 50M bench set instead of the demo set.
func Bench() error {
	mg.SerialDeps(Deps, Plugin, Binaries)
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	return sh.RunWithV(env, "go", "test", "-run", "^$", "-bench", ".", "-benchmem",
		"-timeout", benchTimeout, "./...")
}

// Rowsread runs the rows-read benchmark alone (pkg/dashboards
// BenchmarkRowsRead, also part of bench): every dashboard panel's rows read
// by the plugin's SQL, the smallest covering table and the raw plan, on the
// demo set, or on the 50M-row bench set with CLICKPY_BENCH_SET=bench.
func Rowsread() error {
	mg.SerialDeps(Deps)
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	return sh.RunWithV(env, "go", "test", "./pkg/dashboards", "-run", "^$", "-bench", "^BenchmarkRowsRead$",
		"-benchtime", "1x", "-timeout", benchTimeout)
}

// Demo starts the embedded ClickHouse on the demo sample set (about 5M
// downloads) and, once it is loaded, the Prometheus exporter tracking the
// top 10 packages; both run until interrupted.
func Demo() error {
	mg.SerialDeps(Deps, Binaries)
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ready := demoDataDir + ".ready"
	_ = os.Remove(ready)
	local, err := startDemoProcess(env, filepath.Join(binDir, "clickpy-local"),
		"--listen", demoListen, "--data-dir", demoDataDir, "--sample", "demo", "--ready-file", ready)
	if err != nil {
		return err
	}
	defer local.stop()
	fmt.Printf("clickpy-local (pid %d) is loading the demo set into %s (about a minute the first time).\n",
		local.cmd.Process.Pid, demoDataDir)
	if err := waitForFile(ctx, ready, local.done); err != nil {
		return err
	}
	exporter, err := startDemoProcess(nil, filepath.Join(binDir, "clickpy-exporter"),
		"--config.file=prometheus/exporter.demo.yml", "--clickhouse.url=http://"+demoListen+"/pypi",
		"--web.listen-address="+demoExporter)
	if err != nil {
		return err
	}
	defer exporter.stop()
	fmt.Printf("\nClickHouse (embedded, ClickPy schema, demo data): http://%s, user default, no password, e.g.\n"+
		"  curl 'http://%s/?query=SELECT+project,sum(count)+FROM+pypi.pypi_downloads+GROUP+BY+1+ORDER+BY+2+DESC+LIMIT+10'\n"+
		"Prometheus exporter (top 10 packages): http://%s/metrics\n"+
		"Grafana data source settings for the plugin: host 127.0.0.1, port 8123, protocol http, database pypi.\n"+
		"Stop with Ctrl-C.\n", demoListen, demoListen, demoExporter)
	select {
	case err := <-local.done:
		return fmt.Errorf("clickpy-local exited: %w", err)
	case err := <-exporter.done:
		return fmt.Errorf("clickpy-exporter exited: %w", err)
	case <-ctx.Done():
		return nil
	}
}

// demoProcess is a child the demo started; stop ends that PID only.
type demoProcess struct {
	cmd  *exec.Cmd
	done chan error
}

func startDemoProcess(env map[string]string, bin string, args ...string) (*demoProcess, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &demoProcess{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	return p, nil
}

func (p *demoProcess) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func waitForFile(ctx context.Context, path string, exited <-chan error) error {
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited before it was ready: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func filterVendored(list string) string {
	var keep []string
	for _, f := range strings.Split(list, "\n") {
		if f != "" && !strings.HasPrefix(f, "node_modules/") {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, "\n")
}

// Clean removes build output (dist/, bin/) and the demo data directory.
func Clean() error {
	for _, p := range []string{"dist", binDir, ".data"} {
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", p, err)
		}
	}
	return nil
}

// frontendTools are the npm binaries the front-end targets run.
func frontendTools() []string {
	return []string{"tsc", "eslint", "jest", "webpack", "prettier"}
}

// Frontend checks the front end in src/: TypeScript (strict), eslint and
// prettier, and the jest tests. Installs the npm dependencies if needed.
func Frontend() error {
	if err := npmDeps(); err != nil {
		return err
	}
	for _, script := range []string{"typecheck", "lint", "test:ci"} {
		if err := sh.RunV("npm", "run", "--silent", script); err != nil {
			return fmt.Errorf("front end: npm run %s: %w", script, err)
		}
	}
	return nil
}

type distPlatform struct {
	name  string // os_arch
	build func() error
}

// distPlatforms are the backend builds Dist puts beside the front end; the
// environment variable DIST_PLATFORMS (e.g. "linux_amd64,darwin_arm64")
// narrows them.
func distPlatforms() ([]distPlatform, error) {
	b := build.Build{}
	all := []distPlatform{
		{"linux_amd64", b.Linux},
		{"linux_arm64", b.LinuxARM64},
		{"darwin_amd64", b.Darwin},
		{"darwin_arm64", b.DarwinARM64},
		{"windows_amd64", b.Windows},
	}
	only := strings.TrimSpace(os.Getenv("DIST_PLATFORMS"))
	if only == "" {
		return all, nil
	}
	var out []distPlatform
	for _, name := range strings.Split(only, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, p := range all {
			if p.name == name {
				out, found = append(out, p), true
			}
		}
		if !found {
			return nil, fmt.Errorf("DIST_PLATFORMS: unknown platform %q; use linux_amd64, linux_arm64, darwin_amd64, darwin_arm64 or windows_amd64", name)
		}
	}
	return out, nil
}

// Dist builds the whole plugin into dist/ as Grafana loads it (unsigned:
// allow it with allow_loading_unsigned_plugins = clickpy-pypi-datasource):
// the front end (webpack, production: module.js, plugin.json stamped, logo,
// screenshots, bundled dashboards, README, CHANGELOG, LICENSE) and the
// backend for linux amd64 and arm64, darwin amd64 and arm64, and windows
// amd64 (DIST_PLATFORMS narrows them), then checks the result.
func Dist() error {
	platforms, err := distPlatforms()
	if err != nil {
		return err
	}
	if err := frontendBuild(); err != nil {
		return err
	}
	var built [][2]string
	for _, p := range platforms {
		if err := p.build(); err != nil {
			return fmt.Errorf("building %s: %w", p.name, err)
		}
		goos, goarch, _ := strings.Cut(p.name, "_")
		built = append(built, [2]string{goos, goarch})
	}
	return checkDist(built)
}

// checkDist checks dist/ as Grafana and the plugin catalogue read it
// (pkg/plugindist), for the backends just built.
func checkDist(platforms [][2]string) error {
	stamp, err := buildstamp.Read(context.Background(), ".")
	if err != nil {
		return err
	}
	if err := plugindist.Check("dist", plugindist.Want{Version: stamp.Version, Platforms: platforms}); err != nil {
		return fmt.Errorf("dist/ is not a complete plugin:\n%w", err)
	}
	fmt.Printf("dist/ holds the plugin, version %s, checked (backends: %v)\n", stamp.Version, platforms)
	return nil
}

// Dashboards writes the Grafana dashboards (dashboards/*.json, and the
// plugin's bundled copies in src/dashboards) and alert rules
// (provisioning/alerting/clickpy-rules.yaml) from the builders in
// pkg/dashboards. Run it after changing them: a test fails when the
// committed files differ from what it writes.
func Dashboards() error {
	if err := sh.RunV("go", "run", "./cmd/clickpy-dashboards"); err != nil {
		return fmt.Errorf("generating dashboards: %w", err)
	}
	return nil
}

// backtestEnd fixes the backtest sample's last day, so its planted events
// and figures do not move with the calendar.
const backtestEnd = "2026-10-31"

// Backtest replays the drop alerts day by day over the whole history of a
// sample set (BACKTEST_SET: demo by default, or test) loaded into
// clickpy-local in .data/backtest-<set>, and prints each rule's recall,
// false alarms and delay (README, Alerting).
func Backtest() error {
	mg.SerialDeps(Deps, Binaries)
	set := os.Getenv("BACKTEST_SET")
	if set == "" {
		set = "demo"
	}
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	dir := ".data/backtest-" + set
	ready := dir + ".ready"
	_ = os.Remove(ready)
	local, err := startDemoProcess(env, filepath.Join(binDir, "clickpy-local"), "--listen", "127.0.0.1:0",
		"--data-dir", dir, "--sample", set, "--end-date", backtestEnd, "--ready-file", ready)
	if err != nil {
		return err
	}
	defer local.stop()
	if err := waitForFile(context.Background(), ready, local.done); err != nil {
		return err
	}
	addr, err := os.ReadFile(ready)
	if err != nil {
		return fmt.Errorf("reading %s: %w", ready, err)
	}
	return sh.RunV(filepath.Join(binDir, "clickpy-backtest"), "--clickhouse.url=http://"+strings.TrimSpace(string(addr))+"/pypi",
		"--sample="+set, "--end-date="+backtestEnd)
}
