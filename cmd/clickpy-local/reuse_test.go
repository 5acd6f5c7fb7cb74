package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
)

// startLocal runs the built binary on loopback until it reports ready, and
// returns its address and the stop function (SIGTERM to this PID only).
func startLocal(t *testing.T, bin string, args ...string) (string, func() string) {
	t.Helper()
	return startWith(t, bin, nil, append(args, "--listen", "127.0.0.1:0")...)
}

// startWith is startLocal with extra environment variables and the
// caller's own --listen.
func startWith(t *testing.T, bin string, env []string, args ...string) (string, func() string) {
	t.Helper()
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	logPath := filepath.Join(dir, "log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append(args, "--ready-file", ready)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); logf.Close() }()
	readLog := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	stop := func() string {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return readLog()
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(ready); err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSpace(string(b)), stop
		}
		select {
		case err := <-done:
			t.Fatalf("clickpy-local exited: %v\n%s", err, readLog())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("clickpy-local not ready:\n%s", stop())
	return "", nil
}

func rawCount(t *testing.T, addr string) uint64 {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, Protocol: clickhouse.HTTP})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM pypi.pypi").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDataDirReusedWithoutReload(t *testing.T) {
	if os.Getenv(chtest.EnvURL) != "" {
		t.Log("also runs with a real server named: clickpy-local is what this tests")
	}
	bin, err := chtest.BuildLocal(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	args := []string{"--data-dir", data, "--sample", "test", "--seed", "3", "--end-date", "2026-06-30"}
	addr, stop := startLocal(t, bin, args...)
	first := rawCount(t, addr)
	log := stop()
	if first == 0 || !strings.Contains(log, "loaded sample") {
		t.Fatalf("first start loaded %d rows:\n%s", first, log)
	}
	addr, stop = startLocal(t, bin, args...)
	second := rawCount(t, addr)
	log = stop()
	if second != first {
		t.Fatalf("restart holds %d rows, first start %d", second, first)
	}
	if strings.Contains(log, "loading sample") || !strings.Contains(log, "reusing data") {
		t.Fatalf("restart loaded again:\n%s", log)
	}
}
