package embedded

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// testEngine is shared by the tests of this package: chDB runs one embedded
// server per process.
func testEngine(t *testing.T) *Engine {
	t.Helper()
	if sharedEngine == nil {
		t.Fatal("engine not open")
	}
	return sharedEngine
}

var sharedEngine *Engine

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "embedded-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	eng, err := Open(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer eng.Close()
	sharedEngine = eng
	return m.Run()
}
