package datasource_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
)

// The shared server's stand-in for a public demo server's user (as the
// public ClickPy instance's): reads capped with read_overflow_mode=break,
// so a long scan comes back short without an error, and both settings
// constant, so the plugin's read_overflow_mode='throw' is refused. The cap
// is below the test set's raw rows and above what one package's series
// reads from a view.
const (
	demoUser     = "clickpy_test_demo"
	demoPassword = "demo"
	demoMaxRows  = 100_000
)

// The plugin works for such a user: it drops the settings the server
// refuses, answers exactly where the cap is not reached, and warns on
// every answer and in the health check that counts can come back low,
// which they do for a scan past the cap. The default user is unaffected.
func TestDemoUserOfAPublicInstance(t *testing.T) {
	ctx := context.Background()
	db := shared.srv.Database
	ds := dataSourceFor(shared.srv, "demo-user", db)
	ds.JSONData["username"] = demoUser
	ds.Secure = map[string]string{"password": demoPassword}
	wantWarning := "stops reading after " + strconv.Itoa(demoMaxRows) + " rows per query without an error (read_overflow_mode=break)"

	health, err := shared.host.CheckHealth(ctx, ds)
	mustT(t, err)
	if health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, wantWarning) {
		t.Fatalf("health %v: %s", health.Status, health.Message)
	}

	from, to := dataRange()
	var truthSeries, truthAll uint64
	mustT(t, shared.conn.QueryRow(clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{
		"from": from.Format("2006-01-02"), "to": to.Format("2006-01-02")})),
		"SELECT countIf(project = 'requests' AND date BETWEEN {from:Date} AND {to:Date}), count() FROM "+db+".pypi").
		Scan(&truthSeries, &truthAll))
	if truthAll <= demoMaxRows {
		t.Fatalf("the test set has %d rows, not more than the cap %d", truthAll, demoMaxRows)
	}
	queries := []backend.DataQuery{
		query("series", map[string]any{"queryType": "timeseries", "packages": []string{"requests"}}, from, to),
		query("all", map[string]any{"queryType": "sql", "rawSql": "SELECT countIf(project != '') AS downloads FROM " + db + ".pypi"}, from, to),
	}
	answers := map[string]map[string]int64{}
	for _, c := range []struct {
		name string
		ds   pluginhost.DataSource
	}{{"demo", ds}, {"default", shared.ds}} {
		resp, err := shared.host.QueryData(ctx, c.ds, queries)
		mustT(t, err)
		answers[c.name] = map[string]int64{}
		for _, q := range queries {
			r := resp.Responses[q.RefID]
			if r.Error != nil || len(r.Frames) != 1 {
				t.Fatalf("%s user, %s: %v, %d frames", c.name, q.RefID, r.Error, len(r.Frames))
			}
			f := r.Frames[0]
			warned := hasWarning(f, wantWarning)
			if warned != (c.name == "demo") {
				t.Errorf("%s user, %s: warned %v; notices %v", c.name, q.RefID, warned, f.Meta.Notices)
			}
			answers[c.name][q.RefID] = sumNumbers(t, f)
		}
	}
	for user, got := range answers {
		if got["series"] != int64(truthSeries) {
			t.Errorf("%s user: requests' series sums to %d, count() over raw says %d", user, got["series"], truthSeries)
		}
	}
	if got := answers["default"]["all"]; got != int64(truthAll) {
		t.Errorf("default user: %d downloads in all, count() says %d", got, truthAll)
	}
	// The pitfall the warning is about: the capped scan is short, silently.
	if got := answers["demo"]["all"]; got <= 0 || got >= int64(truthAll) {
		t.Errorf("demo user: %d downloads in all, want a count cut short below %d", got, truthAll)
	}
}

func hasWarning(f *data.Frame, text string) bool {
	if f.Meta == nil {
		return false
	}
	for _, n := range f.Meta.Notices {
		if n.Severity == data.NoticeSeverityWarning && strings.Contains(n.Text, text) {
			return true
		}
	}
	return false
}

// sumNumbers adds every number of the frame's number fields.
func sumNumbers(t *testing.T, f *data.Frame) int64 {
	t.Helper()
	var sum int64
	for _, field := range f.Fields {
		for i := 0; i < field.Len(); i++ {
			switch v := field.At(i).(type) {
			case int64:
				sum += v
			case uint64:
				sum += int64(v)
			}
		}
	}
	return sum
}
