// Command clickpy-dashboards writes ClickPy's Grafana dashboards
// (dashboards/*.json, provisioned, and src/dashboards/*.json, bundled with
// the plugin) and alert rules (provisioning/alerting/) from the builders in
// pkg/dashboards. go tool mage dashboards runs it from the
// module root; --check reports stale files instead of writing them.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "clickpy-dashboards:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("clickpy-dashboards", flag.ContinueOnError)
	fs.SetOutput(out)
	dir := fs.String("dir", ".", "module root to write dashboards/, src/dashboards/ and provisioning/alerting/ under")
	check := fs.Bool("check", false, "only compare: fail when a file differs from what would be written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	files, err := dashboards.Files()
	if err != nil {
		return err
	}
	if *check {
		return checkFiles(*dir, files, out)
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(*dir, f.Path), f.Data); err != nil {
			return err
		}
		fmt.Fprintln(out, "wrote", f.Path)
	}
	return nil
}

// staleFiles lists the generated files whose content on disk differs (or that
// are missing).
func staleFiles(dir string, files []dashboards.File) ([]string, error) {
	var stale []string
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join(dir, f.Path))
		if errors.Is(err, os.ErrNotExist) {
			stale = append(stale, f.Path+" (missing)")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.Path, err)
		}
		if !bytes.Equal(have, f.Data) {
			stale = append(stale, f.Path)
		}
	}
	return stale, nil
}

func checkFiles(dir string, files []dashboards.File, out io.Writer) error {
	stale, err := staleFiles(dir, files)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return fmt.Errorf("out of date, run go tool mage dashboards: %s", strings.Join(stale, ", "))
	}
	fmt.Fprintf(out, "%d files up to date\n", len(files))
	return nil
}

// writeFile replaces the file whole, through a temporary file, so Grafana
// polling the directory never reads half a dashboard.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
