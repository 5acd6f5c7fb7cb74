package dashboards_test

import (
	"context"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// The maintainer dashboard draws $package against its most downloaded
// dependents: $dependents, left at All, holds the sample's dependents of
// the package (from the generator's own requirement lists) ranked by raw
// counts in the range, and the chart has one line per package whose
// downloads are the raw counts.
func TestMaintainerDrawsThePackageAgainstItsDependents(t *testing.T) {
	e := plugin(t)
	var dash dashJSON
	for _, d := range committedDashboards(t) {
		if d.UID == dashboards.MaintainerUID {
			dash = d
		}
	}
	var chart panelJSON
	for _, p := range allPanels(dash.Panels) {
		if p.Title == "$package against its dependents" {
			chart = p
		}
	}
	if len(chart.Targets) != 1 {
		t.Fatalf("no chart of the package against its dependents on %s", dash.path)
	}
	from, err := relTime(dash.Time.From, testNow())
	if err != nil {
		t.Fatal(err)
	}
	to, err := relTime(dash.Time.To, testNow())
	if err != nil {
		t.Fatal(err)
	}
	s := e.resolve(t, dash, from, to, true)
	pkg := s[dashboards.VarPackage].values[0]
	deps, ok := s[dashboards.VarDependents]
	if !ok || !deps.all {
		t.Fatalf("$%s is not set to All: %+v", dashboards.VarDependents, deps)
	}

	counts := e.rawCounts(t, from, to)
	var dependents []string
	for _, d := range sampleDependents(e.cfg, pkg) {
		if counts[d] > 0 {
			dependents = append(dependents, d)
		}
	}
	sort.Slice(dependents, func(i, j int) bool {
		a, b := dependents[i], dependents[j]
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return a < b
	})
	var limit int
	for _, v := range dash.Templating.List {
		if v.Name == dashboards.VarDependents {
			n, _ := v.model()["limit"].(float64)
			limit = int(n)
		}
	}
	if len(dependents) <= limit {
		t.Fatalf("%s has %d dependents downloaded in the range: too few to cut at the variable's limit %d", pkg, len(dependents), limit)
	}
	if want := dependents[:limit]; !slices.Equal(deps.options, want) {
		t.Errorf("$%s offers %q, the raw tables' most downloaded dependents of %s are %q",
			dashboards.VarDependents, deps.options, pkg, want)
	}

	tg := s.interpolate(chart.Targets[0])
	want := append([]string{pkg}, deps.options...)
	if got, _ := tg["packages"].([]string); !slices.Equal(got, want) {
		t.Fatalf("the chart asks for %q, want %q", got, want)
	}
	r := e.query(t, []map[string]any{tg}, from, to).Responses[tg["refId"].(string)]
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	series := byLabel(t, r.Frames, "downloads")
	if len(series) != len(want) {
		t.Errorf("%d lines, want one for each of %q", len(series), want)
	}
	for _, p := range want {
		var sum float64
		for _, v := range series[p] {
			sum += v
		}
		if math.Abs(sum-float64(counts[p])) > 0.5 {
			t.Errorf("%s: the line sums to %.0f downloads, the raw table has %d in the range", p, sum, counts[p])
		}
	}
}

// sampleDependents are the normalized names of the sample's projects whose
// latest upload requires pkg.
func sampleDependents(cfg sample.Config, pkg string) []string {
	latest := map[string]sample.ProjectRow{}
	for _, r := range sample.Projects(cfg) {
		if old, ok := latest[r.Name]; !ok || r.UploadTime.After(old.UploadTime) {
			latest[r.Name] = r
		}
	}
	norm := sample.NormalizeName
	var out []string
	for name, r := range latest {
		for _, req := range r.RequiresDist {
			if sample.RequirementName(req) == norm(pkg) {
				out = append(out, norm(name))
				break
			}
		}
	}
	return out
}

// rawCounts are each project's downloads on the range's days, by count()
// over the raw table.
func (e *env) rawCounts(t *testing.T, from, to time.Time) map[string]uint64 {
	t.Helper()
	conn, err := e.srv.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(context.Background(), "SELECT project, count() FROM "+e.srv.Database+
		".pypi WHERE date >= toDate(@f) AND date <= toDate(@t) GROUP BY project",
		clickhouse.Named("f", from.UTC().Format(time.DateOnly)), clickhouse.Named("t", to.UTC().Format(time.DateOnly)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for rows.Next() {
		var p string
		var n uint64
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		out[p] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
