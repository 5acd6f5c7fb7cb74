package chhttp

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// One engine and server for the whole test binary: chDB runs one embedded
// server per process.
var (
	testAddr   string
	testEngine *embedded.Engine
)

func testUsers() []User {
	return []User{
		{Name: "default"},
		{Name: "alice", Password: "s3cret"},
		{Name: "reader", Password: "r", Profile: embedded.Profile{Readonly: 2}},
		// A cap on rows read that truncates rather than fails, and that the
		// user may not lift, as public demo servers have.
		{Name: "demo", Password: "d", Profile: embedded.Profile{Readonly: 2, Settings: []embedded.Setting{
			{Name: "max_rows_to_read", Value: "5"}, {Name: "read_overflow_mode", Value: "break"}},
			Constant: []string{"max_rows_to_read", "read_overflow_mode"}}},
		{Name: "locked", Password: "l", Profile: embedded.Profile{Readonly: 1}},
		{Name: "tuned", Password: "t", Profile: embedded.Profile{Settings: []embedded.Setting{{Name: "max_threads", Value: "1"}}}},
		// An administrator given host access, as clickpy-local's default user
		// with --allow-host-access.
		{Name: "root", Password: "h", HostAccess: true},
	}
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "chhttp-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	eng, err := embedded.Open(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer eng.Close()
	srv, err := Start(ctx, Config{Addr: "127.0.0.1:0", Users: testUsers()}, eng)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Shutdown(ctx)
	testAddr, testEngine = srv.Addr(), eng
	return m.Run()
}

// openConn connects clickhouse-go over HTTP, as the Grafana plugin does.
func openConn(t *testing.T, user, password string, opts ...func(*clickhouse.Options)) driver.Conn {
	t.Helper()
	o := &clickhouse.Options{
		Addr:     []string{testAddr},
		Protocol: clickhouse.HTTP,
		Auth:     clickhouse.Auth{Username: user, Password: password},
	}
	for _, f := range opts {
		f(o)
	}
	conn, err := clickhouse.Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
