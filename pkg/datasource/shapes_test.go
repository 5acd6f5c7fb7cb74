package datasource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

func query(refID string, model map[string]any, from, to time.Time) backend.DataQuery {
	raw, _ := json.Marshal(model)
	qt, _ := model["queryType"].(string)
	return backend.DataQuery{RefID: refID, QueryType: qt, JSON: raw, MaxDataPoints: 1000,
		Interval: time.Minute, TimeRange: backend.TimeRange{From: from, To: to}}
}

func fieldNames(f *data.Frame) []string {
	var out []string
	for _, fl := range f.Fields {
		out = append(out, fl.Name)
	}
	return out
}

func hasField(f *data.Frame, name string) bool {
	_, idx := f.FieldByName(name)
	return idx >= 0
}

// Every query type answers through the plugin binary with the documented
// columns, and carries the SQL it ran.
func TestEveryQueryTypeShape(t *testing.T) {
	from, to := dataRange()
	cases := []struct {
		model  map[string]any
		fields []string
		series bool
	}{
		{map[string]any{"queryType": "timeseries", "packages": []string{"requests", "boto3"}}, nil, true},
		{map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "breakdown": "python_minor", "limit": 3}, nil, true},
		{map[string]any{"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "country_code"}, []string{"country_code", "country", "downloads", "share"}, false},
		{map[string]any{"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "installer_type"}, []string{"installer", "type", "downloads", "share"}, false},
		{map[string]any{"queryType": "summary", "packages": []string{"requests"}}, []string{"package", "last_day", "last_7_days", "last_30_days", "total", "last_date"}, false},
		{map[string]any{"queryType": "ranking", "packages": []string{"requests"}}, []string{"rank", "packages", "top_percent", "percentile", "medal"}, false},
		{map[string]any{"queryType": "top_packages", "limit": 5}, []string{"package", "downloads"}, false},
		{map[string]any{"queryType": "totals"}, []string{"downloads", "packages"}, false},
		{map[string]any{"queryType": "emerging"}, []string{"package"}, false},
		{map[string]any{"queryType": "needing_refresh"}, []string{"package"}, false},
		{map[string]any{"queryType": "hot", "minDownloads": 50}, []string{"package", "growth"}, false},
		{map[string]any{"queryType": "recent_releases"}, nil, true},
		{map[string]any{"queryType": "releases", "packages": []string{"requests"}}, []string{"time", "title", "text"}, false},
		{map[string]any{"queryType": "dependencies", "packages": []string{"requests"}}, []string{"package", "downloads", "stars"}, false},
		{map[string]any{"queryType": "dependents", "packages": []string{"urllib3"}}, []string{"package", "downloads", "stars"}, false},
		{map[string]any{"queryType": "github_stats", "packages": []string{"requests"}}, []string{"repository", "stars", "stars_total", "forks", "issues", "prs", "pr_authors"}, false},
		{map[string]any{"queryType": "github_stars", "packages": []string{"requests"}}, nil, true},
		{map[string]any{"queryType": "top_contributors", "packages": []string{"requests"}}, []string{"contributor", "events", "share"}, false},
		{map[string]any{"queryType": "details", "packages": []string{"requests"}}, []string{"package", "version", "highest_version", "summary", "author_email", "license", "repository_url", "first_download", "last_download"}, false},
		{map[string]any{"queryType": "sql", "rawSql": "SELECT date AS time, sum(count) AS downloads FROM $__table(date, project) WHERE $__dateFilter(date) AND project = 'requests' GROUP BY date ORDER BY date"}, nil, false},
		{map[string]any{"queryType": "variable", "variable": "packages", "prefix": "bo"}, []string{"__value"}, false},
		{map[string]any{"queryType": "variable", "variable": "versions", "packages": []string{"requests"}}, []string{"__value"}, false},
		{map[string]any{"queryType": "variable", "variable": "dependents", "packages": []string{"urllib3"}}, []string{"__value"}, false},
		{map[string]any{"queryType": "variable", "variable": "countries"}, []string{"__value", "__text"}, false},
		{map[string]any{"queryType": "baseline", "packages": []string{"requests", "boto3"}}, nil, true},
		{map[string]any{"queryType": "baseline", "packages": []string{"requests"}, "statistic": "noise"}, nil, true},
		{map[string]any{"queryType": "python_support", "packages": []string{"requests"}, "minPython": "3.10"}, nil, true},
		{map[string]any{"queryType": "adoption", "packages": []string{"requests"}}, []string{"version", "uploaded", "days_to_half", "peak_share", "last_share", "downloads"}, false},
	}
	var queries []backend.DataQuery
	for i, c := range cases {
		queries = append(queries, query(fmt.Sprintf("Q%d", i), c.model, from, to))
	}
	resp, err := shared.host.QueryData(context.Background(), shared.ds, queries)
	mustT(t, err)
	for i, c := range cases {
		name := fmt.Sprintf("%s/Q%d", c.model["queryType"], i)
		r := resp.Responses[fmt.Sprintf("Q%d", i)]
		if r.Error != nil {
			t.Errorf("%s: %v", name, r.Error)
			continue
		}
		if len(r.Frames) != 1 {
			t.Errorf("%s: %d frames", name, len(r.Frames))
			continue
		}
		f := r.Frames[0]
		if f.Meta == nil || f.Meta.ExecutedQueryString == "" {
			t.Errorf("%s: no ExecutedQueryString", name)
		}
		n, _ := f.RowLen()
		if n == 0 {
			t.Errorf("%s: empty frame (fields %v)", name, fieldNames(f))
			continue
		}
		if c.series {
			if len(f.Fields) < 2 || f.Fields[0].Type() != data.FieldTypeTime {
				t.Errorf("%s: not a wide time series: %v", name, fieldNames(f))
			}
			for _, fl := range f.Fields[1:] {
				if !fl.Type().Numeric() {
					t.Errorf("%s: series %s is %s", name, fl.Name, fl.Type())
				}
			}
		}
		for _, want := range c.fields {
			if !hasField(f, want) {
				t.Errorf("%s: no field %q in %v", name, want, fieldNames(f))
			}
		}
	}
	// The designated sample shapes come out of the plugin too.
	for _, c := range []struct {
		qt   string
		want string
	}{{"hot", sample.Hot()}, {"emerging", sample.Emerging()[0]}, {"needing_refresh", sample.NeedingRefresh()[0]}} {
		r := resp.Responses[fmt.Sprintf("Q%d", indexOf(cases, c.qt))]
		if r.Error != nil || len(r.Frames) == 0 {
			continue
		}
		pkgs, _ := r.Frames[0].FieldByName("package")
		found := false
		for k := 0; pkgs != nil && k < pkgs.Len(); k++ {
			if fmt.Sprint(deref(pkgs.At(k))) == c.want {
				found = true
			}
		}
		if !found {
			t.Errorf("%s does not list %s", c.qt, c.want)
		}
	}
}

func indexOf(cases []struct {
	model  map[string]any
	fields []string
	series bool
}, qt string) int {
	for i, c := range cases {
		if c.model["queryType"] == qt {
			return i
		}
	}
	return -1
}

func deref(v any) any {
	if p, ok := v.(*string); ok && p != nil {
		return *p
	}
	return v
}
