package dashboards_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

// The committed files are exactly what the generator writes.
func TestCommittedFilesMatchGenerator(t *testing.T) {
	files, err := dashboards.Files()
	if err != nil {
		t.Fatal(err)
	}
	root := moduleRoot(t)
	for _, f := range files {
		have, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Errorf("%s: %v (run go tool mage dashboards)", f.Path, err)
			continue
		}
		if !bytes.Equal(have, f.Data) {
			t.Errorf("%s differs from what cmd/clickpy-dashboards writes: run go tool mage dashboards", f.Path)
		}
	}
}

// Generating twice gives the same bytes: no map order or clock leaks in.
func TestGeneratorIsDeterministic(t *testing.T) {
	a, err := dashboards.Files()
	if err != nil {
		t.Fatal(err)
	}
	b, err := dashboards.Files()
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}

// provisionedDataSource reads uid and type from provisioning/datasources.
func provisionedDataSource(t *testing.T) (provisionedDS, map[string]any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "provisioning", "datasources", "clickpy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name           string            `yaml:"name"`
			UID            string            `yaml:"uid"`
			Type           string            `yaml:"type"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("provisioning/datasources/clickpy.yaml: %v", err)
	}
	if f.APIVersion != 1 || len(f.Datasources) != 1 {
		t.Fatalf("provisioning/datasources/clickpy.yaml: apiVersion %d, %d data sources; want 1 and 1", f.APIVersion, len(f.Datasources))
	}
	d := f.Datasources[0]
	return provisionedDS{UID: d.UID, Type: d.Type, Name: d.Name}, d.JSONData
}

type provisionedDS struct{ UID, Type, Name string }

// UIDs are unique across dashboards, panel ids within a dashboard.
func TestUniqueUIDs(t *testing.T) {
	seen := map[string]string{}
	for _, d := range committedDashboards(t) {
		if d.UID == "" {
			t.Errorf("%s: no uid", d.path)
		}
		if other, dup := seen[d.UID]; dup {
			t.Errorf("uid %q used by %s and %s", d.UID, other, d.path)
		}
		seen[d.UID] = d.path
		ids := map[int]string{}
		for _, p := range allPanels(d.Panels) {
			if p.ID == 0 {
				t.Errorf("%s: panel %q has no id", d.path, p.Title)
			}
			if other, dup := ids[p.ID]; dup {
				t.Errorf("%s: panel id %d used by %q and %q", d.path, p.ID, other, p.Title)
			}
			ids[p.ID] = p.Title
		}
	}
	for _, want := range []string{dashboards.OverviewUID, dashboards.PackageUID, dashboards.CompareUID} {
		if _, ok := seen[want]; !ok {
			t.Errorf("no dashboard has uid %s, which links use", want)
		}
	}
}

// Every data source reference anywhere in a dashboard (panels, targets,
// variables, annotations) is the provisioned data source.
func TestDataSourceReferences(t *testing.T) {
	want, _ := provisionedDataSource(t)
	if want.Type != dashboards.DataSourceType {
		t.Errorf("provisioned type %q, plugin id %q", want.Type, dashboards.DataSourceType)
	}
	for _, d := range committedDashboards(t) {
		n := 0
		walk(d.raw, "", func(path string, key string, v any) {
			if key != "datasource" {
				return
			}
			n++
			m, ok := v.(map[string]any)
			if !ok || m["uid"] != want.UID || m["type"] != want.Type {
				t.Errorf("%s %s: datasource %v, want {type: %s, uid: %s}", d.path, path, v, want.Type, want.UID)
			}
		})
		if n == 0 {
			t.Errorf("%s: no data source references", d.path)
		}
		for _, p := range allPanels(d.Panels) {
			if p.Type != "row" && p.Type != "text" && p.Datasource == nil {
				t.Errorf("%s: panel %q names no data source", d.path, p.Title)
			}
			for _, tg := range p.Targets {
				if tg["datasource"] == nil {
					t.Errorf("%s: panel %q target %v names no data source", d.path, p.Title, tg["refId"])
				}
			}
		}
	}
}

// walk calls fn for every map entry under v, with a JSON-path-like
// location.
func walk(v any, path string, fn func(path, key string, v any)) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fn(path, k, t[k])
			walk(t[k], path+"."+k, fn)
		}
	case []any:
		for i, e := range t {
			walk(e, path+"["+strconv.Itoa(i)+"]", fn)
		}
	}
}

// variableRefs are the names of the template variables a text refers to,
// in Grafana's syntaxes; names starting with __ are Grafana's own
// ($__all, ${__url_time_range}, ${__value.raw}) or the data source's SQL
// macros ($__table), not variables.
func variableRefs(text string) []string {
	re := regexp.MustCompile(`\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		name := m[1] + m[2] + m[4]
		if name != "" && !strings.HasPrefix(name, "__") && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// Every variable a panel, link, annotation or variable query uses is
// defined by the dashboard (a variable's query only uses those defined
// before it, as Grafana resolves them in order).
func TestVariablesDefined(t *testing.T) {
	for _, d := range committedDashboards(t) {
		var defined []string
		for _, v := range d.Templating.List {
			raw, _ := json.Marshal(v.Query)
			for _, name := range variableRefs(string(raw)) {
				if !slices.Contains(defined, name) {
					t.Errorf("%s: variable %s uses $%s, not defined before it", d.path, v.Name, name)
				}
			}
			defined = append(defined, v.Name)
		}
		check := func(what string, v any) {
			raw, _ := json.Marshal(v)
			for _, name := range variableRefs(string(raw)) {
				if !slices.Contains(defined, name) {
					t.Errorf("%s: %s uses $%s, which the dashboard does not define (%v)", d.path, what, name, defined)
				}
			}
		}
		panels, _ := d.raw["panels"].([]any)
		for i, p := range panels {
			title, _ := p.(map[string]any)["title"].(string)
			check("panel "+strconv.Itoa(i)+" "+title, p)
		}
		check("links", d.raw["links"])
		check("annotations", d.raw["annotations"])
		for _, p := range allPanels(d.Panels) {
			if p.Repeat != "" && !slices.Contains(defined, p.Repeat) {
				t.Errorf("%s: panel %q repeats over undefined variable %s", d.path, p.Title, p.Repeat)
			}
		}
	}
}

// Tables, bar charts, stats and pie charts name the fields they show (a
// filterFieldsByName transformation, on the data source's field names),
// so the live test can check that the data source answers with each.
func TestPanelsNameTheirColumns(t *testing.T) {
	for _, d := range committedDashboards(t) {
		for _, p := range allPanels(d.Panels) {
			switch p.Type {
			case "table", "barchart", "stat", "piechart":
				if len(transformationNames(p)) == 0 {
					t.Errorf("%s: %s %q shows no named fields", d.path, p.Type, p.Title)
				}
			}
			// "/.*/" matches every name, display names included.
			if m := reduceFieldsOption(p); m != "" && m != "/.*/" {
				t.Errorf("%s: %s %q selects fields by %q, which Grafana matches against display names", d.path, p.Type, p.Title, m)
			}
			if p.Type != "row" && len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no targets", d.path, p.Title)
			}
		}
	}
}

// Panels fit the 24-column grid and none covers another: Grafana would
// push one down, and the layout would not be the one written.
func TestPanelsDoNotOverlap(t *testing.T) {
	for _, d := range committedDashboards(t) {
		ps := allPanels(d.Panels)
		for i, p := range ps {
			g := p.GridPos
			if g.W < 1 || g.H < 1 || g.X < 0 || g.Y < 0 || g.X+g.W > 24 {
				t.Errorf("%s: panel %q at %+v is outside the 24-column grid", d.path, p.Title, g)
			}
			for _, q := range ps[i+1:] {
				h := q.GridPos
				if g.X < h.X+h.W && h.X < g.X+g.W && g.Y < h.Y+h.H && h.Y < g.Y+g.H {
					t.Errorf("%s: panels %q %+v and %q %+v overlap", d.path, p.Title, g, q.Title, h)
				}
			}
		}
	}
}
