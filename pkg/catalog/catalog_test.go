package catalog

import (
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// fullLive is every ClickPy table with its columns, as system.columns
// would list them after schema.Apply.
func fullLive() map[string][]string {
	live := map[string][]string{}
	for _, c := range schema.RawColumns() {
		live[schema.RawTable] = append(live[schema.RawTable], c.Name)
	}
	for _, s := range schema.Summaries() {
		for _, c := range s.Columns {
			live[s.Table] = append(live[s.Table], c.Name)
		}
	}
	live[schema.ProjectsTable] = []string{"name", "version"}
	live[schema.CountriesTable] = []string{"name", "code"}
	return live
}

// fullTables is system.tables after schema.Apply (with ClickPy's published
// keys when published): engines and sorting keys as the server lists them.
func fullTables(published bool) map[string]Table {
	tables := map[string]Table{schema.RawTable: {Engine: "MergeTree", SortingKey: "project, date, version, country_code, python_minor, system"}}
	for _, s := range schema.Summaries() {
		key := s.OrderBy
		if published && s.PublishedOrderBy != nil {
			key = s.PublishedOrderBy
		}
		engine := "SummingMergeTree"
		if s.Kind == schema.MaxMin {
			engine = "AggregatingMergeTree"
		}
		k := strings.Join(key, ", ")
		if len(key) == 1 {
			k = "(" + k + ")"
		}
		tables[s.Table] = Table{Engine: engine, SortingKey: k}
	}
	tables[schema.CountriesDict] = Table{Engine: dictionaryEngine}
	tables[schema.LastUpdateDict] = Table{Engine: dictionaryEngine}
	return tables
}

// build is Build on live's columns with the schema's engines and keys and
// no row counts.
func build(database string, live map[string][]string, dicts map[string]bool) *Catalog {
	tables := fullTables(false)
	for _, d := range []string{schema.CountriesDict, schema.LastUpdateDict} {
		if !dicts[d] {
			delete(tables, d)
		}
	}
	return Build(database, Snapshot{Columns: live, Tables: tables})
}

func TestChoose(t *testing.T) {
	cases := []struct {
		name    string
		drop    []string
		need    []string
		want    string
		wantErr bool
	}{
		{"project total", nil, []string{"project"}, schema.Downloads, false},
		{"daily", nil, []string{"date", "project"}, schema.PerDay, false},
		{"daily by version", nil, []string{"date", "project", "version"}, schema.PerDayByVersion, false},
		{"by country", nil, []string{"date", "project", "country_code"}, schema.PerDayByVersionByCountry, false},
		{"python by country", nil, []string{"date", "project", "python_minor", "country_code"}, schema.PerDayByVersionByPythonByCountry, false},
		{"installer", nil, []string{"date", "project", "installer"}, schema.PerDayByVersionByInstallerByType, false},
		{"installer and type by country", nil, []string{"date", "project", "installer", "type", "country_code"}, schema.PerDayByVersionByInstallerByTypeCty, false},
		{"file type", nil, []string{"date", "project", "type"}, schema.PerDayByVersionByFileType, false},
		{"system by country", nil, []string{"date", "system", "country_code"}, schema.PerDayByVersionBySystemByCountry, false},
		{"python and system: raw", nil, []string{"date", "project", "python_minor", "system"}, schema.RawTable, false},
		{"daily, per_day missing", []string{schema.PerDay}, []string{"date", "project"}, schema.PerDayByVersion, false},
		{"country, its views missing", []string{schema.PerDayByVersionByCountry, schema.PerDayByVersionByPythonByCountry,
			schema.PerDayByVersionBySystemByCountry, schema.PerDayByVersionByInstallerByTypeCty}, []string{"date", "country_code"}, schema.RawTable, false},
		{"python, raw and views missing", []string{schema.RawTable, schema.PerDayByVersionByPython, schema.PerDayByVersionByPythonByCountry},
			[]string{"date", "python_minor"}, "", true},
		{"daily, only raw", allSummaries(), []string{"date", "project"}, schema.RawTable, false},
	}
	for _, tc := range cases {
		live := fullLive()
		for _, d := range tc.drop {
			delete(live, d)
		}
		c := build("pypi", live, map[string]bool{})
		got, err := c.Choose(tc.need)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%s: chose %s, want an error", tc.name, got.Table)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.Table != tc.want {
			t.Errorf("%s: chose %s, want %s", tc.name, got.Table, tc.want)
		}
		if got.Raw != (tc.want == schema.RawTable) {
			t.Errorf("%s: Raw = %v", tc.name, got.Raw)
		}
	}
}

func allSummaries() []string {
	var out []string
	for _, s := range schema.Summaries() {
		out = append(out, s.Table)
	}
	return out
}

func TestPartialTableIsMissing(t *testing.T) {
	live := fullLive()
	live[schema.PerDay] = []string{"date", "project"} // no count column
	c := build("pypi", live, map[string]bool{schema.CountriesDict: true})
	if c.Has(schema.PerDay) {
		t.Fatal("a table lacking its count column counted as present")
	}
	if !c.Has(schema.CountriesDict) || c.Has(schema.LastUpdateDict) {
		t.Fatalf("dictionaries: present %v missing %v", c.Present, c.Missing)
	}
	if s, _ := c.Choose([]string{"date", "project"}); s.Table != schema.PerDayByVersion {
		t.Fatalf("chose %s", s.Table)
	}
}

func TestDates(t *testing.T) {
	cases := []struct {
		name        string
		drop        []string
		extra       []string
		table, last string
	}{
		{"max/min", nil, nil, schema.MaxMinDates, "max_date"},
		{"max/min per project", nil, []string{"project"}, schema.MaxMinDates, "max_date"},
		{"no max/min", []string{schema.MaxMinDates}, nil, schema.PerDay, "date"},
		{"no max/min nor per_day", []string{schema.MaxMinDates, schema.PerDay}, []string{"project"}, schema.PerDayByVersion, "date"},
		{"only raw", append(allSummaries(), schema.MaxMinDates), []string{"project"}, schema.RawTable, "date"},
	}
	for _, tc := range cases {
		live := fullLive()
		for _, d := range tc.drop {
			delete(live, d)
		}
		d, err := build("pypi", live, map[string]bool{}).Dates(tc.extra...)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d.Table != tc.table || d.Last != tc.last {
			t.Errorf("%s: %+v, want table %s, last %s", tc.name, d, tc.table, tc.last)
		}
	}
	live := fullLive()
	delete(live, schema.MaxMinDates)
	delete(live, schema.RawTable)
	for _, s := range allSummaries() {
		delete(live, s)
	}
	if d, err := build("pypi", live, map[string]bool{}).Dates(); err == nil {
		t.Errorf("no dated table: %+v, want an error", d)
	}
}
