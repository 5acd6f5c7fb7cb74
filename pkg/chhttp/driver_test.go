package chhttp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func wantException(t *testing.T, err error, code int32) {
	t.Helper()
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("want *clickhouse.Exception %d, got %T %v", code, err, err)
	}
	if ex.Code != code {
		t.Fatalf("want code %d, got %d: %v", code, ex.Code, ex)
	}
}

func TestDriverHello(t *testing.T) {
	conn := openConn(t, "", "")
	ctx := context.Background()
	v, err := conn.ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.Version.Major != 26 {
		t.Fatalf("server version %+v", v)
	}
	var name, version string
	if err := conn.QueryRow(ctx, "SELECT displayName(), version()").Scan(&name, &version); err != nil {
		t.Fatal(err)
	}
	if name == "" || !strings.HasPrefix(version, "26.7") {
		t.Fatalf("displayName %q version %q", name, version)
	}
}

func TestDriverTypes(t *testing.T) {
	conn := openConn(t, "alice", "s3cret")
	ctx := context.Background()
	var (
		d     time.Time
		d32   time.Time
		dt64  time.Time
		lc    string
		arr   []string
		nul   *string
		nul2  *string
		u64   uint64
		i64   int64
		f64   float64
		m     map[string]uint64
		dtUTC time.Time
	)
	err := conn.QueryRow(ctx, `SELECT
		toDate('2024-02-29'), toDate32('1960-01-02'), toDateTime64('2024-03-01 12:34:56.789', 3, 'UTC'),
		toLowCardinality('lc'), ['a', 'b'], CAST(NULL AS Nullable(String)), CAST('x' AS Nullable(String)),
		18446744073709551615, -9223372036854775808, 1.5, map('k', toUInt64(7)), toDateTime('2024-01-02 03:04:05', 'UTC')`).
		Scan(&d, &d32, &dt64, &lc, &arr, &nul, &nul2, &u64, &i64, &f64, &m, &dtUTC)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Date", d.Format(time.DateOnly), "2024-02-29"},
		{"Date32", d32.Format(time.DateOnly), "1960-01-02"},
		{"DateTime64", dt64.UTC().Format("2006-01-02 15:04:05.000"), "2024-03-01 12:34:56.789"},
		{"LowCardinality", lc, "lc"},
		{"Array", fmt.Sprint(arr), "[a b]"},
		{"Nullable null", nul == nil, true},
		{"Nullable", nul2 != nil && *nul2 == "x", true},
		{"UInt64", u64, uint64(18446744073709551615)},
		{"Int64", i64, int64(-9223372036854775808)},
		{"Float64", f64, 1.5},
		{"Map", m["k"], uint64(7)},
		{"DateTime", dtUTC.UTC().Format(time.DateTime), "2024-01-02 03:04:05"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v want %v", c.name, c.got, c.want)
		}
	}
}

func TestDriverErrors(t *testing.T) {
	conn := openConn(t, "", "")
	ctx := context.Background()
	wantException(t, conn.Exec(ctx, "SELEC 1"), 62)
	_, err := conn.Query(ctx, "SELECT no_such_column")
	wantException(t, err, 47)
	_, err = conn.Query(ctx, "SELECT * FROM no_such_table")
	wantException(t, err, 60)
	var httpErr *clickhouse.HTTPError
	if !errors.As(err, &httpErr) || httpErr.StatusCode != 404 {
		t.Fatalf("HTTP status: %v", err)
	}
}

func TestDriverAuth(t *testing.T) {
	ctx := context.Background()
	bad := openConn(t, "alice", "wrong")
	err := bad.Ping(ctx)
	wantException(t, err, 516)
	var httpErr *clickhouse.HTTPError
	if !errors.As(err, &httpErr) || httpErr.StatusCode != 403 {
		t.Fatalf("HTTP status: %v", err)
	}
	wantException(t, openConn(t, "mallory", "").Ping(ctx), 516)

	if err := openConn(t, "alice", "s3cret").Ping(ctx); err != nil {
		t.Fatal(err)
	}

	reader := openConn(t, "reader", "r")
	var n uint8
	if err := reader.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("readonly SELECT: %v %d", err, n)
	}
	wantException(t, reader.Exec(ctx, "CREATE TABLE ro_t (a Int32) ENGINE = Memory"), 164)
}

func TestDriverHostileParams(t *testing.T) {
	conn := openConn(t, "alice", "s3cret")
	ctx := context.Background()
	if err := conn.Exec(ctx, "CREATE TABLE hostile (id UInt32) ENGINE = MergeTree ORDER BY id"); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP TABLE hostile")
	if err := conn.Exec(ctx, "INSERT INTO hostile SELECT number FROM numbers(10)"); err != nil {
		t.Fatal(err)
	}
	var big strings.Builder
	for big.Len() < 10_000 {
		big.WriteString("héllo wörld 你好 🚀👩‍👩‍👧 مرحبا עברית \u200f ")
	}
	values := []string{
		"plain",
		"it's",
		`back\slash \' \\ \n`,
		"new\nline\r\ncrlf",
		"tab\there",
		"'; DROP TABLE hostile; --",
		"{x:String} $$ ` \" ; /* */ -- #",
		"nul\x00byte",
		"",
		big.String(),
	}
	for i, v := range values {
		var got string
		var hexGot string
		err := conn.QueryRow(ctx, "SELECT {v:String}, hex({v:String}) FROM hostile WHERE id = {i:UInt32}",
			clickhouse.Named("v", v), clickhouse.Named("i", fmt.Sprint(i))).Scan(&got, &hexGot)
		if err != nil {
			t.Fatalf("value %d: %v", i, err)
		}
		if got != v || hexGot != strings.ToUpper(fmt.Sprintf("%x", v)) {
			t.Fatalf("value %d: got %q", i, truncate(got))
		}
	}
	var count uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM hostile").Scan(&count); err != nil || count != 10 {
		t.Fatalf("rows after hostile params: %d %v", count, err)
	}
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func TestDriverStaleParam(t *testing.T) {
	conn := openConn(t, "", "")
	ctx := context.Background()
	var s string
	if err := conn.QueryRow(ctx, "SELECT {stale:String}", clickhouse.Named("stale", "first")).Scan(&s); err != nil || s != "first" {
		t.Fatalf("first: %q %v", s, err)
	}
	_, err := conn.Query(ctx, "SELECT {stale:String}")
	wantException(t, err, 456)
	if !strings.Contains(err.Error(), "Substitution `stale` is not set") {
		t.Fatalf("message: %v", err)
	}
}

func TestDriverMultiStatement(t *testing.T) {
	conn := openConn(t, "", "")
	ctx := context.Background()
	wantException(t, conn.Exec(ctx, "CREATE TABLE multi_a (a Int32) ENGINE = Memory; CREATE TABLE multi_b (a Int32) ENGINE = Memory"), 62)
	var exists uint8
	if err := conn.QueryRow(ctx, "EXISTS TABLE multi_a").Scan(&exists); err != nil || exists != 0 {
		t.Fatalf("first statement ran: %d %v", exists, err)
	}
}

func TestDriverConcurrency(t *testing.T) {
	conn := openConn(t, "", "", func(o *clickhouse.Options) { o.MaxOpenConns = 10 })
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				n := uint64(g*100 + i)
				var got uint64
				if err := conn.QueryRow(ctx, "SELECT {n:UInt64} * 2", clickhouse.Named("n", fmt.Sprint(n))).Scan(&got); err != nil {
					errs <- err
					continue
				}
				if got != 2*n {
					errs <- fmt.Errorf("n=%d: got %d", n, got)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDriverCancel(t *testing.T) {
	conn := openConn(t, "", "")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	var sum uint64
	err := conn.QueryRow(ctx, "SELECT sum(cityHash64(number)) FROM numbers(1e11)").Scan(&sum)
	took := time.Since(start)
	if err == nil {
		t.Fatalf("slow query finished: %d", sum)
	}
	if took > 10*time.Second {
		t.Fatalf("driver returned after %v", took)
	}
	t.Logf("driver returned %v after %v", err, took)
	// The engine must be free again, not still running the query.
	start = time.Now()
	var n uint8
	if err := conn.QueryRow(context.Background(), "SELECT 7").Scan(&n); err != nil || n != 7 {
		t.Fatalf("after cancel: %d %v", n, err)
	}
	if after := time.Since(start); after > 5*time.Second {
		t.Fatalf("next query waited %v", after)
	}
}

func TestDriverSettings(t *testing.T) {
	conn := openConn(t, "", "")
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{
		"max_result_rows":      1,
		"result_overflow_mode": "throw",
	}))
	rows, err := conn.Query(ctx, "SELECT number FROM numbers(5)")
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	wantException(t, err, 396)
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM (SELECT number FROM numbers(5))").Scan(&n); err != nil || n != 5 {
		t.Fatalf("after: %d %v", n, err)
	}
	var v string
	if err := conn.QueryRow(context.Background(), "SELECT getSetting('max_result_rows')::String").Scan(&v); err != nil || v != "0" {
		t.Fatalf("setting leaked: %q %v", v, err)
	}
}

func TestDriverBatchInsert(t *testing.T) {
	for _, tc := range []struct {
		name string
		comp *clickhouse.Compression
	}{
		{"plain", nil},
		{"gzip", &clickhouse.Compression{Method: clickhouse.CompressionGZIP}},
		{"lz4", &clickhouse.Compression{Method: clickhouse.CompressionLZ4}},
		{"zstd", &clickhouse.Compression{Method: clickhouse.CompressionZSTD}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn := openConn(t, "alice", "s3cret", func(o *clickhouse.Options) {
				o.Compression = tc.comp
				o.Settings = clickhouse.Settings{"enable_http_compression": 1}
			})
			testBatchInsert(t, conn, "batch_"+tc.name)
		})
	}
}

func testBatchInsert(t *testing.T, conn clickhouse.Conn, table string) {
	ctx := context.Background()
	err := conn.Exec(ctx, "CREATE TABLE "+table+` (
		id UInt64, name LowCardinality(String), day Date, ts DateTime64(3, 'UTC'),
		tags Array(String), note Nullable(String), score Float64
	) ENGINE = MergeTree ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP TABLE "+table)
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+table)
	if err != nil {
		t.Fatal(err)
	}
	const rows = 100_000
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var wantSum uint64
	for i := 0; i < rows; i++ {
		var note *string
		if i%3 == 0 {
			s := fmt.Sprintf("n%d", i)
			note = &s
		}
		wantSum += uint64(i)
		if err := batch.Append(uint64(i), fmt.Sprintf("pkg%d", i%7), base.AddDate(0, 0, i%365),
			base.Add(time.Duration(i)*time.Millisecond), []string{"a", fmt.Sprint(i % 5)}, note, float64(i)/2); err != nil {
			t.Fatal(err)
		}
	}
	if err := batch.Send(); err != nil {
		t.Fatal(err)
	}
	var (
		count, sum, notes uint64
		lastTS            time.Time
		names             uint64
	)
	err = conn.QueryRow(ctx, "SELECT count(), sum(id), count(note), max(ts), uniqExact(name) FROM "+table).
		Scan(&count, &sum, &notes, &lastTS, &names)
	if err != nil {
		t.Fatal(err)
	}
	if count != rows || sum != wantSum || notes != (rows+2)/3 || names != 7 ||
		!lastTS.Equal(base.Add((rows-1)*time.Millisecond)) {
		t.Fatalf("count %d sum %d notes %d names %d last %v", count, sum, notes, names, lastTS)
	}
	var tags []string
	var day time.Time
	if err := conn.QueryRow(ctx, "SELECT tags, day FROM "+table+" WHERE id = 12").Scan(&tags, &day); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(tags) != "[a 2]" || day.Format(time.DateOnly) != "2024-01-13" {
		t.Fatalf("row 12: %v %v", tags, day)
	}
}

func TestDriverCompressedQuery(t *testing.T) {
	for _, c := range []clickhouse.CompressionMethod{clickhouse.CompressionGZIP, clickhouse.CompressionDeflate,
		clickhouse.CompressionBrotli, clickhouse.CompressionLZ4, clickhouse.CompressionZSTD} {
		t.Run(c.String(), func(t *testing.T) {
			conn := openConn(t, "", "", func(o *clickhouse.Options) {
				o.Compression = &clickhouse.Compression{Method: c}
				o.Settings = clickhouse.Settings{"enable_http_compression": 1}
			})
			var n, s uint64
			if err := conn.QueryRow(context.Background(), "SELECT count(), sum(number) FROM numbers(100000)").Scan(&n, &s); err != nil {
				t.Fatal(err)
			}
			if n != 100000 || s != 4999950000 {
				t.Fatalf("%d %d", n, s)
			}
			_, err := conn.Query(context.Background(), "SELECT * FROM no_such_table")
			wantException(t, err, 60)
		})
	}
}
