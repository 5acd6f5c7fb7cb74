package dashboards_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

// The committed dashboard JSON, read the way Grafana reads it: these
// tests check the files users get, not the builders.

type dsRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dashJSON struct {
	UID   string `json:"uid"`
	Title string `json:"title"`
	Time  struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Panels     []panelJSON `json:"panels"`
	Templating struct {
		List []variableJSON `json:"list"`
	} `json:"templating"`
	Annotations struct {
		List []annotationJSON `json:"list"`
	} `json:"annotations"`
	Links []json.RawMessage `json:"links"`
	raw   map[string]any
	path  string
}

type panelJSON struct {
	ID              int                        `json:"id"`
	Type            string                     `json:"type"`
	Title           string                     `json:"title"`
	Repeat          string                     `json:"repeat"`
	TimeFrom        string                     `json:"timeFrom"`
	Datasource      *dsRef                     `json:"datasource"`
	Targets         []map[string]any           `json:"targets"`
	Transformations []transformationJSON       `json:"transformations"`
	Options         map[string]any             `json:"options"`
	Panels          []panelJSON                `json:"panels"`
	FieldConfig     map[string]json.RawMessage `json:"fieldConfig"`
	GridPos         struct {
		X int `json:"x"`
		Y int `json:"y"`
		W int `json:"w"`
		H int `json:"h"`
	} `json:"gridPos"`
}

type transformationJSON struct {
	ID      string         `json:"id"`
	Options map[string]any `json:"options"`
}

// model is a query variable's query model (nil for a custom variable).
func (v variableJSON) model() map[string]any {
	m, _ := v.Query.(map[string]any)
	return m
}

type variableJSON struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Query is a query variable's model, or a custom variable's values
	// (a comma-separated string).
	Query      any    `json:"query"`
	Datasource *dsRef `json:"datasource"`
	Multi      bool   `json:"multi"`
	IncludeAll bool   `json:"includeAll"`
	Refresh    int    `json:"refresh"`
	Current    struct {
		Value any `json:"value"`
	} `json:"current"`
}

type annotationJSON struct {
	Name       string         `json:"name"`
	Enable     bool           `json:"enable"`
	Datasource *dsRef         `json:"datasource"`
	Target     map[string]any `json:"target"`
}

func dashboardPaths() []string {
	return []string{dashboards.OverviewPath, dashboards.PackagePath, dashboards.ComparePath, dashboards.MaintainerPath}
}

// committedDashboards reads every dashboard under dashboards/.
func committedDashboards(t testing.TB) []dashJSON {
	t.Helper()
	root := moduleRoot(t)
	files, err := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(dashboardPaths()) {
		t.Fatalf("dashboards/ holds %d JSON files, want %d (%v)", len(files), len(dashboardPaths()), dashboardPaths())
	}
	var out []dashJSON
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashJSON
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := json.Unmarshal(b, &d.raw); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		d.path, _ = filepath.Rel(root, f)
		out = append(out, d)
	}
	return out
}

// allPanels flattens rows.
func allPanels(ps []panelJSON) []panelJSON {
	var out []panelJSON
	for _, p := range ps {
		out = append(out, p)
		out = append(out, allPanels(p.Panels)...)
	}
	return out
}

// transformationNames are the field names a filterFieldsByName
// transformation keeps: the columns a table or bar chart shows.
func transformationNames(p panelJSON) []string {
	for _, tr := range p.Transformations {
		if tr.ID != "filterFieldsByName" {
			continue
		}
		inc, _ := tr.Options["include"].(map[string]any)
		names, _ := inc["names"].([]any)
		var out []string
		for _, n := range names {
			out = append(out, n.(string))
		}
		return out
	}
	return nil
}

// reduceFieldsOption is a stat or pie chart's own field matcher, which
// Grafana applies to display names (after overrides rename fields).
func reduceFieldsOption(p panelJSON) string {
	ro, _ := p.Options["reduceOptions"].(map[string]any)
	m, _ := ro["fields"].(string)
	return m
}
