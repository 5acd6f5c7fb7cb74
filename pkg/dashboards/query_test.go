package dashboards

import (
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// A target the backend would refuse fails the build, so a bad dashboard
// is never written.
func TestInvalidTargetFailsTheBuild(t *testing.T) {
	for _, m := range []querymodel.Query{
		{Type: "nope"},
		{Type: querymodel.Breakdown},
		{Type: querymodel.TimeSeries, Limit: querymodel.MaxLimit + 1},
		{Type: querymodel.Ranking, Filters: querymodel.Filters{Packages: []string{"$a", "$b"}}},
	} {
		if _, err := target("A", m).Build(); err == nil {
			t.Errorf("%+v built", m)
		}
	}
	if _, err := target("A", querymodel.Query{Type: querymodel.Ranking, Filters: querymodel.Filters{Packages: []string{ref(VarPackage)}}}).Build(); err != nil {
		t.Errorf("a variable as the one package: %v", err)
	}
}
