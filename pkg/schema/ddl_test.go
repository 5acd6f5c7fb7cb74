package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden files are a second line of defence: the integration tests in
// this package check what the DDL does on a real engine.
func TestStatementsGolden(t *testing.T) {
	cases := map[string]Options{
		"default.sql": {},
		"cluster.sql": {Database: "clickpy", Cluster: "prod", Replicated: true, DictionaryUser: "dict", DictionaryPassword: `p'w\d`, GitHubDatabase: "github"},
	}
	for file, opts := range cases {
		stmts, err := Statements(opts)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got := strings.Join(stmts, ";\n\n") + ";\n"
		path := filepath.Join("testdata", file)
		if os.Getenv("UPDATE_GOLDEN") == "1" {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading %s (run with UPDATE_GOLDEN=1 to create): %v", path, err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the statements; rerun with UPDATE_GOLDEN=1 after checking the change", path)
		}
	}
}

func TestStatementsShape(t *testing.T) {
	stmts, err := Statements(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// database + raw + 14 tables and 14 views + projects + countries + 2
	// dictionaries + GitHub: events, repository map and its view, the
	// project-to-repository dictionary
	if want := 1 + 1 + 28 + 2 + 2 + 4; len(stmts) != want {
		t.Fatalf("got %d statements, want %d", len(stmts), want)
	}
	for _, s := range stmts {
		if !strings.Contains(s, "IF NOT EXISTS") {
			t.Errorf("statement is not idempotent: %s", strings.SplitN(s, "\n", 2)[0])
		}
	}
	if n := len(Summaries()); n != 14 {
		t.Fatalf("got %d summaries, want 14", n)
	}
	for _, s := range Summaries() {
		for _, d := range s.Dimensions {
			if !isRawColumn(d) {
				t.Errorf("%s groups by %q, not a raw column", s.Table, d)
			}
		}
	}
}

func isRawColumn(name string) bool {
	for _, c := range RawColumns() {
		if c.Name == name {
			return true
		}
	}
	return false
}

func TestValidateIdentifier(t *testing.T) {
	for _, ok := range []string{"pypi", "_x", "PyPI_2"} {
		if err := ValidateIdentifier("database", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "1db", "py-pi", "pypi; DROP TABLE x", "a.b", "`x`", "é", strings.Repeat("a", 65)} {
		if err := ValidateIdentifier("database", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := Statements(Options{Database: "x'y"}); err == nil {
		t.Error("Statements accepted a hostile database name")
	}
	if _, err := Statements(Options{Cluster: "c c"}); err == nil {
		t.Error("Statements accepted a hostile cluster name")
	}
}

func TestQuoteString(t *testing.T) {
	cases := map[string]string{
		"a'b\\c\x00":    `'a\'b\\c\0'`,
		"tab\tnl\ncr\r": `'tab\tnl\ncr\r'`,
		"ملف🙂":          `'ملف🙂'`,
	}
	for in, want := range cases {
		if got := QuoteString(in); got != want {
			t.Errorf("QuoteString(%q) = %s, want %s", in, got, want)
		}
	}
}

// PublishedKeys changes the installer-by-type table's sorting key to
// ClickPy's, without type, and nothing else.
func TestPublishedKeys(t *testing.T) {
	ours, err := Statements(Options{})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := Statements(Options{PublishedKeys: true})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range ours {
		if ours[i] == theirs[i] {
			continue
		}
		changed++
		if !strings.HasPrefix(theirs[i], "CREATE TABLE IF NOT EXISTS pypi."+PerDayByVersionByInstallerByType+"\n") ||
			!strings.HasSuffix(theirs[i], "ORDER BY (project, version, date, installer)") ||
			!strings.HasSuffix(ours[i], "ORDER BY (project, version, date, installer, type)") {
			t.Errorf("unexpected change:\n%s\nbecame\n%s", ours[i], theirs[i])
		}
	}
	if changed != 1 {
		t.Errorf("%d statements changed, want 1", changed)
	}
}

func TestArrayLiteral(t *testing.T) {
	if got, want := ArrayLiteral([]string{"a'b", `c\`, ""}), `['a\'b','c\\','']`; got != want {
		t.Errorf("ArrayLiteral = %s, want %s", got, want)
	}
	if got := ArrayLiteral(nil); got != "[]" {
		t.Errorf("ArrayLiteral(nil) = %s", got)
	}
}
