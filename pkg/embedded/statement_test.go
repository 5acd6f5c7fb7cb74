package embedded

import (
	"reflect"
	"testing"
)

func TestAnalyzeKeywordAndMulti(t *testing.T) {
	cases := []struct {
		q       string
		keyword string
		multi   bool
	}{
		{"SELECT 1", "SELECT", false},
		{"  select 1;  ", "SELECT", false},
		{"SELECT 1; -- trailing comment\n", "SELECT", false},
		{"SELECT 1; SELECT 2", "SELECT", true},
		{"SELECT 1;;", "SELECT", true},
		{"SELECT ';' AS x", "SELECT", false},
		{"SELECT \"a;b\", `c;d` FROM t", "SELECT", false},
		{"SELECT 'it''s; fine', 'back\\'slash;'", "SELECT", false},
		{"/* c; /* nested; */ still; */ SELECT 1", "SELECT", false},
		{"# comment;\nSHOW TABLES", "SHOW", false},
		{"-- x;\n(SELECT 1) UNION ALL (SELECT 2)", "SELECT", false},
		{"SELECT $$a;b$$, $t$x;$t$", "SELECT", false},
		{"", "", false},
		{" -- only a comment", "", false},
		{"WITH 1 AS x SELECT x; DROP TABLE t", "WITH", true},
	}
	for _, c := range cases {
		st := Analyze(c.q)
		if st.Keyword != c.keyword || st.Multi != c.multi {
			t.Errorf("%q: keyword %q multi %v, want %q %v", c.q, st.Keyword, st.Multi, c.keyword, c.multi)
		}
	}
}

func TestAnalyzePlaceholders(t *testing.T) {
	st := Analyze("SELECT {a:String}, {b: Array(Map(String, UInt8))}, '{c:String}', {a:String} -- {d:UInt8}\nFROM t WHERE x = {e:DateTime64(3, 'UTC')}")
	want := []Placeholder{
		{"a", "String"},
		{"b", "Array(Map(String, UInt8))"},
		{"a", "String"},
		{"e", "DateTime64(3, 'UTC')"},
	}
	if !reflect.DeepEqual(st.Placeholders, want) {
		t.Fatalf("got %#v", st.Placeholders)
	}
}

func TestAnalyzeFormatAndOutfile(t *testing.T) {
	cases := []struct {
		q       string
		format  string
		outfile bool
	}{
		{"SELECT 1 FORMAT JSON", "JSON", false},
		{"SELECT 1 FORMAT JSONEachRow SETTINGS max_threads = 1", "JSONEachRow", false},
		{"SELECT format FROM t", "", false},
		{"SELECT format('{}', 1)", "", false},
		{"SELECT (SELECT 1 FORMAT TSV)", "", false},
		{"SELECT 'FORMAT JSON'", "", false},
		{"SELECT 1 INTO OUTFILE '/tmp/x'", "", true},
		{"SELECT 'INTO OUTFILE'", "", false},
	}
	for _, c := range cases {
		st := Analyze(c.q)
		if st.Format != c.format || st.IntoOutfile != c.outfile {
			t.Errorf("%q: format %q outfile %v", c.q, st.Format, st.IntoOutfile)
		}
	}
}

func TestAnalyzeInsert(t *testing.T) {
	cases := []struct {
		q         string
		format    string
		tableEnd  string // query[:TableEnd]
		data      string // query[DataStart:]
		multi     bool
		nilInsert bool
	}{
		{q: "INSERT INTO t FORMAT TSV\n1\t2\n", format: "TSV", tableEnd: "INSERT INTO t", data: "1\t2\n"},
		{q: "INSERT INTO t FORMAT TSV", format: "TSV", tableEnd: "INSERT INTO t", data: ""},
		{q: "INSERT INTO t FORMAT TSV   1\t2", format: "TSV", tableEnd: "INSERT INTO t", data: "1\t2"},
		{q: "insert into db.`t x` (a, b) settings async_insert=1 format CSV\r\n'x;y',1\n", format: "CSV", tableEnd: "insert into db.`t x` (a, b)", data: "'x;y',1\n"},
		{q: "INSERT INTO TABLE format FORMAT Native\n\x01\x02;'", format: "Native", tableEnd: "INSERT INTO TABLE format", data: "\x01\x02;'"},
		{q: "INSERT INTO t VALUES (1, 'a;b'), (2, 'c')", format: "Values", tableEnd: "INSERT INTO t", data: " (1, 'a;b'), (2, 'c')"},
		{q: "INSERT INTO t VALUES (1); DROP TABLE t", format: "Values", tableEnd: "INSERT INTO t", data: " (1); DROP TABLE t", multi: true},
		{q: "INSERT INTO FUNCTION file('x.tsv', 'TSV', 'a UInt8') FORMAT TSV\n1\n", format: "TSV", tableEnd: "INSERT INTO FUNCTION file('x.tsv', 'TSV', 'a UInt8')", data: "1\n"},
		{q: "INSERT INTO {t:Identifier} FORMAT TSV\n1\n", format: "TSV", tableEnd: "INSERT INTO {t:Identifier}", data: "1\n"},
		{q: "INSERT INTO t SELECT * FROM u FORMAT TSV", nilInsert: true},
		{q: "INSERT INTO t FROM INFILE '/x' FORMAT TSV", nilInsert: true},
		{q: "INSERT INTO t WITH 1 AS x SELECT x", nilInsert: true},
	}
	for _, c := range cases {
		st := Analyze(c.q)
		if st.Keyword != "INSERT" {
			t.Errorf("%q: keyword %q", c.q, st.Keyword)
			continue
		}
		if c.nilInsert {
			if st.Insert != nil {
				t.Errorf("%q: unexpected data %+v", c.q, st.Insert)
			}
			continue
		}
		ins := st.Insert
		if ins == nil {
			t.Errorf("%q: no data found", c.q)
			continue
		}
		if ins.Format != c.format || c.q[:ins.TableEnd] != c.tableEnd || c.q[ins.DataStart:] != c.data || st.Multi != c.multi {
			t.Errorf("%q: got format %q table %q data %q multi %v", c.q, ins.Format, c.q[:ins.TableEnd], c.q[ins.DataStart:], st.Multi)
		}
	}
}

func TestInsertFromFile(t *testing.T) {
	q := "INSERT INTO t (a) SETTINGS x = 1 FORMAT TSV\n1\n"
	st := Analyze(q)
	got := insertFromFile(q, st.Insert, "/tmp/it's")
	want := `INSERT INTO t (a) FROM INFILE '/tmp/it\'s' SETTINGS x = 1  FORMAT TSV`
	if got != want {
		t.Fatalf("got %q", got)
	}
}

func TestQuote(t *testing.T) {
	if got := QuoteIdent("a`b"); got != "`a\\`b`" {
		t.Fatalf("QuoteIdent: %s", got)
	}
}
