package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

func TestFlagErrorsNameTheFlag(t *testing.T) {
	cases := map[string][]string{
		"--database":               {"--database", "x;y"},
		"--sample":                 {"--sample", "huge"},
		"--end-date":               {"--end-date", "2026-13-01"},
		"--readonly-user":          {"--readonly-user", "nopassword"},
		"--readonly-profile":       {"--readonly-user", "demo:demo", "--readonly-profile", "readonly=0"},
		"--readonly-profile needs": {"--readonly-profile", "readonly=1"},
		"--readonly-profile:":      {"--readonly-user", "demo:demo", "--readonly-profile", "max_rows_to_read"},
		"setting":                  {"--readonly-user", "demo:demo", "--readonly-profile", "x y=1"},
	}
	for flag, args := range cases {
		_, err := parseFlags(args, noEnv)
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%v: got %v, want an error naming %s", args, err, flag)
		}
	}
	o, err := parseFlags([]string{"--readonly-user", "grafana:pw", "--password", "s3cret"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.users) != 2 || o.users[0].Password != "s3cret" || o.users[0].Profile.Readonly != 0 || o.users[0].HostAccess ||
		o.users[1].Profile.Readonly != 2 || o.users[1].Name != "grafana" || o.users[1].Password != "pw" || o.users[1].HostAccess {
		t.Fatalf("users %+v", o.users)
	}
	if len(o.users[1].Profile.Settings) != 0 {
		t.Fatalf("a read-only user without a profile: %+v", o.users[1])
	}
	o, err = parseFlags([]string{"--readonly-user", "demo:demo", "--readonly-profile", "readonly=1, max_rows_to_read=1000,read_overflow_mode='break'"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := []embedded.Setting{{Name: "max_rows_to_read", Value: "1000"}, {Name: "read_overflow_mode", Value: "break"}}
	if p := o.users[1].Profile; p.Readonly != 1 || !slices.Equal(p.Settings, want) || len(p.Constant) != 0 {
		t.Fatalf("profile %+v", p)
	}
	o, err = parseFlags([]string{"--readonly-user", "demo:demo", "--readonly-profile", "max_rows_to_read=1000!,read_overflow_mode='break' !,max_threads=1"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, embedded.Setting{Name: "max_threads", Value: "1"})
	if p := o.users[1].Profile; p.Readonly != 2 || !slices.Equal(p.Settings, want) || !slices.Equal(p.Constant, []string{"max_rows_to_read", "read_overflow_mode"}) {
		t.Fatalf("profile %+v", p)
	}
}

func noEnv(string) string { return "" }

// Passwords can come from files or the environment, so they need not sit
// in the command line other local users read with ps.
func TestPasswordSources(t *testing.T) {
	dir := t.TempDir()
	admin := filepath.Join(dir, "admin")
	reader := filepath.Join(dir, "reader")
	if err := os.WriteFile(admin, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reader, []byte("r-file"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(name string) string {
		if name == passwordEnv {
			return "from-env"
		}
		return ""
	}
	o, err := parseFlags([]string{"--password-file", admin, "--readonly-user", "grafana", "--readonly-password-file", reader}, env)
	if err != nil {
		t.Fatal(err)
	}
	if o.users[0].Password != "from-file" || o.users[1].Password != "r-file" {
		t.Fatalf("passwords from files: %+v", o.users)
	}
	if o, err = parseFlags(nil, env); err != nil || o.users[0].Password != "from-env" {
		t.Fatalf("password from $%s: %+v %v", passwordEnv, o.users, err)
	}
	for _, args := range [][]string{
		{"--password", "x", "--password-file", admin},
		{"--readonly-user", "g:x", "--readonly-password-file", reader},
		{"--readonly-password-file", reader},
		{"--readonly-user", "g"},
		{"--password-file", filepath.Join(dir, "missing")},
	} {
		if _, err := parseFlags(args, env); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestAllowHostAccessIsTheDefaultUsers(t *testing.T) {
	o, err := parseFlags([]string{"--allow-host-access", "--readonly-user", "g:x"}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !o.users[0].HostAccess || o.users[1].HostAccess {
		t.Fatalf("host access: %+v", o.users)
	}
	if o, _ = parseFlags(nil, noEnv); o.users[0].HostAccess {
		t.Fatalf("host access without the flag: %+v", o.users)
	}
}

// The sample set has one spelling, so a data directory loaded with
// --sample Demo is reused without a warning by --sample demo.
func TestSampleFlagHasOneSpelling(t *testing.T) {
	for in, want := range map[string]string{"Demo": "demo", " test ": "test", "NONE": "none", "none": "none"} {
		o, err := parseFlags([]string{"--sample", in}, noEnv)
		if err != nil {
			t.Errorf("--sample %q: %v", in, err)
			continue
		}
		if o.sample != want {
			t.Errorf("--sample %q gave %q, want %q", in, o.sample, want)
		}
	}
}
