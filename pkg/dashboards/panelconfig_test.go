package dashboards_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// fieldDefaults is the part of a panel's fieldConfig these tests read.
type fieldDefaults struct {
	Unit   string   `json:"unit"`
	Max    *float64 `json:"max"`
	Custom struct {
		Stacking struct {
			Mode string `json:"mode"`
		} `json:"stacking"`
	} `json:"custom"`
}

type override struct {
	Matcher    map[string]any `json:"matcher"`
	Properties []struct {
		ID    string `json:"id"`
		Value any    `json:"value"`
	} `json:"properties"`
}

func panelDefaults(t *testing.T, path string, p panelJSON) (fieldDefaults, []override) {
	t.Helper()
	var d fieldDefaults
	var o []override
	if raw, ok := p.FieldConfig["defaults"]; ok {
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: panel %q fieldConfig.defaults: %v", path, p.Title, err)
		}
	}
	if raw, ok := p.FieldConfig["overrides"]; ok {
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatalf("%s: panel %q fieldConfig.overrides: %v", path, p.Title, err)
		}
	}
	return d, o
}

// A panel stacked by percent still holds download counts: Grafana draws
// its axis in percent by itself, and the tooltip shows the values in the
// panel's unit, so a percent unit there shows 1,234,567 downloads as
// 123456700%. Neither a percent unit nor a max of 1 belongs on it.
func TestPercentStackedPanelsKeepCountUnits(t *testing.T) {
	n := 0
	for _, d := range committedDashboards(t) {
		for _, p := range allPanels(d.Panels) {
			def, ovs := panelDefaults(t, d.path, p)
			if def.Custom.Stacking.Mode != "percent" {
				continue
			}
			n++
			if strings.HasPrefix(def.Unit, "percent") {
				t.Errorf("%s: %q is stacked by percent on counts but has unit %s", d.path, p.Title, def.Unit)
			}
			if def.Max != nil {
				t.Errorf("%s: %q is stacked by percent but caps its counts at %v", d.path, p.Title, *def.Max)
			}
			for _, o := range ovs {
				for _, prop := range o.Properties {
					if v, _ := prop.Value.(string); prop.ID == "unit" && strings.HasPrefix(v, "percent") {
						t.Errorf("%s: %q is stacked by percent and overrides %v with unit %s", d.path, p.Title, o.Matcher, v)
					}
				}
			}
		}
	}
	// Compare's share over time and Python adoption, the package's Python
	// versions: a test finding none would check nothing.
	if n < 3 {
		t.Errorf("%d percent-stacked panels, want at least 3", n)
	}
}

// Grafana 12.4's table options have no footer (it moved to
// fieldConfig.defaults.custom.footer): an options.footer is a leftover
// the table editor drops or misreads.
func TestTablesHaveNoOptionsFooter(t *testing.T) {
	n := 0
	for _, d := range committedDashboards(t) {
		for _, p := range allPanels(d.Panels) {
			if p.Type != "table" {
				continue
			}
			n++
			if _, ok := p.Options["footer"]; ok {
				t.Errorf("%s: table %q sets options.footer, which Grafana 12.4 no longer reads", d.path, p.Title)
			}
		}
	}
	if n == 0 {
		t.Error("no tables found")
	}
}
