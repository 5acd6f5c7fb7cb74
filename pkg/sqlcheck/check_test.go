package sqlcheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// Statements a viewer may run.
func readingStatements() []string {
	return []string{
		"SELECT 1",
		"select count() FROM pypi.pypi WHERE project = {p:String}",
		"  -- a comment first\nSELECT 1",
		"/* block /* nested */ */ SELECT 1",
		"(SELECT 1) UNION ALL (SELECT 2)",
		"((SELECT 1))",
		"WITH 1 AS x SELECT x",
		"WITH t AS (SELECT 1 AS a) SELECT a FROM t",
		"SHOW TABLES FROM pypi",
		"DESCRIBE TABLE pypi.pypi",
		"DESC pypi.pypi",
		"EXPLAIN SELECT 1",
		"EXISTS TABLE pypi.pypi",
		"SELECT 1;",
		"SELECT number FROM numbers(10)",
		"SELECT * FROM zeros(3)",
		"SELECT * FROM generateSeries(1, 5)",
		"SELECT * FROM values('a UInt8', 1, 2)",
		"SELECT * FROM view(SELECT 1)",
		"SELECT * FROM merge('pypi', '^pypi_downloads$')",
		"SELECT * FROM cluster('default', pypi.pypi) LIMIT 1",
		"SELECT extract(YEAR FROM toDate('2024-01-01'))",
		"SELECT trim(BOTH ' ' FROM concat(' a ', 'b'))",
		"SELECT substring('abc' FROM 2)",
		"SELECT 'INSERT INTO t VALUES (1)', 'file(''/etc/passwd'')'",
		"SELECT `insert`, \"drop\" FROM (SELECT 1 AS `insert`, 2 AS \"drop\")",
		"SELECT t.delete FROM (SELECT 1 AS delete) AS t",
		"SELECT replace('a', 'a', 'b'), set.x FROM (SELECT 1 AS x) AS set",
		"SELECT count() AS update FROM numbers(3)",
		"SELECT 1 SETTINGS max_threads = 1",
		"SELECT $$file('/etc/passwd')$$",
		"SELECT fileName FROM (SELECT 'x' AS fileName)",
		"SELECT pypi.file(1)",
	}
}

// Statements that write, change the server, or reach outside it; each is
// refused, and the error names what.
func refusedStatements() map[string]string {
	return map[string]string{
		"DROP TABLE pypi.pypi":                                              "read-only",
		"drop table pypi.pypi":                                              "read-only",
		"INSERT INTO pypi.projects SELECT * FROM pypi.projects":             "read-only",
		"WITH 1 AS x INSERT INTO pypi.projects SELECT * FROM pypi.projects": `"INSERT"`,
		"-- comment\nDROP TABLE pypi.pypi":                                  "read-only",
		"/* c */ (INSERT INTO t VALUES (1))":                                "read-only",
		"(DROP TABLE t)":                                                    "read-only",
		"SELECT 1; DROP TABLE pypi.pypi":                                    "more than one statement",
		"SELECT 1;;":                                                        "more than one statement",
		"ALTER TABLE pypi.pypi DELETE WHERE 1":                              "read-only",
		"TRUNCATE TABLE pypi.pypi":                                          "read-only",
		"RENAME TABLE pypi.a TO pypi.b":                                     "read-only",
		"CREATE FUNCTION f AS x -> x":                                       "read-only",
		"SYSTEM DROP DNS CACHE":                                             "read-only",
		"KILL QUERY WHERE 1":                                                "read-only",
		"SET max_threads = 1":                                               "read-only",
		"OPTIMIZE TABLE pypi.pypi FINAL":                                    "read-only",
		"EXPLAIN INSERT INTO t SELECT 1":                                    `"INSERT"`,
		"SELECT 1 INTO OUTFILE '/tmp/x'":                                    "OUTFILE",
		"INSERT INTO FUNCTION file('/tmp/x.csv','CSV') SELECT 1":            "read-only",
		"SELECT * FROM file('/etc/passwd','LineAsString')":                  `"file"`,
		"SELECT file('/etc/passwd')":                                        `"file"`,
		"SELECT * FROM `file`('/etc/passwd')":                               `"file"`,
		"SELECT * FROM FILE('/etc/passwd')":                                 `"FILE"`,
		"SELECT * FROM url('http://127.0.0.1/', 'CSV')":                     `"url"`,
		"SELECT * FROM s3('http://x/y.csv')":                                `"s3"`,
		"SELECT * FROM remote('127.0.0.1', system.one)":                     `"remote"`,
		"SELECT * FROM remoteSecure('127.0.0.1', system.one)":               `"remoteSecure"`,
		"SELECT * FROM mysql('h', 'd', 't', 'u', 'p')":                      `"mysql"`,
		"SELECT * FROM postgresql('h', 'd', 't', 'u', 'p')":                 `"postgresql"`,
		"SELECT * FROM executable('x.sh', 'TSV', 'a String')":               `"executable"`,
		"SELECT * FROM input('a String')":                                   `"input"`,
		"SELECT * FROM fuzzJSON('{}')":                                      `"fuzzJSON"`,
		"SELECT * FROM eval('SELECT * FROM file(''/etc/passwd'')')":         `"eval"`,
		"SELECT * FROM filesystem('/')":                                     `"filesystem"`,
		"SELECT * FROM icebergLocal('/tmp/t')":                              `"icebergLocal"`,
		"SELECT * FROM deltaLakeS3Cluster('c', 'http://x')":                 `"deltaLakeS3Cluster"`,
		"SELECT * FROM loop(numbers(1)) JOIN sqlite('x', 't') USING a":      `"sqlite"`,
		"SELECT * FROM (SELECT * FROM hdfs('hdfs://x'))":                    `"hdfs"`,
		"DESCRIBE TABLE file('/etc/passwd')":                                `"file"`,
		"SELECT * FROM newExternalThing('x')":                               "not one the data source allows",
		"":                                                                  "empty",
		"   -- only a comment":                                              "empty",
		"42":                                                                "read-only",
	}
}

func TestReadingStatementsPass(t *testing.T) {
	for _, sql := range readingStatements() {
		if err := Check(sql); err != nil {
			t.Errorf("%q refused: %v", sql, err)
		}
	}
}

func TestRefusedStatements(t *testing.T) {
	for sql, want := range refusedStatements() {
		err := Check(sql)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: got %v, want a refusal", sql, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q does not say %q", sql, err, want)
		}
	}
}

func TestErrorsQuoteAtMost200Characters(t *testing.T) {
	long := strings.Repeat("é", 500)
	for _, sql := range []string{"DROP " + long, long, "SELECT 1; " + long, "SELECT * FROM " + long + "(1)"} {
		err := Check(sql)
		if err == nil || strings.Count(err.Error(), "é") > 200 {
			t.Errorf("error %v repeats more than 200 characters of the input", err)
		}
	}
}

// FuzzCheck: any input is judged without panicking, and an accepted one
// never starts with a writing statement.
func FuzzCheck(f *testing.F) {
	for _, s := range readingStatements() {
		f.Add(s)
	}
	for s := range refusedStatements() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if Check(sql) != nil {
			return
		}
		toks := sqllex.All(sql)
		first := firstWord(toks)
		if first < 0 || !readingStatement(toks[first].Text) {
			t.Fatalf("accepted %q, which does not start with a reading statement", sql)
		}
	})
}
