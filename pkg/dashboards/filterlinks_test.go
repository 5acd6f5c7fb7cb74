package dashboards_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dataLinks are the data-link URLs of a panel's field config, defaults
// and overrides.
func dataLinks(t *testing.T, p panelJSON) []string {
	t.Helper()
	var urls []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["id"] == "links" {
				links, _ := x["value"].([]any)
				for _, l := range links {
					if u, ok := l.(map[string]any)["url"].(string); ok {
						urls = append(urls, u)
					}
				}
			}
			if links, ok := x["links"].([]any); ok {
				for _, l := range links {
					if u, ok := l.(map[string]any)["url"].(string); ok {
						urls = append(urls, u)
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, raw := range p.FieldConfig {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
	return urls
}

// Clicking a version, a country or a file type filters the package page:
// those panels' links set $version, $country and $type, keep every other
// variable, and read fields the panel shows; every link's var-NAME is a
// variable of the dashboard it opens.
func TestFilterLinksSetThePageVariables(t *testing.T) {
	want := map[string]string{
		"Top versions":            "version",
		"Top countries":           "country",
		"Downloads by country":    "country",
		"File types by installer": "type",
	}
	setRe := regexp.MustCompile(`[?&]var-(\w+)=`)
	keepRe := regexp.MustCompile(`\$\{(\w+):queryparam\}`)
	fieldRe := regexp.MustCompile(`\$\{__data\.fields\.(\w+)\}`)
	uidRe := regexp.MustCompile(`^/d/([^/?]+)/`)
	vars := map[string][]string{}
	for _, d := range committedDashboards(t) {
		for _, v := range d.Templating.List {
			vars[d.UID] = append(vars[d.UID], v.Name)
		}
	}
	for _, d := range committedDashboards(t) {
		defined := vars[d.UID]
		found := map[string]bool{}
		for _, p := range allPanels(d.Panels) {
			for _, u := range dataLinks(t, p) {
				target := uidRe.FindStringSubmatch(u)
				if target == nil {
					continue // outside Grafana
				}
				if _, ok := vars[target[1]]; !ok {
					t.Errorf("%s: panel %q links to dashboard %s, which is not bundled", d.path, p.Title, target[1])
				}
				for _, m := range setRe.FindAllStringSubmatch(u, -1) {
					if !slices.Contains(vars[target[1]], m[1]) {
						t.Errorf("%s: panel %q links to var-%s, which dashboard %s does not define (%v)", d.path, p.Title, m[1], target[1], vars[target[1]])
					}
				}
				for _, m := range fieldRe.FindAllStringSubmatch(u, -1) {
					if names := transformationNames(p); len(names) > 0 && !slices.Contains(names, m[1]) {
						t.Errorf("%s: panel %q links read field %s, which it does not show (%v)", d.path, p.Title, m[1], names)
					}
				}
				sets := setRe.FindAllStringSubmatch(u, -1)
				if d.UID != "clickpy-package" || len(sets) != 1 || !strings.Contains(u, "/d/clickpy-package/") {
					continue
				}
				v := sets[0][1]
				if want[p.Title] == v {
					found[p.Title] = true
				}
				var kept []string
				for _, m := range keepRe.FindAllStringSubmatch(u, -1) {
					kept = append(kept, m[1])
				}
				for _, other := range defined {
					if other != v && !slices.Contains(kept, other) && v != "package" {
						t.Errorf("%s: panel %q's link setting %s drops $%s: %s", d.path, p.Title, v, other, u)
					}
				}
				if !strings.Contains(u, "${__url_time_range}") {
					t.Errorf("%s: panel %q's link loses the time range: %s", d.path, p.Title, u)
				}
			}
		}
		if d.UID != "clickpy-package" {
			continue
		}
		for title, v := range want {
			if !found[title] {
				t.Errorf("%s: panel %q has no link setting $%s", d.path, title, v)
			}
		}
	}
}
