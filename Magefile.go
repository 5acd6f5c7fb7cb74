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
	"strings"
	"syscall"
	"time"

	"github.com/magefile/mage/mg"
	"github.com/magefile/mage/sh"

	// mage:import sdk
	"github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default builds the plugin backend for every platform Grafana runs on.
var Default = build.BuildAll

const (
	chdbLib      = "node_modules/@chdb/lib-linux-x64-gnu/libchdb.so"
	binDir       = "dist/bin"
	demoDataDir  = ".data/demo"
	demoListen   = "127.0.0.1:8123"
	testTimeout  = "25m"
	benchTimeout = "60m"
)

func init() {
	// plugin.json lives at the top of the repository, not in src/.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Deps installs the npm packages (the embedded ClickHouse library) when
// they are missing.
func Deps() error {
	if _, err := os.Stat(chdbLib); err == nil {
		return nil
	}
	fmt.Println("installing npm dependencies (chDB, about 540 MB)")
	return sh.RunV("npm", "ci", "--no-audit", "--no-fund")
}

// chdbEnv names the embedded engine's library for the processes we start.
func chdbEnv() (map[string]string, error) {
	abs, err := filepath.Abs(chdbLib)
	if err != nil {
		return nil, fmt.Errorf("locating %s: %w", chdbLib, err)
	}
	return map[string]string{"CHDB_LIB_PATH": abs}, nil
}

// Binaries builds clickpy-local and the other commands into dist/bin.
func Binaries() error {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", binDir, err)
	}
	return sh.RunV("go", "build", "-o", binDir+"/", "./cmd/...")
}

// Plugin builds the plugin backend for this machine into dist/ with
// plugin.json beside it, as Grafana loads it.
func Plugin() error {
	if err := (build.Build{}).Backend(); err != nil {
		return fmt.Errorf("building plugin backend: %w", err)
	}
	return sh.Copy("dist/plugin.json", "plugin.json")
}

// Test runs the whole suite: formatting, vet, the Go tests against the
// embedded ClickHouse (or the server named by CLICKPY_TEST_CLICKHOUSE_URL)
// and a short fuzzing pass.
func Test() error {
	mg.SerialDeps(Deps, Plugin, Binaries)
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
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	if err := sh.RunWithV(env, "go", "test", "-count=1", "-timeout", testTimeout, "./..."); err != nil {
		return err
	}
	return Fuzz()
}

// fuzzTargets are the fuzz tests CI runs briefly: parsing and SQL building
// must never panic, whatever the query JSON holds.
func fuzzTargets() [][2]string {
	return [][2]string{
		{"./pkg/querymodel", "FuzzParse"},
		{"./pkg/sqlbuild", "FuzzBuild"},
	}
}

// Fuzz runs each fuzz target for a short while (FUZZTIME, default 15s).
func Fuzz() error {
	d := os.Getenv("FUZZTIME")
	if d == "" {
		d = "15s"
	}
	for _, t := range fuzzTargets() {
		if err := sh.RunV("go", "test", "-run", "^$", "-fuzz", "^"+t[1]+"$", "-fuzztime", d, t[0]); err != nil {
			return fmt.Errorf("fuzzing %s in %s: %w", t[1], t[0], err)
		}
	}
	return nil
}

// Bench runs the benchmarks against the demo-sized sample set.
func Bench() error {
	mg.SerialDeps(Deps, Plugin, Binaries)
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	env["CLICKPY_BENCH"] = "1"
	return sh.RunWithV(env, "go", "test", "-run", "^$", "-bench", ".", "-benchmem",
		"-timeout", benchTimeout, "./...")
}

// Demo starts the embedded ClickHouse on the demo sample set (about 5M
// downloads) and keeps it running until interrupted.
func Demo() error {
	mg.SerialDeps(Deps, Binaries)
	env, err := chdbEnv()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := exec.Command(filepath.Join(binDir, "clickpy-local"),
		"--listen", demoListen, "--data-dir", demoDataDir, "--sample", "demo")
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting clickpy-local: %w", err)
	}
	fmt.Printf("clickpy-local (pid %d) is loading the demo set into %s; it prints when ready.\n"+
		"Reach it at http://%s (user default, no password), e.g.\n"+
		"  curl 'http://%s/?query=SELECT+project,sum(count)+FROM+pypi.pypi_downloads+GROUP+BY+1+ORDER+BY+2+DESC+LIMIT+10'\n"+
		"Stop with Ctrl-C.\n", cmd.Process.Pid, demoDataDir, demoListen, demoListen)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return fmt.Errorf("clickpy-local exited: %w", err)
	case <-ctx.Done():
		// Stop only the process we started, and give it time to flush.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return nil
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

// Clean removes build output and the demo data directory.
func Clean() error {
	for _, p := range []string{"dist", ".data"} {
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", p, err)
		}
	}
	return nil
}
