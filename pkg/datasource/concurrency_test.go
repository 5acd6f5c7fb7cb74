package datasource_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/pluginhost"
)

// concurrentModels mixes every query type over several packages and ranges.
func concurrentModels() []backend.DataQuery {
	from, to := dataRange()
	month := to.AddDate(0, 0, -30)
	models := []struct {
		m        map[string]any
		from, to time.Time
	}{
		{map[string]any{"queryType": "timeseries", "packages": []string{"requests"}}, from, to},
		{map[string]any{"queryType": "timeseries", "packages": []string{"boto3", "urllib3"}, "granularity": "week"}, from, to},
		{map[string]any{"queryType": "timeseries", "packages": []string{"requests"}, "breakdown": "python_minor", "limit": 3}, from, to},
		{map[string]any{"queryType": "timeseries", "packages": []string{"certifi"}, "countries": []string{"US", "DE"}, "granularity": "day"}, month, to},
		{map[string]any{"queryType": "timeseries", "packages": []string{"setuptools"}, "granularity": "month", "excludeMirrors": true}, from, to},
		{map[string]any{"queryType": "breakdown", "packages": []string{"requests"}, "dimension": "country_code"}, from, to},
		{map[string]any{"queryType": "breakdown", "packages": []string{"boto3"}, "dimension": "installer_type"}, month, to},
		{map[string]any{"queryType": "breakdown", "packages": []string{"urllib3"}, "dimension": "system"}, from, to},
		{map[string]any{"queryType": "breakdown", "packages": []string{"botocore"}, "dimension": "version", "limit": 5}, from, to},
		{map[string]any{"queryType": "summary", "packages": []string{"requests", "boto3"}}, from, to},
		{map[string]any{"queryType": "ranking", "packages": []string{"requests"}}, from, to},
		{map[string]any{"queryType": "ranking", "packages": []string{"idna"}}, month, to},
		{map[string]any{"queryType": "top_packages", "limit": 20}, from, to},
		{map[string]any{"queryType": "top_packages", "limit": 5, "installers": []string{"pip"}}, month, to},
		{map[string]any{"queryType": "totals"}, from, to},
		{map[string]any{"queryType": "emerging"}, from, to},
		{map[string]any{"queryType": "needing_refresh"}, from, to},
		{map[string]any{"queryType": "hot", "minDownloads": 50}, from, to},
		{map[string]any{"queryType": "recent_releases"}, from, to},
		{map[string]any{"queryType": "releases", "packages": []string{"requests"}}, from, to},
		{map[string]any{"queryType": "dependencies", "packages": []string{"requests"}}, from, to},
		{map[string]any{"queryType": "dependents", "packages": []string{"urllib3"}}, from, to},
		{map[string]any{"queryType": "details", "packages": []string{"boto3"}}, from, to},
		{map[string]any{"queryType": "sql", "rawSql": "SELECT date AS time, sum(count) AS downloads FROM $__table(date, project) WHERE $__dateFilter(date) AND project = 'boto3' GROUP BY date ORDER BY date"}, from, to},
		{map[string]any{"queryType": "variable", "variable": "packages", "prefix": "bo"}, from, to},
		{map[string]any{"queryType": "variable", "variable": "versions", "packages": []string{"requests"}}, from, to},
		{map[string]any{"queryType": "variable", "variable": "countries"}, from, to},
	}
	out := make([]backend.DataQuery, len(models))
	for i, m := range models {
		out[i] = query(fmt.Sprintf("M%d", i), m.m, m.from, m.to)
	}
	return out
}

// sameFrame compares two frames field by field, value by value; the RefID
// is the caller's and not compared.
func sameFrame(a, b *data.Frame) error {
	if a.Name != b.Name {
		return fmt.Errorf("name %q vs %q", a.Name, b.Name)
	}
	if len(a.Fields) != len(b.Fields) {
		return fmt.Errorf("%d fields vs %d", len(a.Fields), len(b.Fields))
	}
	if (a.Meta == nil) != (b.Meta == nil) || (a.Meta != nil && a.Meta.ExecutedQueryString != b.Meta.ExecutedQueryString) {
		return fmt.Errorf("different meta")
	}
	for i := range a.Fields {
		fa, fb := a.Fields[i], b.Fields[i]
		if fa.Name != fb.Name || fa.Type() != fb.Type() || fa.Len() != fb.Len() {
			return fmt.Errorf("field %d: %s %s %d vs %s %s %d", i, fa.Name, fa.Type(), fa.Len(), fb.Name, fb.Type(), fb.Len())
		}
		if !reflect.DeepEqual(fa.Labels, fb.Labels) && (len(fa.Labels) > 0 || len(fb.Labels) > 0) {
			return fmt.Errorf("field %s: labels %v vs %v", fa.Name, fa.Labels, fb.Labels)
		}
		for r := 0; r < fa.Len(); r++ {
			va, vb := plainValue(fa.At(r)), plainValue(fb.At(r))
			if ta, ok := va.(time.Time); ok {
				if tb, ok := vb.(time.Time); !ok || !ta.Equal(tb) {
					return fmt.Errorf("field %s row %d: %v vs %v", fa.Name, r, va, vb)
				}
				continue
			}
			if !reflect.DeepEqual(va, vb) {
				return fmt.Errorf("field %s row %d: %v vs %v", fa.Name, r, va, vb)
			}
		}
	}
	return nil
}

// plainValue dereferences a nullable field's value.
func plainValue(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		return rv.Elem().Interface()
	}
	return v
}

// pluginMetrics reads the plugin's metrics.
func pluginMetrics(t *testing.T) pluginhost.Metrics {
	t.Helper()
	m, err := shared.host.CollectMetrics(context.Background())
	mustT(t, err)
	return m
}

// 200 QueryData calls at once on one instance answer exactly as the same
// queries did one at a time; the cache and singleflight serve the repeats.
func TestConcurrentQueriesMatchSerial(t *testing.T) {
	ctx := context.Background()
	queries := concurrentModels()

	// Ground truth: each query alone, on an instance without the cache.
	ref := withJSON(shared.ds, "concurrency-reference", map[string]any{"cacheTTL": "0s"})
	want := make([]*data.Frame, len(queries))
	for i, q := range queries {
		resp, err := shared.host.QueryData(ctx, ref, []backend.DataQuery{q})
		mustT(t, err)
		r := resp.Responses[q.RefID]
		if r.Error != nil {
			t.Fatalf("%s alone: %v", q.JSON, r.Error)
		}
		if len(r.Frames) != 1 {
			t.Fatalf("%s alone: %d frames", q.JSON, len(r.Frames))
		}
		want[i] = r.Frames[0]
	}

	// A fresh instance with an empty cache takes the burst.
	ds := withJSON(shared.ds, "concurrency", map[string]any{"maxOpenConns": 8})
	before := pluginMetrics(t)
	const calls = 200
	type sent struct {
		idx []int
	}
	plan := make([]sent, calls)
	perType := map[string]int{}
	total := 0
	for k := range plan {
		plan[k].idx = []int{k % len(queries)}
		// Every tenth call carries three queries, as a dashboard does.
		if k%10 == 0 {
			plan[k].idx = append(plan[k].idx, (k+7)%len(queries), (k+13)%len(queries))
		}
		for _, i := range plan[k].idx {
			perType[queryTypeOf(queries[i])]++
			total++
		}
	}
	start := make(chan struct{})
	errs := make(chan error, calls*3)
	var wg sync.WaitGroup
	began := time.Now()
	for k := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var qs []backend.DataQuery
			for j, i := range plan[k].idx {
				q := queries[i]
				q.RefID = fmt.Sprintf("%s-%d", q.RefID, j)
				qs = append(qs, q)
			}
			<-start
			resp, err := shared.host.QueryData(ctx, ds, qs)
			if err != nil {
				errs <- fmt.Errorf("call %d: %w", k, err)
				return
			}
			for j, i := range plan[k].idx {
				r, ok := resp.Responses[qs[j].RefID]
				switch {
				case !ok:
					errs <- fmt.Errorf("call %d: no answer for %s", k, qs[j].RefID)
				case r.Error != nil:
					errs <- fmt.Errorf("call %d %s: %v", k, queries[i].JSON, r.Error)
				case len(r.Frames) != 1:
					errs <- fmt.Errorf("call %d %s: %d frames", k, queries[i].JSON, len(r.Frames))
				case r.Frames[0].RefID != qs[j].RefID:
					errs <- fmt.Errorf("call %d %s: frame RefID %q, want %q", k, queries[i].JSON, r.Frames[0].RefID, qs[j].RefID)
				default:
					if err := sameFrame(r.Frames[0], want[i]); err != nil {
						errs <- fmt.Errorf("call %d %s: differs from the query alone: %v", k, queries[i].JSON, err)
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 10 {
			t.Error(err)
		}
	}
	if n > 10 {
		t.Errorf("... %d errors in all", n)
	}
	t.Logf("%d calls (%d queries, %d distinct) in %s", calls, total, len(queries), elapsed.Round(time.Millisecond))

	after := pluginMetrics(t)
	delta := func(name string, match map[string]string) float64 {
		a, _ := after.Sum(name, match)
		b, _ := before.Sum(name, match)
		return a - b
	}
	hits := delta("clickpy_plugin_cache_hits_total", nil)
	misses := delta("clickpy_plugin_cache_misses_total", nil)
	runs := delta("clickpy_plugin_clickhouse_query_duration_seconds_count", nil)
	t.Logf("cache hits %v, misses %v, ClickHouse runs %v", hits, misses, runs)
	if hits <= 0 {
		t.Errorf("no cache hits")
	}
	if hits+misses != float64(total) {
		t.Errorf("hits %v + misses %v != %d queries", hits, misses, total)
	}
	// Each distinct query reaches ClickHouse at least once, and repeats in
	// flight share a run, so far fewer runs than queries.
	if runs < float64(len(queries)) || runs > misses {
		t.Errorf("%v ClickHouse runs for %d distinct queries and %v misses", runs, len(queries), misses)
	}
	for qt, want := range perType {
		if got := delta("clickpy_plugin_queries_total", map[string]string{"query_type": qt, "outcome": "ok"}); got != float64(want) {
			t.Errorf("queries_total{query_type=%q,outcome=ok} rose by %v, want %d", qt, got, want)
		}
	}
	if got := delta("clickpy_plugin_queries_total", nil); got != float64(total) {
		t.Errorf("queries_total rose by %v, want %d", got, total)
	}

	// Asked again, every query comes from the cache, unchanged.
	for i, q := range queries {
		resp, err := shared.host.QueryData(ctx, ds, []backend.DataQuery{q})
		mustT(t, err)
		r := resp.Responses[q.RefID]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Errorf("%s again: %v, %d frames", q.JSON, r.Error, len(r.Frames))
			continue
		}
		if err := sameFrame(r.Frames[0], want[i]); err != nil {
			t.Errorf("%s again: %v", q.JSON, err)
		}
	}
	again := pluginMetrics(t)
	if h := again.Value("clickpy_plugin_cache_hits_total") - after.Value("clickpy_plugin_cache_hits_total"); h != float64(len(queries)) {
		t.Errorf("asked again, %v of %d queries were cache hits", h, len(queries))
	}
	if shared.host.Exited() {
		t.Fatal("the plugin process exited")
	}
}

func queryTypeOf(q backend.DataQuery) string { return q.QueryType }
