// Package chdblib points chdb-go at the libchdb.so that npm installed.
//
// chdb-go's chdb-purego package dlopens libchdb in its own init() and panics
// when it cannot, so the path must be in CHDB_LIB_PATH before that init runs,
// which is before main. Go (1.21+) initializes packages in import-path order,
// taking the first one whose imports are all initialized. This package imports
// only packages that os/exec (an import of chdb-purego) also imports, so it is
// always ready, and taken, before chdb-purego: blank-import it from any package
// that imports chdb-go.
//
// Keep the imports to os, path/filepath, runtime, strings and
// pkg/chdbsupport (which imports only strings): adding one that chdb-purego
// does not already depend on (fmt, for instance) can let chdb-purego
// initialize first.
package chdblib

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/chdbsupport"
)

// EnvVar is the variable chdb-purego reads the library path from.
const EnvVar = "CHDB_LIB_PATH"

// RelPath is where the @chdb/lib-linux-x64-gnu npm package puts the library,
// relative to the directory holding node_modules.
const RelPath = chdbsupport.RelPath

// init is the one place this project sets process state at package load:
// it has to happen before chdb-purego's init, which nothing later can precede.
func init() {
	if os.Getenv(EnvVar) != "" {
		return
	}
	if p, ok := Find(); ok {
		_ = os.Setenv(EnvVar, p)
		return
	}
	if !inSystemDirs() {
		// chdb-purego is about to panic with a bare dlopen error; say where
		// the library was looked for, and how to get it or do without.
		_, _ = os.Stderr.WriteString("chdblib: libchdb.so not found; looked for " +
			strings.Join(Candidates(), ", ") + " and in the system library directories. " +
			chdbsupport.Advice(runtime.GOOS, runtime.GOARCH) + "\n")
	}
}

// inSystemDirs tells whether the dynamic loader could find libchdb.so
// without help, in which case chdb-purego succeeds on its own.
func inSystemDirs() bool {
	dirs := []string{"/usr/local/lib", "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib/x86_64-linux-gnu"}
	dirs = append(dirs, filepath.SplitList(os.Getenv("LD_LIBRARY_PATH"))...)
	for _, d := range dirs {
		if d != "" && isFile(filepath.Join(d, "libchdb.so")) {
			return true
		}
	}
	return false
}

// Find looks for libchdb.so: CHDB_LIB_PATH if it names a file, then RelPath
// under the working directory and each of its parents, then the same from the
// executable's directory. It reports false when none exists.
func Find() (string, bool) {
	if p := os.Getenv(EnvVar); p != "" && isFile(p) {
		return p, true
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		starts = append(starts, filepath.Dir(exe))
	}
	for _, start := range starts {
		if p, ok := walkUp(start); ok {
			return p, true
		}
	}
	return "", false
}

// Candidates lists every path Find would try, for error messages that tell
// the user where the library was looked for.
func Candidates() []string {
	var out []string
	if p := os.Getenv(EnvVar); p != "" {
		out = append(out, p)
	}
	if wd, err := os.Getwd(); err == nil {
		out = append(out, filepath.Join(wd, RelPath)+" (and in each parent directory)")
	}
	if exe, err := os.Executable(); err == nil {
		out = append(out, filepath.Join(filepath.Dir(exe), RelPath)+" (and in each parent directory)")
	}
	return out
}

func walkUp(dir string) (string, bool) {
	dir = filepath.Clean(dir)
	for {
		p := filepath.Join(dir, filepath.FromSlash(RelPath))
		if isFile(p) {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir || strings.TrimSpace(parent) == "" {
			return "", false
		}
		dir = parent
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
