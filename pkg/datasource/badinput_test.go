package datasource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// goodModel is the valid query sent along with every bad one: it must
// keep answering whatever its neighbour does.
func goodModel() map[string]any {
	return map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "granularity": "day"}
}

// checkGoodAnswer fails unless the response carries a frame with downloads.
func checkGoodAnswer(t *testing.T, name string, r backend.DataResponse) {
	t.Helper()
	if r.Error != nil {
		t.Errorf("%s: the valid query next to it failed: %v", name, r.Error)
		return
	}
	if len(r.Frames) != 1 {
		t.Errorf("%s: the valid query gave %d frames", name, len(r.Frames))
		return
	}
	if n := frameDownloads(r.Frames[0]); n <= 0 {
		t.Errorf("%s: the valid query counted %v downloads", name, n)
	}
}

// frameDownloads adds up every numeric field of a frame: for time series
// and the filtered queries used here, every numeric field is a count.
func frameDownloads(f *data.Frame) float64 {
	var sum float64
	for _, fl := range f.Fields {
		if !fl.Type().Numeric() {
			continue
		}
		for i := 0; i < fl.Len(); i++ {
			if v, ok := fl.NullableFloatAt(i); ok == nil && v != nil {
				sum += *v
			}
		}
	}
	return sum
}

// Each bad query is refused on its own, with a 400 and a message naming
// what to fix, while the valid query of the same request answers.
func TestBadInputPerQuery(t *testing.T) {
	from, to := dataRange()
	ctx := context.Background()
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("pkg%d", i)
	}
	raw := func(refID, js string) backend.DataQuery {
		return backend.DataQuery{RefID: refID, JSON: []byte(js), MaxDataPoints: 1000, Interval: time.Minute,
			TimeRange: backend.TimeRange{From: from, To: to}}
	}
	cases := []struct {
		name  string
		q     backend.DataQuery
		wants []string
	}{
		{"unknown queryType", query("BAD", map[string]any{"queryType": "pie_chart", "packages": []string{"requests"}}, from, to), []string{"queryType", "pie_chart"}},
		{"malformed JSON", raw("BAD", `{"queryType": "timeseries", "packages": ["requests"`), []string{"query", "JSON"}},
		{"JSON array", raw("BAD", `["requests"]`), []string{"query", "JSON object"}},
		{"unknown filter field", query("BAD", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "colours": []string{"red"}}, from, to), []string{"colours", "unknown field"}},
		{"wrong JSON type", query("BAD", map[string]any{"queryType": "timeseries", "packages": "requests"}, from, to), []string{"packages"}},
		{"ranking without packages", query("BAD", map[string]any{"queryType": "ranking"}, from, to), []string{"packages", "ranking"}},
		{"summary without packages", query("BAD", map[string]any{"queryType": "summary"}, from, to), []string{"packages"}},
		{"too many packages", query("BAD", map[string]any{"queryType": "timeseries", "packages": many}, from, to), []string{"packages", "21"}},
		{"reversed time range", query("BAD", goodModel(), to, from), []string{"time range", "swap"}},
		{"limit 0", query("BAD", map[string]any{"queryType": "top_packages", "limit": 0}, from, to), []string{"limit", "0"}},
		{"limit 1000000", query("BAD", map[string]any{"queryType": "top_packages", "limit": 1_000_000}, from, to), []string{"limit", "1000000"}},
		{"negative minDownloads", query("BAD", map[string]any{"queryType": "hot", "minDownloads": -1}, from, to), []string{"minDownloads"}},
		{"granularity hour", query("BAD", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "granularity": "hour"}, from, to), []string{"granularity", "hour"}},
		{"breakdown colour", query("BAD", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "breakdown": "colour"}, from, to), []string{"breakdown", "colour"}},
		{"breakdown dimension colour", query("BAD", map[string]any{"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "colour"}, from, to), []string{"dimension", "colour"}},
		{"sql without SQL", query("BAD", map[string]any{"queryType": "sql", "rawSql": "  "}, from, to), []string{"rawSql"}},
		{"unknown variable", query("BAD", map[string]any{"queryType": "variable", "variable": "colours"}, from, to), []string{"variable", "colours"}},
		{"dependents variable without package", query("BAD", map[string]any{"queryType": "variable", "variable": "dependents"}, from, to), []string{"packages", "dependents", "exactly one package"}},
		{"10 kB unicode package", query("BAD", map[string]any{"queryType": "timeseries", "packages": []string{strings.Repeat("ü€𝄞", 1200)}}, from, to), []string{"packages[0]", "longer than"}},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			good := query("GOOD", goodModel(), from, to)
			resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{c.q, good})
			if err != nil {
				t.Fatalf("the whole request failed: %v", err)
			}
			bad := resp.Responses["BAD"]
			if bad.Error == nil {
				t.Fatalf("accepted: %d frames", len(bad.Frames))
			}
			msg := bad.Error.Error()
			for _, w := range c.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
			if bad.Status != backend.StatusBadRequest {
				t.Errorf("status %d, want 400 (%s)", bad.Status, msg)
			}
			if bad.ErrorSource != backend.ErrorSourcePlugin {
				t.Errorf("error source %q, want plugin", bad.ErrorSource)
			}
			checkGoodAnswer(t, c.name, resp.Responses["GOOD"])
		})
	}
}

// hostileValues are filter values written to break out of quoting, SQL
// or the query-parameter syntax. Sent as parameters they match nothing.
func hostileValues() []string {
	return []string{
		`'`, `"`, `\`, `\'`, `''`, "`",
		"a\nb", "a\r\nb", "\t", "a\x00b",
		`'; DROP TABLE pypi; --`,
		`requests'; DROP TABLE pypi; --`,
		`requests' OR '1'='1`,
		`requests" OR "1"="1`,
		`requests\' OR 1=1 --`,
		`{x:String}`, `{package:String}`, `{p0:Array(String)}`,
		`$__table(date)`, `$__timeFilter(date)`,
		`%s%d%n`, `%27`, `requests%`, `req*`, `_`, `.*`,
		`) OR 1=1 --`, `)) UNION ALL SELECT 1 --`,
		`/* */`, `--`, `;`,
		strings.Repeat("ü€𝄞", 28), // 252 bytes, just inside the length limit
		"Ω≈ç√∫˜µ≤≥÷ 田中さん 👩‍👩‍👧‍👦 \u202e",
	}
}

// Hostile values as package, version and country answer with no error and
// no downloads, and leave the data alone.
func TestHostileFilterValues(t *testing.T) {
	from, to := dataRange()
	ctx := context.Background()
	before := rawCount(t)
	tablesBefore := tableCount(t)
	for i, v := range hostileValues() {
		queries := []backend.DataQuery{
			query("PKG", map[string]any{"queryType": "timeseries", "packages": []string{v}, "granularity": "day"}, from, to),
			query("VER", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "versions": []string{v}, "granularity": "day"}, from, to),
			query("CC", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "countries": []string{v}, "granularity": "day"}, from, to),
			query("BRK", map[string]any{"queryType": "breakdown", "packages": []string{v}, "dimension": "country_code"}, from, to),
			query("SUM", map[string]any{"queryType": "summary", "packages": []string{v}}, from, to),
			query("GOOD", goodModel(), from, to),
		}
		resp, err := shared.host.QueryData(ctx, shared.ds, queries)
		if err != nil {
			t.Fatalf("value %d %q: the whole request failed: %v", i, v, err)
		}
		for _, q := range queries[:len(queries)-1] {
			r := resp.Responses[q.RefID]
			if r.Error != nil {
				t.Errorf("value %d %q as %s: %v", i, v, q.RefID, r.Error)
				continue
			}
			for _, f := range r.Frames {
				if n := frameDownloads(f); n != 0 {
					t.Errorf("value %d %q as %s: %v downloads, want 0", i, v, q.RefID, n)
				}
			}
		}
		checkGoodAnswer(t, fmt.Sprintf("value %d", i), resp.Responses["GOOD"])
	}
	// Resources take the same values from the URL.
	for i, v := range hostileValues() {
		for _, path := range []string{"versions", "packages", "dimensions/version"} {
			key := "package"
			if path == "packages" {
				key = "prefix"
			}
			r, err := shared.host.CallResource(ctx, shared.ds, path, key+"="+urlEscape(v))
			if err != nil {
				t.Errorf("value %d %q on /%s: %v", i, v, path, err)
				continue
			}
			if r.Status != http.StatusOK {
				t.Errorf("value %d %q on /%s: status %d: %s", i, v, path, r.Status, r.Body)
				continue
			}
			var opts []map[string]string
			if err := json.Unmarshal(r.Body, &opts); err != nil || len(opts) != 0 {
				t.Errorf("value %d %q on /%s: want an empty list, got %s (%v)", i, v, path, r.Body, err)
			}
		}
	}
	if after := rawCount(t); after != before {
		t.Errorf("raw table holds %d rows after the hostile queries, %d before", after, before)
	}
	if after := tableCount(t); after != tablesBefore {
		t.Errorf("database holds %d tables after the hostile queries, %d before", after, tablesBefore)
	}
}

func urlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func rawCount(t *testing.T) uint64 {
	t.Helper()
	var n uint64
	mustT(t, shared.conn.QueryRow(context.Background(), "SELECT count() FROM "+shared.srv.Database+".pypi").Scan(&n))
	if n == 0 {
		t.Fatal("the raw table is empty")
	}
	return n
}

func tableCount(t *testing.T) uint64 {
	t.Helper()
	var n uint64
	mustT(t, shared.conn.QueryRow(context.Background(), "SELECT count() FROM system.tables WHERE database = '"+shared.srv.Database+"'").Scan(&n))
	return n
}

// Resource lookups: bad paths and input get a 4xx with a JSON error naming
// the problem; the editors' lists answer.
func TestResourceBadInput(t *testing.T) {
	ctx := context.Background()
	bad := []struct {
		path, query string
		status      int
		wants       []string
	}{
		{"dimensions/colour", "", http.StatusBadRequest, []string{"dimension", "colour"}},
		{"dimensions/", "", http.StatusNotFound, []string{"dimensions/{name}"}},
		{"versions", "", http.StatusBadRequest, []string{"package"}},
		{"nope", "", http.StatusNotFound, []string{"nope", "packages"}},
		{"packages", "limit=abc", http.StatusBadRequest, []string{"limit"}},
		{"packages", "limit=0", http.StatusBadRequest, []string{"limit"}},
		{"countries", "limit=1000000", http.StatusBadRequest, []string{"limit"}},
		{"packages", "prefix=" + urlEscape(strings.Repeat("x", 300)), http.StatusBadRequest, []string{"prefix"}},
	}
	for _, c := range bad {
		r, err := shared.host.CallResource(ctx, shared.ds, c.path, c.query)
		if err != nil {
			t.Errorf("/%s?%s: %v", c.path, c.query, err)
			continue
		}
		if r.Status != c.status {
			t.Errorf("/%s?%s: status %d, want %d: %s", c.path, c.query, r.Status, c.status, r.Body)
		}
		if ct := strings.Join(r.Headers["Content-Type"], ""); !strings.Contains(ct, "application/json") {
			t.Errorf("/%s?%s: Content-Type %q", c.path, c.query, ct)
		}
		var body struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || body.Error == "" {
			t.Errorf("/%s?%s: no JSON error in %s (%v)", c.path, c.query, r.Body, err)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(body.Error, w) {
				t.Errorf("/%s?%s: error %q does not contain %q", c.path, c.query, body.Error, w)
			}
		}
	}

	good := []struct {
		path, query string
		check       func(body []byte) error
	}{
		{"packages", "prefix=bo", func(b []byte) error {
			var opts []map[string]string
			if err := json.Unmarshal(b, &opts); err != nil {
				return err
			}
			if len(opts) == 0 {
				return fmt.Errorf("no packages starting with bo")
			}
			for _, o := range opts {
				if !strings.HasPrefix(o["value"], "bo") {
					return fmt.Errorf("%q does not start with bo", o["value"])
				}
			}
			return nil
		}},
		{"countries", "", func(b []byte) error {
			var opts []map[string]string
			if err := json.Unmarshal(b, &opts); err != nil {
				return err
			}
			if len(opts) < 10 {
				return fmt.Errorf("only %d countries", len(opts))
			}
			return nil
		}},
		{"versions", "package=requests", func(b []byte) error {
			var opts []map[string]string
			if err := json.Unmarshal(b, &opts); err != nil {
				return err
			}
			if len(opts) == 0 {
				return fmt.Errorf("no versions of requests")
			}
			return nil
		}},
		{"dimensions/installer", "", func(b []byte) error {
			var opts []map[string]string
			if err := json.Unmarshal(b, &opts); err != nil {
				return err
			}
			if len(opts) == 0 {
				return fmt.Errorf("no installers")
			}
			return nil
		}},
		{"catalog", "", func(b []byte) error {
			var cat struct {
				Database string
				Present  []string
			}
			if err := json.Unmarshal(b, &cat); err != nil {
				return err
			}
			if cat.Database != shared.srv.Database || len(cat.Present) == 0 {
				return fmt.Errorf("catalogue %s", b)
			}
			return nil
		}},
	}
	for _, c := range good {
		r, err := shared.host.CallResource(ctx, shared.ds, c.path, c.query)
		if err != nil {
			t.Errorf("/%s?%s: %v", c.path, c.query, err)
			continue
		}
		if r.Status != http.StatusOK {
			t.Errorf("/%s?%s: status %d: %s", c.path, c.query, r.Status, r.Body)
			continue
		}
		if err := c.check(r.Body); err != nil {
			t.Errorf("/%s?%s: %v", c.path, c.query, err)
		}
	}
}
