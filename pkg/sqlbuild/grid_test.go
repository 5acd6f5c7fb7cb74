package sqlbuild_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// testGrids checks what the overview's grids read: the hot variable lists
// the hot query's packages in its order, and recent releases per package
// match the sample's releases month by month.
func (e *engine) testGrids(t *testing.T) {
	_, hot, _ := e.run(t, e.request(t, `{"queryType":"hot","minDownloads":20,"limit":10}`, 30))
	_, v, _ := e.run(t, e.request(t, `{"queryType":"variable","variable":"hot","minDownloads":20,"limit":10}`, 30))
	if got, want := strs(t, v, "__value"), strs(t, hot, "package"); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("hot variable %q, hot query %q", got, want)
	}
	pkgs := []string{"requests", "boto3", sample.HotPackage}
	quoted := make([]string, len(pkgs))
	for i, p := range pkgs {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	const days = 180
	_, _, f := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"recent_releases","packages":[%s]}`, strings.Join(quoted, ",")), days))
	from := e.truth.End.AddDate(0, 0, -(days - 1))
	want := map[string]map[time.Time]int64{}
	for _, r := range sample.Projects(e.cfg) {
		d := sqlbuild.Day(r.UploadTime)
		if !slices.Contains(pkgs, r.Name) || d.Before(from) || d.After(e.truth.End) {
			continue
		}
		if want[r.Name] == nil {
			want[r.Name] = map[time.Time]int64{}
		}
		want[r.Name][sqlbuild.BucketStart("month", d)]++
	}
	if len(f.Fields) != 1+len(pkgs) {
		t.Fatalf("recent releases: %d fields, want time and one series per package", len(f.Fields))
	}
	for i, fl := range f.Fields[1:] {
		p := fl.Labels["package"]
		if p != pkgs[i] {
			t.Errorf("series %d is %q, want %s", i, p, pkgs[i])
		}
		for k := 0; k < fl.Len(); k++ {
			m := f.Fields[0].At(k).(time.Time)
			if got := fl.At(k).(int64); got != want[p][m] {
				t.Errorf("%s released %d versions in %s, the sample %d", p, got, m.Format("2006-01"), want[p][m])
			}
		}
	}
}
