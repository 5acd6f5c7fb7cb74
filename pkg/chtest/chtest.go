// Package chtest gives integration tests a ClickHouse holding the ClickPy
// schema and a sample set: by default a clickpy-local process it builds and
// starts on loopback, or the real server named by CLICKPY_TEST_CLICKHOUSE_URL
// (any clickhouse-go DSN, e.g. http://user:pass@host:8123 or
// clickhouse://user:pass@host:9000?secure=true).
package chtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chdbsupport"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// EnvURL names a real ClickHouse server to run the integration tests on.
const EnvURL = chdbsupport.TestURLEnv

const (
	readyTimeout = 3 * time.Minute
	stopTimeout  = 30 * time.Second
)

// Config chooses the sample set a test needs.
type Config struct {
	// Sample is test, demo, bench or none.
	Sample string
	Seed   uint64
	// End is the last day with data; zero means yesterday (UTC).
	End time.Time
	// Database is used on a real server, where each test package needs its
	// own; clickpy-local always gets a fresh data directory.
	Database string
	// Args are extra clickpy-local flags (users, for instance).
	Args []string
	// DataDir, when set, keeps clickpy-local's data there across runs
	// (benchmarks reuse a loaded demo set); a relative one is under the
	// module root. Otherwise a temp dir is used.
	DataDir string
	// DemoUser, when set, is a read-only user with settings it may not
	// change, as public demo servers have: clickpy-local flags, or CREATE
	// USER on a real server (whose test user then needs access management).
	DemoUser *DemoUser
}

// DemoUser is a read-only user whose settings are constant.
type DemoUser struct {
	Name, Password string
	// Settings are its profile, e.g. max_rows_to_read and
	// read_overflow_mode, in order; each is a CONST constraint.
	Settings [][2]string
}

// Server is a running ClickHouse with the schema and sample loaded.
type Server struct {
	// Options connect to the server over HTTP (clickpy-local) or as the
	// DSN says (real server); Database is set to the sample's database.
	Options  clickhouse.Options
	Database string
	// Real is true when the tests run on a server named by EnvURL.
	Real bool
	// Addr is clickpy-local's host:port.
	Addr string

	cmd     *exec.Cmd
	dir     string
	exited  chan struct{}
	waitErr error
}

// Start returns a server for the config, started or connected.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.End.IsZero() {
		cfg.End = sample.DefaultEnd()
	}
	if cfg.Sample == "" {
		cfg.Sample = "test"
	}
	if url := os.Getenv(EnvURL); url != "" {
		return startReal(ctx, url, cfg)
	}
	return startLocal(ctx, cfg)
}

func startReal(ctx context.Context, url string, cfg Config) (*Server, error) {
	opts, err := clickhouse.ParseDSN(url)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", EnvURL, err)
	}
	if cfg.Database == "" {
		cfg.Database = "clickpy_test"
	}
	if err := schema.ValidateIdentifier("database", cfg.Database); err != nil {
		return nil, err
	}
	admin := *opts
	admin.Auth.Database = "default"
	conn, err := clickhouse.Open(&admin)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", EnvURL, err)
	}
	defer conn.Close()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+cfg.Database+" SYNC"); err != nil {
		return nil, fmt.Errorf("dropping test database %s: %w", cfg.Database, err)
	}
	if err := schema.Apply(ctx, schema.ExecWith(conn), schema.Options{Database: cfg.Database}); err != nil {
		return nil, err
	}
	if cfg.Sample != "none" {
		size, err := sample.ParseSize(cfg.Sample)
		if err != nil {
			return nil, err
		}
		if _, err := sample.Load(ctx, conn, cfg.Database, sample.Config{Seed: cfg.Seed, End: cfg.End, Size: size}); err != nil {
			return nil, fmt.Errorf("loading the %s sample: %w", cfg.Sample, err)
		}
	}
	if u := cfg.DemoUser; u != nil {
		if err := createDemoUser(ctx, conn, cfg.Database, u); err != nil {
			return nil, err
		}
	}
	opts.Auth.Database = cfg.Database
	return &Server{Options: *opts, Database: cfg.Database, Real: true}, nil
}

func createDemoUser(ctx context.Context, conn driver.Conn, database string, u *DemoUser) error {
	if err := schema.ValidateIdentifier("user", u.Name); err != nil {
		return err
	}
	set := []string{"readonly = 2"}
	for _, kv := range u.Settings {
		if err := schema.ValidateIdentifier("setting", kv[0]); err != nil {
			return err
		}
		set = append(set, kv[0]+" = "+schema.QuoteString(kv[1])+" CONST")
	}
	for _, sql := range []string{
		"CREATE USER OR REPLACE " + u.Name + " IDENTIFIED WITH plaintext_password BY " + schema.QuoteString(u.Password) +
			" SETTINGS " + strings.Join(set, ", "),
		"GRANT SELECT ON " + database + ".* TO " + u.Name,
	} {
		if err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("creating the demo user (the test user needs access management): %w", err)
		}
	}
	return nil
}

// demoUserArgs are clickpy-local's flags for the demo user.
func demoUserArgs(u *DemoUser) []string {
	var profile []string
	for _, kv := range u.Settings {
		profile = append(profile, kv[0]+"="+kv[1]+"!")
	}
	return []string{"--readonly-user", u.Name + ":" + u.Password, "--readonly-profile", strings.Join(profile, ",")}
}

func startLocal(ctx context.Context, cfg Config) (*Server, error) {
	if err := engineInstalled(ctx); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "clickpy-local-test-")
	if err != nil {
		return nil, fmt.Errorf("creating temp dir: %w", err)
	}
	s := &Server{dir: dir, Database: schema.DefaultDatabase, exited: make(chan struct{})}
	bin, err := BuildLocal(ctx, dir)
	if err != nil {
		s.Stop()
		return nil, err
	}
	ready := filepath.Join(dir, "ready")
	data := filepath.Join(dir, "data")
	if cfg.DataDir != "" {
		data = cfg.DataDir
		if !filepath.IsAbs(data) {
			root, err := ModuleRoot(ctx)
			if err != nil {
				s.Stop()
				return nil, err
			}
			data = filepath.Join(root, data)
		}
	}
	args := append([]string{
		"--listen", "127.0.0.1:0",
		"--data-dir", data,
		"--sample", cfg.Sample,
		"--seed", strconv.FormatUint(cfg.Seed, 10),
		"--end-date", cfg.End.Format(time.DateOnly),
		"--ready-file", ready,
	}, cfg.Args...)
	if cfg.DemoUser != nil {
		args = append(args, demoUserArgs(cfg.DemoUser)...)
	}
	s.cmd = exec.Command(bin, args...)
	log, err := os.Create(filepath.Join(dir, "clickpy-local.log"))
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("creating log: %w", err)
	}
	defer log.Close()
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		s.Stop()
		return nil, fmt.Errorf("starting clickpy-local: %w", err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	addr, err := s.waitReady(ctx, ready)
	if err != nil {
		out, _ := os.ReadFile(filepath.Join(dir, "clickpy-local.log"))
		s.Stop()
		return nil, fmt.Errorf("%w\nclickpy-local log:\n%s", err, tail(string(out), 4000))
	}
	s.Addr = addr
	s.Options = clickhouse.Options{
		Addr:        []string{addr},
		Protocol:    clickhouse.HTTP,
		Auth:        clickhouse.Auth{Database: s.Database, Username: "default"},
		DialTimeout: 5 * time.Second,
	}
	return s, nil
}

// engineInstalled fails, saying why and what to do, when clickpy-local
// would not find libchdb.so (it looks where pkg/chdblib says): without
// this the test would only see the process exit.
func engineInstalled(ctx context.Context) error {
	if p := os.Getenv("CHDB_LIB_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("CHDB_LIB_PATH names %s: %w", p, err)
		}
		return nil
	}
	root, err := ModuleRoot(ctx)
	if err != nil {
		return err
	}
	lib := filepath.Join(root, filepath.FromSlash(chdbsupport.RelPath))
	if _, err := os.Stat(lib); err != nil {
		return fmt.Errorf("the integration tests start clickpy-local, the embedded ClickHouse, and %s is missing. %s",
			lib, chdbsupport.Advice(runtime.GOOS, runtime.GOARCH))
	}
	return nil
}

func (s *Server) waitReady(ctx context.Context, ready string) (string, error) {
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(ready); err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSpace(string(b)), nil
		}
		select {
		case <-s.exited:
			return "", fmt.Errorf("clickpy-local exited before it was ready: %v", s.waitErr)
		case <-deadline.C:
			return "", fmt.Errorf("clickpy-local not ready after %s", readyTimeout)
		case <-ctx.Done():
			return "", ctx.Err()
		case <-tick.C:
		}
	}
}

// Open connects with the server's options, changed by the optional edits.
func (s *Server) Open(edits ...func(*clickhouse.Options)) (driver.Conn, error) {
	o := s.Options
	for _, e := range edits {
		e(&o)
	}
	conn, err := clickhouse.Open(&o)
	if err != nil {
		return nil, fmt.Errorf("opening connection to %v: %w", o.Addr, err)
	}
	return conn, nil
}

// Running tells whether the clickpy-local process is still up.
func (s *Server) Running() bool {
	if s.cmd == nil {
		return s.Real
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Stop ends the clickpy-local process this package started (by PID, never
// by name) and removes its directory.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// BuildLocal compiles cmd/clickpy-local into dir and returns its path.
func BuildLocal(ctx context.Context, dir string) (string, error) {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "clickpy-local")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/clickpy-local")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building clickpy-local: %w\n%s", err, out)
	}
	return bin, nil
}

// ModuleRoot is the directory holding go.mod.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the module")
	}
	return filepath.Dir(mod), nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// DemoConfig is the demo set (about 5M downloads) for benchmarks. On
// clickpy-local its data is kept in .data/bench-demo under the module root,
// so only the first run pays the minute-long load; a real server named by
// EnvURL gets the set loaded into database.
func DemoConfig(database string) Config {
	return Config{Sample: "demo", Seed: 1, Database: database, DataDir: filepath.Join(".data", "bench-demo")}
}

// StartTB starts a server for one test or benchmark and connects to it;
// both close when tb ends, and a failure to start fails tb.
func StartTB(tb testing.TB, cfg Config) (*Server, driver.Conn) {
	tb.Helper()
	srv, err := Start(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("starting ClickHouse: %v", err)
	}
	tb.Cleanup(srv.Stop)
	conn, err := srv.Open()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return srv, conn
}

// StringRows runs sql, whose columns must all be strings, and returns its
// rows; any error fails tb.
func StringRows(tb testing.TB, conn driver.Conn, sql string) [][]string {
	tb.Helper()
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	n := len(rows.Columns())
	var out [][]string
	for rows.Next() {
		row := make([]string, n)
		ptrs := make([]any, n)
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatalf("scanning %s: %v", sql, err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return out
}
