package main

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
)

func connectAs(t *testing.T, addr, user, password string) driver.Conn {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Protocol: clickhouse.HTTP,
		Auth: clickhouse.Auth{Username: user, Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func exceptionCode(err error) int32 {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return ex.Code
	}
	return 0
}

// readHostFile runs file() on path through conn and returns its content.
func readHostFile(conn driver.Conn, path string) (string, error) {
	var s string
	err := conn.QueryRow(context.Background(), "SELECT * FROM file({p:String}, 'RawBLOB')",
		clickhouse.Named("p", path)).Scan(&s)
	return s, err
}

// The passwords given to clickpy-local do not come back through SQL: not
// through the process's environment or command line, not for the read-only
// user, not for the admin unless --allow-host-access says so.
func TestPasswordsNotReadableThroughSQL(t *testing.T) {
	bin, err := chtest.BuildLocal(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const adminPassword, readerPassword = "admin-pw-7f3a", "reader-pw-91c2"
	pwFile := filepath.Join(t.TempDir(), "reader-password")
	if err := os.WriteFile(pwFile, []byte(readerPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{passwordEnv + "=" + adminPassword}
	args := []string{"--listen", "127.0.0.1:0", "--data-dir", filepath.Join(t.TempDir(), "data"),
		"--readonly-user", "grafana", "--readonly-password-file", pwFile}

	addr, stop := startWith(t, bin, env, args...)
	admin := connectAs(t, addr, "default", adminPassword)
	reader := connectAs(t, addr, "grafana", readerPassword)
	for _, who := range []struct {
		name string
		conn driver.Conn
	}{{"admin", admin}, {"reader", reader}} {
		for _, path := range []string{"/proc/self/environ", "/proc/self/cmdline", pwFile} {
			got, err := readHostFile(who.conn, path)
			if exceptionCode(err) != 497 {
				t.Errorf("%s read %s: %v %q", who.name, path, err, got)
			}
		}
		var n uint8
		if err := who.conn.QueryRow(context.Background(), "SELECT 1").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%s cannot query at all: %v", who.name, err)
		}
	}
	stop()

	// With host access the admin reads host files (the check above can
	// fail); the read-only user still cannot.
	addr, stop = startWith(t, bin, env, append(args, "--allow-host-access")...)
	defer stop()
	admin = connectAs(t, addr, "default", adminPassword)
	reader = connectAs(t, addr, "grafana", readerPassword)
	if got, err := readHostFile(admin, pwFile); err != nil || strings.TrimSpace(got) != readerPassword {
		t.Fatalf("admin with --allow-host-access read %q, %v", got, err)
	}
	environ, err := readHostFile(admin, "/proc/self/environ")
	if err != nil {
		t.Fatal(err)
	}
	// os.Unsetenv clears the process's variable but not the kernel's copy
	// of the initial environment: that is why the fence above matters.
	t.Logf("/proc/self/environ still holds %s after Unsetenv: %v", passwordEnv, strings.Contains(environ, passwordEnv+"="))
	for _, path := range []string{"/proc/self/environ", pwFile} {
		if got, err := readHostFile(reader, path); exceptionCode(err) != 497 {
			t.Errorf("reader with --allow-host-access read %s: %v %q", path, err, got)
		}
	}
}

// --listen :0 binds loopback only.
func TestListenPortOnlyIsLoopback(t *testing.T) {
	bin, err := chtest.BuildLocal(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	addr, stop := startWith(t, bin, nil, "--listen", ":0", "--data-dir", filepath.Join(t.TempDir(), "data"))
	log := stop()
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("--listen :0 bound %q", addr)
	}
	if strings.Contains(log, "every interface") {
		t.Fatalf("warned about every interface:\n%s", log)
	}
}
