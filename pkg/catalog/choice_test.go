package catalog

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// rowsOfSchema gives every table a row count growing with its columns, as
// real summaries do, and the raw table the most.
func rowsOfSchema() map[string]uint64 {
	rows := map[string]uint64{schema.RawTable: 1_000_000}
	for _, s := range schema.Summaries() {
		rows[s.Table] = uint64(1000 * len(s.Columns) * len(s.Columns))
	}
	return rows
}

// The view-choice table for the sorting-key and row-count rules: each case
// is a database shape and a need, with the table that must answer.
func TestChooseByKeyAndRows(t *testing.T) {
	instType := []string{"date", "project", "installer", "type"}
	cases := []struct {
		name      string
		published bool
		rows      func(map[string]uint64)
		noRows    bool
		need      []string
		want      string
		why       string
	}{
		// ClickPy's key: the installer-by-type table merges file types.
		{name: "key: installer and type, ClickPy's key", published: true, need: instType,
			want: schema.PerDayByVersionByInstallerByTypeCty, why: "not " + schema.PerDayByVersionByInstallerByType + ", whose sorting key lacks type"},
		{name: "key: type filter with excludeMirrors, ClickPy's key", published: true, need: []string{"date", "project", "type", "installer"},
			want: schema.PerDayByVersionByInstallerByTypeCty},
		{name: "key: installer alone still reads the merged table", published: true, need: []string{"date", "project", "installer"},
			want: schema.PerDayByVersionByInstallerByType},
		{name: "key: type alone reads the file-type table", published: true, need: []string{"date", "project", "type"},
			want: schema.PerDayByVersionByFileType},
		{name: "key: our key keeps types", need: instType, want: schema.PerDayByVersionByInstallerByType},
		// Rows decide among covering tables.
		{name: "rows: the larger table holds fewer rows", need: []string{"date", "project"},
			rows: func(r map[string]uint64) { r[schema.PerDay] = 10 * r[schema.PerDayByVersion] },
			want: schema.PerDayByVersion, why: "fewest live rows"},
		{name: "rows: per_day when smallest", need: []string{"date", "project"}, want: schema.PerDay, why: "fewest live rows (9000) of the 10 summaries"},
		{name: "rows: undated need takes the smallest of all", need: []string{"project"}, want: schema.Downloads},
		{name: "rows: a version need skips the undated project table", need: []string{"project", "version"}, want: schema.DownloadsByVersion},
		{name: "rows: country by rows", need: []string{"date", "country_code"},
			rows: func(r map[string]uint64) { r[schema.PerDayByVersionBySystemByCountry] = 1 },
			want: schema.PerDayByVersionBySystemByCountry},
		{name: "rows: the raw table stays last however few rows it holds", need: []string{"date", "python_minor"},
			rows: func(r map[string]uint64) { r[schema.RawTable] = 1 },
			want: schema.PerDayByVersionByPython},
		{name: "rows: an empty summary is cheapest", need: []string{"date", "project"},
			rows: func(r map[string]uint64) { r[schema.PerDayByVersionByPython] = 0 },
			want: schema.PerDayByVersionByPython},
		{name: "rows unreadable: fewest columns", noRows: true, need: []string{"date", "project"},
			rows: func(r map[string]uint64) { r[schema.PerDay] = 10 * r[schema.PerDayByVersion] },
			want: schema.PerDay, why: "fewest columns of the 10 summaries holding date, project (row counts unreadable)"},
		{name: "rows: ties break by columns", need: []string{"date", "project"},
			rows: func(r map[string]uint64) {
				for k := range r {
					r[k] = 5
				}
			},
			want: schema.PerDay},
		{name: "no summary: raw", need: []string{"date", "python_minor", "system"}, want: schema.RawTable, why: "no summary holds date, python_minor, system"},
	}
	for _, tc := range cases {
		snap := Snapshot{Columns: fullLive(), Tables: fullTables(tc.published), Rows: rowsOfSchema()}
		if tc.rows != nil {
			tc.rows(snap.Rows)
		}
		if tc.noRows {
			snap.Rows = nil
		}
		c := Build("pypi", snap)
		got, why, err := c.Pick(tc.need)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.Table != tc.want {
			t.Errorf("%s: chose %s (%s), want %s", tc.name, got.Table, why, tc.want)
		}
		if !strings.Contains(why, tc.why) {
			t.Errorf("%s: reason %q lacks %q", tc.name, why, tc.why)
		}
		if c.RowCounts == tc.noRows {
			t.Errorf("%s: RowCounts = %v", tc.name, c.RowCounts)
		}
	}
}

func TestMergedTables(t *testing.T) {
	c := Build("pypi", Snapshot{Columns: fullLive(), Tables: fullTables(true)})
	got := c.MergedTables()
	if len(got) != 1 || got[0].Table != schema.PerDayByVersionByInstallerByType || !slices.Equal(got[0].Columns, []string{"type"}) {
		t.Fatalf("merged tables %+v", got)
	}
	for _, s := range c.Sources {
		if s.Table == schema.PerDayByVersionByInstallerByType && slices.Contains(s.Dimensions, "type") {
			t.Errorf("the merged table still offers type: %v", s.Dimensions)
		}
	}
	if m := Build("pypi", Snapshot{Columns: fullLive(), Tables: fullTables(false)}).MergedTables(); len(m) != 0 {
		t.Errorf("our schema merges %+v", m)
	}
	// Without system.tables nothing is known to merge.
	if m := Build("pypi", Snapshot{Columns: fullLive()}).MergedTables(); len(m) != 0 {
		t.Errorf("no keys known, yet merged %+v", m)
	}
}

func TestMergedColumns(t *testing.T) {
	dims := []string{"project", "version", "date", "installer", "type"}
	cases := []struct {
		t    Table
		want []string
	}{
		{Table{"SummingMergeTree", "project, version, date, installer"}, []string{"type"}},
		{Table{"ReplicatedSummingMergeTree", "project, version, date, installer"}, []string{"type"}},
		{Table{"SharedSummingMergeTree", "(project, version, date, installer, type)"}, nil},
		{Table{"SummingMergeTree", "project, `version`, toStartOfMonth(date), installer, type"}, []string{"date"}},
		{Table{"SummingMergeTree", "(project)"}, []string{"version", "date", "installer", "type"}},
		{Table{"MergeTree", "project"}, nil},
		{Table{"Distributed", ""}, nil},
		{Table{"SummingMergeTree", ""}, nil},
	}
	for _, tc := range cases {
		if got := mergedColumns(tc.t, dims); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: merged %v, want %v", tc.t, got, tc.want)
		}
	}
}

func TestSortingKey(t *testing.T) {
	cases := map[string][]string{
		"(project)":                   {"project"},
		"project, version, date":      {"project", "version", "date"},
		"(project, `date`)":           {"project", "date"},
		"f(a, b), c":                  {"f(a, b)", "c"},
		"(a), (b)":                    {"(a)", "(b)"},
		"tuple()":                     {"tuple()"},
		"":                            nil,
		"project, toMonday(date), ts": {"project", "toMonday(date)", "ts"},
	}
	for in, want := range cases {
		if got := sortingKey(in); !slices.Equal(got, want) {
			t.Errorf("sortingKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpan(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	a := Span{d("2024-01-10"), d("2024-03-01")}
	b := Span{d("2023-12-01"), d("2024-02-01")}
	if u := a.Union(b); !u.First.Equal(d("2023-12-01")) || !u.Last.Equal(d("2024-03-01")) {
		t.Errorf("union %+v", u)
	}
	if u := a.Union(Span{}); u != a {
		t.Errorf("union with empty %+v", u)
	}
	if !a.Within(d("2024-01-10"), d("2024-03-01")) || a.Within(d("2024-01-11"), d("2025-01-01")) || a.Within(d("2020-01-01"), d("2024-02-29")) {
		t.Error("Within is wrong at the edges")
	}
	if !(Span{}).Within(d("2024-01-01"), d("2024-01-01")) {
		t.Error("no data lies within any range")
	}
	if s := spanOf(nil, nil); !s.Empty() {
		t.Errorf("NULL dates: %+v", s)
	}
	zero := time.Unix(0, 0).UTC()
	if s := spanOf(&zero, &zero); !s.Empty() {
		t.Errorf("1970 dates: %+v", s)
	}
}

func TestMonthlyWindowStart(t *testing.T) {
	now := time.Date(2024, 6, 10, 8, 0, 0, 0, time.UTC)
	if got := MonthlyWindowStart(now); !got.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("window starts %s", got)
	}
	c := Build("pypi", Snapshot{Columns: fullLive(), Tables: fullTables(false)})
	if s, ok := c.Monthly(); !ok || s.Table != schema.PerMonth {
		t.Errorf("monthly %+v %v", s, ok)
	}
	live := fullLive()
	delete(live, schema.PerMonth)
	if _, ok := Build("pypi", Snapshot{Columns: live}).Monthly(); ok {
		t.Error("monthly source without the table")
	}
}
