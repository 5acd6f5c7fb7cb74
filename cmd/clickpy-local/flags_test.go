package main

import (
	"strings"
	"testing"
)

func TestFlagErrorsNameTheFlag(t *testing.T) {
	cases := map[string][]string{
		"--database":      {"--database", "x;y"},
		"--sample":        {"--sample", "huge"},
		"--end-date":      {"--end-date", "2026-13-01"},
		"--readonly-user": {"--readonly-user", "nopassword"},
	}
	for flag, args := range cases {
		_, err := parseFlags(args)
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%v: got %v, want an error naming %s", args, err, flag)
		}
	}
	o, err := parseFlags([]string{"--readonly-user", "grafana:pw", "--password", "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.users) != 2 || o.users[0].Password != "s3cret" || !o.users[1].ReadOnly || o.users[1].Name != "grafana" {
		t.Fatalf("users %+v", o.users)
	}
}
