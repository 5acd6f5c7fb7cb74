package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func parse(t *testing.T, args ...string) *options {
	t.Helper()
	o, err := parseFlags(args, io.Discard, func(int) {})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestFlagDefaults(t *testing.T) {
	o := parse(t)
	if got := *o.web.WebListenAddresses; len(got) != 1 || got[0] != defaultAddress {
		t.Errorf("listen address %v", got)
	}
	if o.telemetryPath != "/metrics" || o.url != defaultURL || o.configFile != "" || o.scrapeTimeout != 10*time.Second ||
		!o.exporterMetrics || o.maxRequests != 40 {
		t.Errorf("defaults: %+v", o)
	}
	ch, err := o.clickhouseOptions(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if ch.Protocol != clickhouse.HTTP || ch.Addr[0] != "127.0.0.1:8123" || ch.DialTimeout != dialTimeout {
		t.Errorf("default connection: %+v", ch)
	}
}

// node_exporter's web flags, with its defaults.
func TestExporterWebFlags(t *testing.T) {
	o := parse(t, "--web.disable-exporter-metrics", "--web.max-requests=0")
	if o.exporterMetrics || o.maxRequests != 0 {
		t.Errorf("exporter metrics %v, max requests %d", o.exporterMetrics, o.maxRequests)
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--web.telemetry-path=metrics"},
		{"--scrape.timeout=0s"},
		{"--web.max-requests=-1"},
		{"--no-such-flag"},
		{"--log.level=loud"},
	} {
		if _, err := parseFlags(args, io.Discard, func(int) {}); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// The password comes from the flag, else the file, else the environment,
// else the URL; the flag and the file together are refused.
func TestPasswordSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == passwordEnv {
			return "from-env"
		}
		return ""
	}
	noEnv := func(string) string { return "" }
	cases := []struct {
		args []string
		env  func(string) string
		want string
	}{
		{[]string{"--clickhouse.url=http://u:from-url@h:8123"}, noEnv, "from-url"},
		{[]string{"--clickhouse.url=http://u:from-url@h:8123"}, env, "from-env"},
		{[]string{"--clickhouse.password-file=" + file}, env, "from-file"},
		{[]string{"--clickhouse.password=from-flag"}, env, "from-flag"},
	}
	for _, tc := range cases {
		ch, err := parse(t, tc.args...).clickhouseOptions(tc.env)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if ch.Auth.Password != tc.want {
			t.Errorf("%v: password %q, want %q", tc.args, ch.Auth.Password, tc.want)
		}
	}
	o := parse(t, "--clickhouse.password=a", "--clickhouse.password-file="+file)
	if _, err := o.clickhouseOptions(noEnv); err == nil {
		t.Error("flag and file together accepted")
	}
	o = parse(t, "--clickhouse.password-file="+filepath.Join(dir, "missing"))
	if _, err := o.clickhouseOptions(noEnv); err == nil || !strings.Contains(err.Error(), "password-file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestClickHouseURL(t *testing.T) {
	o := parse(t, "--clickhouse.url=https://reader@db.example:8443/clickpy", "--clickhouse.user=alice")
	ch, err := o.clickhouseOptions(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if ch.TLS == nil || ch.Protocol != clickhouse.HTTP || ch.Auth.Username != "alice" || ch.Auth.Database != "clickpy" {
		t.Errorf("https URL: TLS %v, protocol %v, user %q, database %q", ch.TLS != nil, ch.Protocol, ch.Auth.Username, ch.Auth.Database)
	}
	o = parse(t, "--clickhouse.url=clickhouse://db.example:9440?secure=true")
	if ch, err = o.clickhouseOptions(func(string) string { return "" }); err != nil || ch.Protocol != clickhouse.Native || ch.TLS == nil {
		t.Errorf("native URL: %+v, %v", ch, err)
	}
	// Replicas: several hosts, tried in order.
	o = parse(t, "--clickhouse.url=http://a.example:8123,b.example:8124/clickpy")
	if ch, err = o.clickhouseOptions(func(string) string { return "" }); err != nil || !slices.Equal(ch.Addr, []string{"a.example:8123", "b.example:8124"}) {
		t.Errorf("two hosts: %v, %v", ch.Addr, err)
	}
	// A malformed URL is refused without echoing its password.
	o = parse(t, "--clickhouse.url=http://u:hunter2@[::1")
	if _, err = o.clickhouseOptions(func(string) string { return "" }); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad URL: %v", err)
	}
	for in, want := range map[string]string{
		"https://h:8443":          "https://h:8443?secure=true",
		"https://h:8443/db?x=1":   "https://h:8443/db?x=1&secure=true",
		"https://h?secure=false":  "https://h?secure=false",
		"http://h:8123":           "http://h:8123",
		"clickhouse://h:9000/abc": "clickhouse://h:9000/abc",
	} {
		if got := withSecureHTTPS(in); got != want {
			t.Errorf("withSecureHTTPS(%q) = %q, want %q", in, got, want)
		}
	}
}
