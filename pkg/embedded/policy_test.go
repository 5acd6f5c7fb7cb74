package embedded

import (
	"reflect"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// The texts below are as chDB 26.7's formatQuery writes them.
func TestSettingChanges(t *testing.T) {
	cases := []struct {
		canon string
		want  []settingChange
	}{
		{"SELECT 1\nSETTINGS readonly = 0", []settingChange{{"readonly", "0", false}}},
		{"SELECT *\nFROM\n(\n    SELECT 1\n    SETTINGS readonly = 0\n)\nSETTINGS max_threads = 1",
			[]settingChange{{"readonly", "0", false}, {"max_threads", "1", false}}},
		{"SELECT 1\nSETTINGS max_threads = 1, readonly = DEFAULT", []settingChange{{"max_threads", "1", false}, {"readonly", "DEFAULT", true}}},
		{"SELECT *\nFROM t\nFORMAT JSON\nSETTINGS max_rows_to_read = 0, read_overflow_mode = 'throw'",
			[]settingChange{{"max_rows_to_read", "0", false}, {"read_overflow_mode", "'throw'", false}}},
		{"SET readonly = DEFAULT, param_x = 'a'", []settingChange{{"readonly", "DEFAULT", true}, {"param_x", "'a'", false}}},
		{"SELECT 1\nSETTINGS max_threads = -1, `weird name` = 2, x = [1, 2], y = {p:UInt8}",
			[]settingChange{{"max_threads", "-1", false}, {"weird name", "2", false}, {"x", "[1, 2]", false}, {"y", "{p:UInt8}", false}}},
		{"CREATE TABLE x\n(\n    `a` Int8\n)\nENGINE = MergeTree\nORDER BY a\nSETTINGS disk = disk(type = local, path = '/etc/'), index_granularity = 3",
			[]settingChange{{"disk", "disk(type = local, path = '/etc/')", false}, {"index_granularity", "3", false}}},
		{"SELECT settings\nFROM t", nil},
		{"SELECT 'SETTINGS readonly = 0'", nil},
	}
	for _, c := range cases {
		toks := sqllex.All(c.canon)
		got := settingChanges(toks, len(toks) > 0 && toks[0].Text == "SET")
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.canon, got, c.want)
		}
	}
}

func TestCalledNames(t *testing.T) {
	canon := "INSERT INTO FUNCTION file('x', 'TSV', 'a Int8') SELECT lower(s)\nFROM url('http://h/', CSV) AS u\n" +
		"INNER JOIN db.remote (a) USING (a)"
	var got []string
	for _, n := range calledNames(sqllex.All(canon)) {
		got = append(got, n.name)
	}
	// A keyword before a bracket comes out too; none is a host-reaching name.
	if want := []string{"file", "lower", "url", "USING"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	got = nil
	for _, n := range calledNames(sqllex.All("CREATE DATABASE fs\nENGINE = Filesystem")) {
		got = append(got, n.name)
	}
	if want := []string{"Filesystem"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("engine without arguments: got %v", got)
	}
}

func TestPolicyCheck(t *testing.T) {
	p := newPolicy()
	admin := access{}
	root := access{hostAccess: true}
	ro2 := access{eff: effective{readonly: 2}}
	ro1 := access{eff: effective{readonly: 1, settings: []Setting{{"max_threads", "1"}}}}
	demo := access{eff: effective{readonly: 2, settings: []Setting{{"max_rows_to_read", "5"}},
		constant: map[string]string{"max_rows_to_read": "5"}}}
	cases := []struct {
		canon string
		a     access
		code  int
	}{
		{"SELECT 1", ro1, 0},
		{"INSERT INTO t WITH\n    1 AS x\nSELECT x", ro2, CodeReadonly},
		{"INSERT INTO FUNCTION file('/tmp/x', 'TSV', 'a Int8') FORMAT Values", ro2, CodeReadonly},
		{"KILL QUERY WHERE 1", ro2, CodeReadonly},
		{"SELECT 1\nSETTINGS readonly = 0", ro2, CodeReadonly},
		{"SELECT 1\nSETTINGS readonly = 2", ro2, 0},
		{"SELECT 1\nSETTINGS readonly = DEFAULT", ro2, CodeReadonly},
		{"SELECT *\nFROM\n(\n    SELECT 1\n    SETTINGS readonly = 0\n)", ro2, CodeReadonly},
		{"SELECT 1\nSETTINGS max_threads = 1", ro2, 0},
		{"SELECT 1\nSETTINGS max_threads = 1", ro1, 0},
		{"SELECT 1\nSETTINGS max_threads = 2", ro1, CodeReadonly},
		{"SELECT 1\nSETTINGS readonly = 1", ro1, 0},
		{"SET max_threads = 2", ro1, CodeReadonly},
		{"SET param_x = 'a'", ro1, 0},
		{"SET max_threads = 2", ro2, 0},
		{"SET readonly = DEFAULT", ro2, CodeReadonly},
		{"SELECT 1\nSETTINGS max_rows_to_read = 0", demo, CodeSettingConstraintViolation},
		{"SELECT *\nFROM\n(\n    SELECT 1\n    SETTINGS max_rows_to_read = DEFAULT\n)", demo, CodeSettingConstraintViolation},
		{"SELECT 1\nSETTINGS max_rows_to_read = 5", demo, 0},
		{"SELECT file('/proc/self/environ')", admin, CodeAccessDenied},
		{"SELECT *\nFROM FILE('/proc/self/environ', 'RawBLOB')", admin, CodeAccessDenied},
		{"SELECT *\nFROM remoteSecure('h', system.one)", admin, CodeAccessDenied},
		{"SELECT *\nFROM file('/etc/hostname', 'RawBLOB')", root, 0},
		{"SELECT *\nFROM eval('SELECT 1')", root, 0},
		{"SELECT *\nFROM eval('SELECT 1')", admin, CodeAccessDenied},
		{"SELECT *\nFROM eval('SELECT 1')", access{hostAccess: true, eff: effective{readonly: 2}}, CodeAccessDenied},
		{"CREATE TABLE t\n(\n    `a` Int8\n)\nENGINE = URL('http://h/', CSV)", admin, CodeAccessDenied},
		{"CREATE TABLE db.url\n(\n    `a` Int8\n)\nENGINE = Memory", admin, 0},
		{"CREATE TABLE url\n(\n    `a` Int8\n)\nENGINE = Memory", admin, CodeAccessDenied},
		{"DESCRIBE TABLE file('/etc/passwd', 'CSV')", admin, CodeAccessDenied},
		{"INSERT INTO url (a) FORMAT Values", admin, 0},
		{"CREATE DATABASE fs\nENGINE = Filesystem", admin, CodeAccessDenied},
		{"CREATE DICTIONARY d\n(\n    `a` UInt64\n)\nPRIMARY KEY a\nSOURCE(CLICKHOUSE(HOST 'h' PORT 9000 QUERY 'SELECT 1'))\nLIFETIME(MIN 0 MAX 0)\nLAYOUT(FLAT())", admin, CodeAccessDenied},
		{"CREATE DICTIONARY d\n(\n    `a` UInt64\n)\nPRIMARY KEY a\nSOURCE(CLICKHOUSE(QUERY 'SELECT 1'))\nLIFETIME(MIN 0 MAX 0)\nLAYOUT(FLAT())", admin, 0},
		{"BACKUP TABLE t TO File('/tmp/b')", admin, CodeAccessDenied},
		{"ATTACH TABLE t FROM '/tmp/x'\n(\n    `a` Int8\n)\nENGINE = MergeTree\nORDER BY a", admin, CodeAccessDenied},
		{"SELECT 1\nFORMAT Template\nSETTINGS format_template_row = '/etc/passwd'", admin, CodeAccessDenied},
		{"SELECT 1\nINTO OUTFILE '/tmp/x'", root, CodeIntoOutfileNotAllowed},
		{"INSERT INTO t FROM INFILE '/tmp/x' FORMAT TSV", root, CodeUnknownTypeOfQuery},
		{"SELECT 1\nSETTINGS dialect = 'prql'", admin, CodeBadArguments},
	}
	for _, c := range cases {
		_, err := p.check(c.canon, c.a)
		if got := codeOf(err); got != c.code {
			t.Errorf("%q as %+v: got %v, want code %d", c.canon, c.a, err, c.code)
		}
	}
}

// A dictionary source's QUERY, INVALIDATE_QUERY and WHERE are SQL the
// dictionary runs later: they come back to be checked in turn.
func TestPolicyNestedSQL(t *testing.T) {
	canon := "CREATE DICTIONARY d\n(\n    `a` UInt64\n)\nPRIMARY KEY a\nSOURCE(CLICKHOUSE(QUERY 'SELECT 1 AS a, file(\\'/etc/hostname\\')' " +
		"INVALIDATE_QUERY 'SELECT max(a) FROM t' WHERE 'a > 0'))\nLIFETIME(MIN 0 MAX 0)\nLAYOUT(FLAT())"
	nested, err := newPolicy().check(canon, access{})
	want := []string{"SELECT 1 AS a, file('/etc/hostname')", "SELECT max(a) FROM t", "SELECT 1 WHERE a > 0"}
	if err != nil || !reflect.DeepEqual(nested, want) {
		t.Fatalf("nested %q %v, want %q", nested, err, want)
	}
	_, err = newPolicy().check("CREATE DICTIONARY d\n(\n    `a` UInt64\n)\nPRIMARY KEY a\nSOURCE(CLICKHOUSE(TABLE 'x(y)'))\nLIFETIME(MIN 0 MAX 0)\nLAYOUT(FLAT())", access{})
	if codeOf(err) != CodeAccessDenied {
		t.Fatalf("a bracket in a source's name: %v", err)
	}
	for _, setting := range []string{"input_format_values_interpret_expressions", "input_format_values_deduce_templates_of_expressions"} {
		if _, err := newPolicy().check("SELECT 1\nSETTINGS "+setting+" = 1", access{}); codeOf(err) != CodeAccessDenied {
			t.Errorf("%s: %v", setting, err)
		}
	}
}
