package sqlbuild_test

import (
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestResolveGranularity(t *testing.T) {
	h := time.Hour
	cases := []struct {
		name     string
		g        querymodel.Granularity
		from, to string
		interval time.Duration
		points   int64
		want     querymodel.Granularity
	}{
		{"explicit wins", querymodel.Day, "2020-01-01", "2024-01-01", 0, 10, querymodel.Day},
		{"days fit", querymodel.Auto, "2024-01-01", "2024-03-31", h, 1000, querymodel.Day},
		{"exactly fits", querymodel.Auto, "2024-01-01", "2024-01-10", 0, 10, querymodel.Day},
		{"one day too many", querymodel.Auto, "2024-01-01", "2024-01-11", 0, 10, querymodel.Week},
		{"weeks fit", querymodel.Auto, "2023-01-01", "2024-01-01", 0, 100, querymodel.Week},
		{"months", querymodel.Auto, "2015-01-01", "2024-01-01", 0, 300, querymodel.Month},
		{"nothing fits: month", querymodel.Auto, "2015-01-01", "2024-01-01", 0, 5, querymodel.Month},
		{"interval of days", querymodel.Auto, "2024-01-01", "2024-02-01", 3 * 24 * h, 1000, querymodel.Week},
		{"interval of weeks", querymodel.Auto, "2024-01-01", "2024-02-01", 10 * 24 * h, 1000, querymodel.Month},
		{"no hints", "", "2010-01-01", "2024-02-01", 0, 0, querymodel.Day},
	}
	for _, c := range cases {
		if got := sqlbuild.ResolveGranularity(c.g, day(c.from), day(c.to), c.interval, c.points); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestBuckets(t *testing.T) {
	cases := []struct {
		g          querymodel.Granularity
		in, start  string
		next       string
		startIsDay bool
	}{
		{g: querymodel.Day, in: "2024-05-29", start: "2024-05-29", next: "2024-05-30"},
		{g: querymodel.Week, in: "2024-05-29", start: "2024-05-27", next: "2024-06-03"}, // a Wednesday
		{g: querymodel.Week, in: "2024-05-27", start: "2024-05-27", next: "2024-06-03"}, // a Monday
		{g: querymodel.Week, in: "2024-06-02", start: "2024-05-27", next: "2024-06-03"}, // a Sunday
		{g: querymodel.Month, in: "2024-02-29", start: "2024-02-01", next: "2024-03-01"},
		{g: querymodel.Month, in: "2024-12-31", start: "2024-12-01", next: "2025-01-01"},
	}
	for _, c := range cases {
		s := sqlbuild.BucketStart(c.g, day(c.in).Add(23*time.Hour))
		if !s.Equal(day(c.start)) {
			t.Errorf("BucketStart(%s, %s) = %s, want %s", c.g, c.in, s, c.start)
		}
		if n := sqlbuild.NextBucket(c.g, s); !n.Equal(day(c.next)) {
			t.Errorf("NextBucket(%s, %s) = %s, want %s", c.g, c.start, n, c.next)
		}
	}
}

func TestDayClampsAndUsesUTC(t *testing.T) {
	if got := sqlbuild.Day(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)); got.Year() != 1970 {
		t.Errorf("1900 became %s", got)
	}
	if got := sqlbuild.Day(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)); got.Year() != 2149 {
		t.Errorf("3000 became %s", got)
	}
	tokyo := time.FixedZone("JST", 9*3600)
	if got := sqlbuild.Day(time.Date(2024, 6, 1, 5, 0, 0, 0, tokyo)); !got.Equal(day("2024-05-31")) {
		t.Errorf("05:00 JST on June 1 is May 31 UTC, got %s", got)
	}
}

func TestNormalizeName(t *testing.T) {
	cases := map[string]string{
		"requests": "requests", "PyYAML": "pyyaml", "zope.interface": "zope-interface",
		"Foo__Bar..baz-_-qux": "foo-bar-baz-qux", "-x-": "-x-", "Ünïcode": "Ünïcode",
	}
	for in, want := range cases {
		if got := sqlbuild.NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
