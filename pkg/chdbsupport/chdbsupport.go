// Package chdbsupport says where the embedded ClickHouse engine (chDB's
// libchdb.so, from an npm package) can run and, where it is missing, what
// to do instead. The demo (Magefile), the integration-test harness
// (pkg/chtest) and the library finder (pkg/chdblib) all say it this way.
//
// It imports only strings, so pkg/chdblib can use it without changing
// when it initializes (see that package).
package chdbsupport

import "strings"

// NPMPackage is the npm package holding libchdb.so: built for Linux on
// x86-64 with glibc only, so package.json lists it as optional and npm
// skips it everywhere else.
const NPMPackage = "@chdb/lib-linux-x64-gnu"

// RelPath is where npm puts the library, relative to the directory holding
// node_modules.
const RelPath = "node_modules/" + NPMPackage + "/libchdb.so"

// TestURLEnv names a real ClickHouse server for the integration tests,
// which then need no embedded engine.
const TestURLEnv = "CLICKPY_TEST_CLICKHOUSE_URL"

// Runs tells whether the library exists for goos/goarch (Go's names).
func Runs(goos, goarch string) bool { return goos == "linux" && goarch == "amd64" }

// Advice explains a missing library on goos/goarch and names the ways on:
// installing it where it runs, else Docker or a real server.
func Advice(goos, goarch string) string {
	ways := "Without it, run the whole stack in Docker (`go tool mage dist && docker compose up`, README: Docker) " +
		"or run the tests against a ClickHouse server: " +
		TestURLEnv + "=http://user:password@host:8123 go tool mage test."
	if Runs(goos, goarch) {
		return strings.Join([]string{
			"npm installs it as an optional dependency (" + NPMPackage + "), which `npm ci --omit=optional`, " +
				"`npm ci --no-optional` or omit=optional in .npmrc skip, and which needs glibc (not musl).",
			"Install it with `npm ci --include=optional` in the repository, or set CHDB_LIB_PATH to a libchdb.so.",
			ways,
		}, " ")
	}
	return "The embedded ClickHouse engine (chDB's libchdb.so, npm " + NPMPackage + ") is built for Linux on x86-64 only; " +
		"this machine is " + goos + "/" + goarch + ", so npm skipped it. " + ways
}
