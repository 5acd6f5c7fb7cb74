package datasource_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/readstats"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// serverReadRows runs sql with its parameters straight on the server's
// HTTP interface and returns ClickHouse's own count of rows read (FORMAT
// JSON's statistics), and whether the X-ClickHouse-Summary header of the
// same request reported read_rows at all.
func serverReadRows(t *testing.T, st sqlbuild.Statement) (rows uint64, summarised bool) {
	t.Helper()
	v := url.Values{"database": {shared.srv.Database}, "default_format": {"JSON"}, "readonly": {"2"}}
	for k, p := range st.Params {
		v.Set("param_"+k, p)
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+shared.srv.Options.Addr[0]+"/?"+v.Encode(), strings.NewReader(st.SQL))
	mustT(t, err)
	req.SetBasicAuth(shared.srv.Options.Auth.Username, shared.srv.Options.Auth.Password)
	resp, err := http.DefaultClient.Do(req)
	mustT(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	mustT(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", resp.Status, body)
	}
	var out struct {
		Statistics struct {
			RowsRead uint64 `json:"rows_read"`
		} `json:"statistics"`
	}
	mustT(t, json.Unmarshal(body, &out))
	var sm map[string]any
	summarised = json.Unmarshal([]byte(resp.Header.Get(readstats.SummaryHeader)), &sm) == nil && sm["read_rows"] != nil
	return out.Statistics.RowsRead, summarised
}

// nativeReadRows runs the statement over a native connection and adds up
// the server's progress packets, independently of the plugin.
func nativeReadRows(t *testing.T, st sqlbuild.Statement) uint64 {
	t.Helper()
	var n uint64
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(st.Params),
		clickhouse.WithProgress(func(p *clickhouse.Progress) { n += p.Rows }))
	rows, err := shared.conn.Query(ctx, st.SQL)
	mustT(t, err)
	for rows.Next() {
	}
	mustT(t, rows.Err())
	rows.Close()
	return n
}

func rowsReadStat(f *data.Frame) (float64, bool) {
	if f.Meta == nil {
		return 0, false
	}
	for _, s := range f.Meta.Stats {
		if s.DisplayName == frames.StatRowsRead {
			return s.Value, true
		}
	}
	return 0, false
}

// The rows-read figure on each frame is what the server itself counts for
// the same query; a server that reports none gets none on the frame.
func TestFrameStatsAreTheServersRowsRead(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	cat, err := catalog.Read(ctx, shared.conn, shared.srv.Database)
	mustT(t, err)
	ds := withJSON(shared.ds, "stats", map[string]any{"cacheTTL": "0s"})
	models := map[string]map[string]any{
		"timeseries": {"queryType": "timeseries", "packages": []string{"requests", "boto3"}, "granularity": "day"},
		"breakdown":  {"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "country_code"},
		"top":        {"queryType": "top_packages", "limit": 5},
		"raw":        {"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "python_minor", "systems": []string{"Linux"}, "countries": []string{"US"}},
		"sql":        {"queryType": "sql", "rawSql": "SELECT count() AS n FROM " + shared.srv.Database + ".pypi WHERE project = 'numpy'"},
	}
	anyStats := false
	for name, m := range models {
		q := query("A", m, from, to)
		qm, err := querymodel.Parse(q.JSON, "")
		mustT(t, err)
		st, err := sqlbuild.Build(sqlbuild.Request{Query: qm, From: from, To: to, Interval: q.Interval,
			MaxDataPoints: q.MaxDataPoints, Database: shared.srv.Database, Catalog: cat})
		mustT(t, err)
		var got float64
		var has bool
		var truth uint64
		var summarised bool
		for range 2 { // once more if a background merge moved the figure in between
			resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{q})
			mustT(t, err)
			r := resp.Responses["A"]
			if r.Error != nil || len(r.Frames) != 1 {
				t.Fatalf("%s: %v", name, r.Error)
			}
			got, has = rowsReadStat(r.Frames[0])
			if shared.srv.Options.Protocol == clickhouse.HTTP {
				truth, summarised = serverReadRows(t, st)
			} else {
				truth, summarised = nativeReadRows(t, st), true
			}
			if has == summarised && (!has || got == float64(truth)) {
				break
			}
		}
		switch {
		case has && !summarised:
			t.Errorf("%s: the frame says %v rows read, but the server reported none", name, got)
		case !has && summarised:
			t.Errorf("%s: the server reported rows read (%d), the frame has none", name, truth)
		case has && got != float64(truth):
			t.Errorf("%s: the frame says %v rows read, the server counts %d", name, got, truth)
		case has:
			anyStats = true
			t.Logf("%s: %v rows read (%s)", name, got, st.Source.Table)
		default:
			t.Logf("%s: the server reports no rows read; the frame has none", name)
		}
	}
	if anyStats {
		m := pluginMetrics(t)
		if n, ok := m.Sum("clickpy_plugin_rows_read_total", nil); !ok || n <= 0 {
			t.Errorf("frames carry rows read, but clickpy_plugin_rows_read_total is %v (%v)", n, ok)
		}
	}
}
