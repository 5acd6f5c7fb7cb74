package exporter

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseConfigFull(t *testing.T) {
	c, err := ParseConfig([]byte(`
database: clickpy
packages: [requests, numpy, "zope.interface"]
topPackages: 25
breakdowns:
  type:
  python_minor: {top: 8}
  version: {top: 5, other: older}
minRefreshInterval: 10m
queryTimeout: 2m
excludeMirrors: true
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Database:    "clickpy",
		Packages:    []string{"requests", "numpy", "zope.interface"},
		TopPackages: 25,
		// Dimensions() order, not file order.
		Breakdowns: []Breakdown{
			{Version, 5, "older"},
			{PythonMinor, 8, DefaultOther},
			{FileType, DefaultBreakdownTop, DefaultOther},
		},
		MinRefreshInterval: 10 * time.Minute,
		QueryTimeout:       2 * time.Minute,
		ExcludeMirrors:     true,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestParseConfigDefaults(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "excludeMirrors: false\n", "breakdowns:\npackages:\n"} {
		c, err := ParseConfig([]byte(doc))
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if !reflect.DeepEqual(c, DefaultConfig()) {
			t.Errorf("%q: got %+v, want the defaults", doc, c)
		}
	}
	// A list of packages turns the default top 10 off unless asked for.
	c, err := ParseConfig([]byte("packages: [requests]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.TopPackages != 0 {
		t.Errorf("packages only: topPackages = %d, want 0", c.TopPackages)
	}
	c, err = ParseConfig([]byte("packages: [requests]\ntopPackages: 10\n"))
	if err != nil || c.TopPackages != 10 {
		t.Errorf("packages and topPackages: %d, %v", c.TopPackages, err)
	}
}

// Every config error names the field it is about (and, from YAML, its
// line), so a user can fix the file without reading the source.
func TestConfigErrorsNameTheField(t *testing.T) {
	cases := []struct {
		name, doc, field string
		line             int
	}{
		{"unknown setting", "packages: [a]\npackage: [b]\n", "package", 2},
		{"unknown nested", "breakdowns:\n  version: {top: 3, others: x}\n", "breakdowns.version.others", 2},
		{"unknown dimension", "breakdowns:\n  country: {top: 3}\n", "breakdowns.country", 2},
		{"top not a number", "topPackages: ten\n", "topPackages", 1},
		{"top a float", "topPackages: 1.5\n", "topPackages", 1},
		{"top negative", "topPackages: -1\n", "topPackages", 1},
		{"top too large", "topPackages: 20000\n", "topPackages", 1},
		{"nothing tracked", "packages: []\ntopPackages: 0\n", "packages", 1},
		{"packages not a list", "packages: requests\n", "packages", 1},
		{"package not a string", "packages: [requests, [x]]\n", "packages[1]", 1},
		{"package null", "packages:\n  - requests\n  -\n", "packages[1]", 3},
		{"package name invalid", "packages:\n  - requests\n  - 'bad name'\n", "packages[1]", 3},
		{"package twice", "packages:\n  - requests\n  - requests\n", "packages[1]", 3},
		{"breakdown top zero", "breakdowns:\n  version:\n    top: 0\n", "breakdowns.version.top", 3},
		{"breakdown top over cap", "breakdowns:\n  installer: {top: 101}\n", "breakdowns.installer.top", 2},
		{"breakdown other empty", "breakdowns:\n  system: {other: ''}\n", "breakdowns.system.other", 2},
		{"breakdowns not a mapping", "breakdowns: [version]\n", "breakdowns", 1},
		{"breakdown not a mapping", "breakdowns:\n  version: 5\n", "breakdowns.version", 2},
		{"setting twice", "topPackages: 1\ntopPackages: 2\n", "topPackages", 2},
		{"interval syntax", "minRefreshInterval: 5 minutes\n", "minRefreshInterval", 1},
		{"interval too short", "minRefreshInterval: 100ms\n", "minRefreshInterval", 1},
		{"timeout too long", "queryTimeout: 1h\n", "queryTimeout", 1},
		{"timeout a number", "queryTimeout: [1]\n", "queryTimeout", 1},
		{"mirrors not a bool", "excludeMirrors: sometimes\n", "excludeMirrors", 1},
		{"database hostile", "database: 'pypi; DROP TABLE x'\n", "database", 1},
		{"series cap", "topPackages: 5000\nbreakdowns:\n  version: {top: 100}\n", "breakdowns", 2},
		{"root not a mapping", "- a\n- b\n", "config", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.doc))
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a FieldError for %s", err, tc.field)
			}
			if fe.Field != tc.field || fe.Line != tc.line {
				t.Errorf("error %q names %s line %d, want %s line %d", err, fe.Field, fe.Line, tc.field, tc.line)
			}
			if !strings.HasPrefix(err.Error(), tc.field) {
				t.Errorf("message %q does not start with the field", err)
			}
		})
	}
	if _, err := ParseConfig([]byte("packages: [a\n")); err == nil || !strings.Contains(err.Error(), "YAML") {
		t.Errorf("broken YAML: %v", err)
	}
}

func TestLoadConfigNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exporter.yml")
	if err := os.WriteFile(path, []byte("topPackages: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "topPackages (line 1)") {
		t.Errorf("got %v", err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yml")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestWithDatabase(t *testing.T) {
	c := DefaultConfig()
	got, err := c.WithDatabase("")
	if err != nil || got.Database != "pypi" {
		t.Errorf("default: %q, %v", got.Database, err)
	}
	got, err = c.WithDatabase("fromurl")
	if err != nil || got.Database != "fromurl" {
		t.Errorf("from URL: %q, %v", got.Database, err)
	}
	c.Database = "fromconfig"
	if got, _ = c.WithDatabase("fromurl"); got.Database != "fromconfig" {
		t.Errorf("config should win over the URL: %q", got.Database)
	}
	c.Database = ""
	if _, err = c.WithDatabase("a-b"); err == nil || !strings.HasPrefix(err.Error(), "database") {
		t.Errorf("hostile URL database: %v", err)
	}
}

func TestSeriesEstimate(t *testing.T) {
	c := Config{Packages: []string{"a", "b"}, TopPackages: 8,
		Breakdowns: []Breakdown{{Version, 5, "other"}, {System, 3, "other"}}}
	// 10 packages × (10 plain families + 6 + 4).
	if got := c.SeriesEstimate(); got != 10*20 {
		t.Errorf("got %d", got)
	}
	// The caps allow 1,000 packages with every breakdown at its default.
	c = DefaultConfig()
	c.TopPackages = 1000
	for _, d := range Dimensions() {
		c.Breakdowns = append(c.Breakdowns, Breakdown{d, DefaultBreakdownTop, DefaultOther})
	}
	if err := c.Validate(); err != nil {
		t.Errorf("1,000 packages with all breakdowns refused: %v", err)
	}
}

// The configs shipped in prometheus/ must load: the demo runs one and the
// README points at the other.
func TestShippedConfigsLoad(t *testing.T) {
	for _, name := range []string{"exporter.example.yml", "exporter.demo.yml"} {
		c, err := LoadConfig(filepath.Join("..", "..", "prometheus", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.TopPackages == 0 || len(c.Breakdowns) == 0 {
			t.Errorf("%s: %+v", name, c)
		}
	}
}
