package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

func TestFlags(t *testing.T) {
	o, err := parseFlags([]string{"--end-date=2026-10-31", "--sample=demo", "--rules=new=a.yaml", "--rules=b.yaml", "--packages=50"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.sample != sample.SizeDemo || o.end.Format("2006-01-02") != "2026-10-31" || o.packages != 50 ||
		len(o.rules) != 2 || o.rules[0] != (namedPath{"new", "a.yaml"}) || o.rules[1] != (namedPath{"b.yaml", "b.yaml"}) {
		t.Errorf("parsed %+v", o)
	}
	if o, err := parseFlags([]string{"--end-date=2026-10-31"}, io.Discard); err != nil || len(o.rules) != 2 || o.sample != sample.SizeTest {
		t.Errorf("defaults %+v %v", o, err)
	}
	for args, want := range map[string]string{
		"":                                    "--end-date",
		"--end-date=31.10.2026":               "--end-date",
		"--end-date=2026-10-31 --sample=x":    "sample",
		"--end-date=2026-10-31 --packages=-1": "--packages",
		"--end-date=2026-10-31 extra":         "unexpected",
	} {
		_, err := parseFlags(strings.Fields(args), io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error naming %s", args, err, want)
		}
	}
}

func TestPackagesKeepEveryEvent(t *testing.T) {
	truth, err := sample.Expect(sample.Config{Seed: 1, End: mustDate("2026-10-31"), Size: sample.SizeTest})
	if err != nil {
		t.Fatal(err)
	}
	got := packages(truth, 10)
	for _, d := range truth.Events.Drops {
		if !contains(got, d.Package) {
			t.Errorf("%s (planted drop) left out", d.Package)
		}
	}
	if !contains(got, truth.Drop) || !contains(got, sample.DeclinePackage) || !contains(got, truth.Packages[9]) || contains(got, truth.Packages[1999]) {
		t.Errorf("packages %v", got)
	}
	if len(packages(truth, 0)) != sample.PackageCount {
		t.Error("0 should mean every package")
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
