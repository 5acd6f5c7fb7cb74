package datasource_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Without GitHub data (githubDatabase naming a database without the event
// table) the GitHub query types answer, through the plugin binary, an
// empty frame with one notice saying so, never an error; dependencies and
// dependents have no stars column; the health check says it.
func TestGitHubTypesWithoutGitHubData(t *testing.T) {
	ds := dataSourceFor(shared.srv, "no-github", shared.srv.Database)
	ds.JSONData["githubDatabase"] = shared.srv.Database + "_no_github"
	ds.Updated = time.Now()
	from, to := dataRange()
	models := []map[string]any{
		{"queryType": "github_stats", "packages": []string{"requests"}},
		{"queryType": "github_stars", "packages": []string{"requests"}},
		{"queryType": "top_contributors", "packages": []string{"requests"}},
		{"queryType": "dependencies", "packages": []string{"requests"}},
		{"queryType": "dependents", "packages": []string{"urllib3"}},
	}
	qs := make([]backend.DataQuery, 0, len(models))
	for i, m := range models {
		qs = append(qs, query(fmt.Sprintf("G%d", i), m, from, to))
	}
	resp, err := shared.host.QueryData(context.Background(), ds, qs)
	mustT(t, err)
	for i, m := range models {
		r := resp.Responses[fmt.Sprintf("G%d", i)]
		if r.Error != nil {
			t.Errorf("%s: %v", m["queryType"], r.Error)
			continue
		}
		f := r.Frames[0]
		rows, _ := f.RowLen()
		switch m["queryType"] {
		case "dependencies", "dependents":
			if rows == 0 || hasField(f, "stars") {
				t.Errorf("%s: %d rows, fields %v; want rows and no stars", m["queryType"], rows, fieldNames(f))
			}
			continue
		}
		if rows != 0 || f.Meta == nil || len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "has no GitHub data") {
			t.Errorf("%s: %d rows, meta %+v; want none and one notice", m["queryType"], rows, f.Meta)
		}
	}
	health, err := shared.host.CheckHealth(context.Background(), ds)
	mustT(t, err)
	if !strings.Contains(health.Message, "no GitHub data") {
		t.Errorf("health check: %s", health.Message)
	}
	health, err = shared.host.CheckHealth(context.Background(), shared.ds)
	mustT(t, err)
	if !strings.Contains(health.Message, "GitHub data in database "+shared.srv.Database) {
		t.Errorf("health check with GitHub data: %s", health.Message)
	}
}
