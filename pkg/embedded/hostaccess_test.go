package embedded

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostReads are queries that read the host's files, reach the network or
// run programs; none may run without host access, whoever asks. Network
// targets are closed local ports, so a query that did run would fail
// differently (and slowly) instead of passing.
func hostReads(dir string) []string {
	secret := filepath.Join(dir, "secret.tsv")
	return []string{
		"SELECT * FROM file('/proc/self/environ', 'RawBLOB')",
		"SELECT * FROM file('/proc/self/cmdline', 'RawBLOB')",
		"SELECT file('/proc/self/environ')",
		"SELECT `file`('/proc/self/environ')",
		"SELECT * FROM FILE('" + secret + "', 'TSV')",
		"SELECT * FROM fileCluster('default', '" + secret + "', 'TSV')",
		"SELECT * FROM filesystem('" + dir + "')",
		"SELECT * FROM url('http://127.0.0.1:9/x', 'RawBLOB')",
		"SELECT * FROM url('file://" + secret + "', 'TSV')",
		"SELECT * FROM s3('http://127.0.0.1:9/b/x', 'RawBLOB')",
		"SELECT * FROM s3Cluster('default', 'http://127.0.0.1:9/b/x', 'RawBLOB')",
		"SELECT * FROM gcs('http://127.0.0.1:9/b/x', 'RawBLOB')",
		"SELECT * FROM azureBlobStorage('http://127.0.0.1:9', 'c', 'x', 'a', 'k', 'RawBLOB')",
		"SELECT * FROM hdfs('hdfs://127.0.0.1:9/x', 'RawBLOB')",
		"SELECT * FROM remote('127.0.0.1:9', system.one)",
		"SELECT * FROM remoteSecure('127.0.0.1:9', system.one)",
		"SELECT * FROM cluster('default', system.one)",
		"SELECT * FROM mysql('127.0.0.1:9', 'd', 't', 'u', 'p')",
		"SELECT * FROM postgresql('127.0.0.1:9', 'd', 't', 'u', 'p')",
		"SELECT * FROM mongodb('127.0.0.1:9', 'd', 't', 'u', 'p', 'a Int8')",
		"SELECT * FROM redis('127.0.0.1:9', 'k', 'k String')",
		"SELECT * FROM sqlite('" + secret + "', 't')",
		"SELECT * FROM jdbc('jdbc:x', 't')",
		"SELECT * FROM odbc('DSN=x', 't')",
		"SELECT * FROM executable('cat', 'TSV', 'a String')",
		"SELECT * FROM icebergLocal('" + dir + "')",
		"SELECT * FROM deltaLakeLocal('" + dir + "')",
		"SELECT * FROM eval('SELECT 1')",
		"SELECT * FROM (SELECT * FROM url('http://127.0.0.1:9/x', 'RawBLOB'))",
		"WITH f AS (SELECT * FROM file('" + secret + "', 'TSV')) SELECT * FROM f",
		"SELECT 1 WHERE 1 IN (SELECT count() FROM file('" + secret + "', 'TSV'))",
		"DESCRIBE TABLE file('" + secret + "', 'TSV')",
		"SELECT 1 FORMAT Template SETTINGS format_template_row = '" + secret + "'",
		"INSERT INTO t FROM INFILE '" + secret + "' FORMAT TSV",
		// Values data is parsed with SQL expressions unless told otherwise.
		"SELECT * FROM format(Values, 's String', '(file(''" + secret + "''))')",
		"SELECT * FROM format(Values, 's String', '(''x'')') SETTINGS input_format_values_interpret_expressions = 1",
	}
}

// hostWrites reach the host from statements only an administrator could
// run otherwise.
func hostWrites(dir string) []string {
	out := filepath.Join(dir, "out.tsv")
	return []string{
		"INSERT INTO FUNCTION file('" + out + "', 'TSV', 'a UInt8') VALUES (1)",
		"INSERT INTO FUNCTION url('http://127.0.0.1:9/x', 'TSV', 'a UInt8') VALUES (1)",
		"SELECT 1 INTO OUTFILE '" + out + "'",
		"CREATE TABLE host_f (a UInt8) ENGINE = File(TSV, '" + out + "')",
		"CREATE TABLE host_u (a UInt8) ENGINE = URL('http://127.0.0.1:9/x', TSV)",
		"CREATE TABLE host_s (a UInt8) ENGINE = S3('http://127.0.0.1:9/b/x', 'TSV')",
		"CREATE TABLE host_m (a UInt8) ENGINE = MySQL('127.0.0.1:9', 'd', 't', 'u', 'p')",
		"CREATE TABLE host_d (a UInt8) ENGINE = Distributed('default', 'system', 'one')",
		"CREATE TABLE host_r (a UInt8) ENGINE = EmbeddedRocksDB(0, '" + dir + "') PRIMARY KEY a",
		"CREATE TABLE host_l (a UInt8) ENGINE = FileLog('" + dir + "', 'TSV')",
		"CREATE TABLE host_q (query String) ENGINE = QueryRunner",
		"CREATE TABLE host_k (a UInt8) ENGINE = MergeTree ORDER BY a SETTINGS disk = disk(type = local, path = '" + dir + "/')",
		"CREATE DATABASE host_fs ENGINE = Filesystem('" + dir + "')",
		"CREATE DATABASE host_fs2 ENGINE = Filesystem",
		"CREATE DATABASE host_my ENGINE = MySQL('127.0.0.1:9', 'd', 'u', 'p')",
		"CREATE DICTIONARY host_df (a UInt64) PRIMARY KEY a SOURCE(FILE(path '" + out + "' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
		"CREATE DICTIONARY host_dh (a UInt64) PRIMARY KEY a SOURCE(HTTP(url 'http://127.0.0.1:9/' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
		"CREATE DICTIONARY host_de (a UInt64) PRIMARY KEY a SOURCE(EXECUTABLE(command 'cat' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
		"CREATE DICTIONARY host_dc (a UInt64) PRIMARY KEY a SOURCE(CLICKHOUSE(host '127.0.0.1' port 9 query 'SELECT 1')) LAYOUT(FLAT()) LIFETIME(0)",
		"BACKUP TABLE system.one TO File('" + out + "')",
		"BACKUP TABLE system.one TO Disk('default', 'b')",
		"ATTACH TABLE host_a FROM '" + dir + "' (a UInt8) ENGINE = MergeTree ORDER BY a",
		"SELECT 1 FORMAT CapnProto SETTINGS output_format_schema = '" + out + "'",
		// SQL in a dictionary source's strings runs when the dictionary loads.
		"CREATE DICTIONARY host_dq (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(QUERY 'SELECT 1 AS k, file(''" + out + "'') AS v')) LAYOUT(FLAT()) LIFETIME(0)",
		"CREATE DICTIONARY host_dw (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'host_t' WHERE 'file(''" + out + "'') != ''''')) LAYOUT(FLAT()) LIFETIME(0)",
		"CREATE DICTIONARY host_di (k UInt64, v String) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'host_t' INVALIDATE_QUERY 'SELECT * FROM url(''http://127.0.0.1:9/'', ''RawBLOB'')')) LAYOUT(FLAT()) LIFETIME(0)",
		"INSERT INTO host_values VALUES (file('" + out + "'))",
		"INSERT INTO host_values SETTINGS input_format_values_interpret_expressions = 1 VALUES ('x')",
	}
}

// Without host access, nobody (the admin included) reaches the host: the
// process's environment and command line, where a password might be, stay
// out of reach, and a temp dir stays as it was.
func TestHostAccessRefused(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.tsv"), []byte("secret\t42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	list := func() string {
		var files []string
		_ = filepath.WalkDir(dir, func(p string, _ os.DirEntry, _ error) error {
			files = append(files, p)
			return nil
		})
		return strings.Join(files, "\n") + query(t, Request{Query: "SELECT name FROM system.tables WHERE database = 'default' AND name LIKE 'host%' UNION ALL SELECT name FROM system.databases WHERE name LIKE 'host%' UNION ALL SELECT name FROM system.dictionaries WHERE name LIKE 'host%'"})
	}
	if err := e.Exec(ctx, "CREATE TABLE host_values (s String) ENGINE = Memory"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP TABLE host_values")
	before := list()
	for _, who := range []struct {
		name string
		req  Request
	}{
		{"admin", Request{}},
		{"admin with readonly=2", Request{Settings: []Setting{{"readonly", "2"}}}},
		{"readonly=2 user", Request{Profile: Profile{Readonly: 2}}},
	} {
		for _, q := range hostReads(dir) {
			req := who.req
			req.Query = q
			_, err := e.Query(ctx, req)
			code := codeOf(err)
			if code != CodeAccessDenied && code != CodeIntoOutfileNotAllowed && code != CodeUnknownTypeOfQuery && code != CodeReadonly &&
				code != CodeSupportIsDisabled {
				t.Errorf("%s: %q: got %v, want it refused", who.name, q, err)
			}
		}
	}
	for _, q := range hostWrites(dir) {
		_, err := e.Query(ctx, Request{Query: q})
		// Values expressions are refused by the engine itself (344
		// SUPPORT_IS_DISABLED: "Interpreting expressions is disabled").
		if code := codeOf(err); code != CodeAccessDenied && code != CodeIntoOutfileNotAllowed && code != CodeSupportIsDisabled {
			t.Errorf("admin: %q: got %v, want it refused", q, err)
		}
	}
	if got := query(t, Request{Query: "SELECT count() FROM host_values"}); got != "0\n" {
		t.Errorf("host_values got rows: %q", got)
	}
	// Literal Values data still goes in.
	if err := e.Exec(ctx, "INSERT INTO host_values VALUES ('lit'), ('x')"); err != nil {
		t.Fatal(err)
	}
	if err := e.Exec(ctx, "TRUNCATE TABLE host_values"); err != nil {
		t.Fatal(err)
	}
	if after := list(); after != before {
		t.Fatalf("changed:\n%s\n%s", before, after)
	}
	// A local dictionary source stays allowed: ClickPy's schema uses one.
	if err := e.Exec(ctx, "CREATE DICTIONARY local_dict (a UInt64, b UInt64) PRIMARY KEY a SOURCE(CLICKHOUSE(QUERY 'SELECT 1 AS a, 2 AS b')) LAYOUT(FLAT()) LIFETIME(0)"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP DICTIONARY local_dict")
	if got := query(t, Request{Query: "SELECT dictGet('local_dict', 'b', toUInt64(1))"}); got != "2\n" {
		t.Fatalf("local dictionary: %q", got)
	}
}

// An administrator given host access reaches the host; readonly and
// constant settings still hold for it.
func TestHostAccessGranted(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.tsv")
	if err := os.WriteFile(secret, []byte("secret\t42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := e.Query(ctx, Request{Query: "SELECT * FROM file('" + secret + "', 'TSV', 'k String, v UInt8')", HostAccess: true})
	if err != nil || string(res.Data) != "secret\t42\n" {
		t.Fatalf("file() with host access: %v %q", err, resData(res))
	}
	// readonly=2 reads files in ClickHouse; a nested readonly=0 is still refused.
	if _, err := e.Query(ctx, Request{Query: "SELECT * FROM file('" + secret + "', 'TSV')", HostAccess: true, Settings: []Setting{{"readonly", "2"}}}); err != nil {
		t.Fatalf("readonly=2 with host access: %v", err)
	}
	_, err = e.Query(ctx, Request{Query: "SELECT * FROM (SELECT 1 SETTINGS readonly = 0)", HostAccess: true, Settings: []Setting{{"readonly", "2"}}})
	wantCode(t, err, CodeReadonly)
	// INTO OUTFILE and FROM INFILE are a client's, never a server's.
	_, err = e.Query(ctx, Request{Query: "SELECT 1 INTO OUTFILE '" + filepath.Join(dir, "o") + "'", HostAccess: true})
	wantCode(t, err, CodeIntoOutfileNotAllowed)
	_, err = e.Query(ctx, Request{Query: "INSERT INTO t FROM INFILE '" + secret + "' FORMAT TSV", HostAccess: true})
	wantCode(t, err, CodeUnknownTypeOfQuery)
}

// chDB's default database is an overlay that reads files by table name
// (the working directory's, or any absolute path); the engine replaces it
// with the plain database underneath, keeping default's tables.
func TestDefaultDatabaseReadsNoFiles(t *testing.T) {
	e := testEngine(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secrets"), []byte("k\tv\nsecret\t42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data.csv"), []byte("k,v\nsecret,42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, q := range []string{
		"SELECT * FROM secrets",
		"SELECT * FROM default.secrets",
		"SELECT * FROM `data.csv`",
		"SELECT * FROM '" + filepath.Join(dir, "data.csv") + "'",
		"SELECT * FROM default.`" + filepath.Join(dir, "secrets") + "`",
	} {
		_, err := e.Query(context.Background(), Request{Query: q, HostAccess: true})
		wantCode(t, err, CodeUnknownTable)
	}
	if got := query(t, Request{Query: "SELECT engine FROM system.databases WHERE name = 'default'"}); got != "Atomic\n" {
		t.Fatalf("default database engine %q", got)
	}
	// Its own tables still work.
	ctx := context.Background()
	if err := e.Exec(ctx, "CREATE TABLE default.kept (a UInt8) ENGINE = MergeTree ORDER BY a"); err != nil {
		t.Fatal(err)
	}
	defer e.Exec(ctx, "DROP TABLE default.kept")
	if err := e.Exec(ctx, "INSERT INTO kept VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	if got := query(t, Request{Query: "SELECT a FROM kept"}); got != "7\n" {
		t.Fatalf("default table: %q", got)
	}
}
