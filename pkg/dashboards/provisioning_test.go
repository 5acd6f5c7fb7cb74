package dashboards_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"go.yaml.in/yaml/v3"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

func readYAML(t *testing.T, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// envRefs are the environment variables a provisioning file uses outside
// comments (Grafana expands $NAME and ${NAME} in values).
func envRefs(t *testing.T, rel string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	line := regexp.MustCompile(`(?m)^[^#\n]*`)
	ref := regexp.MustCompile(`\$\{?([A-Z_][A-Z0-9_]*)\}?`)
	for _, l := range line.FindAllString(string(b), -1) {
		for _, m := range ref.FindAllStringSubmatch(l, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// The provisioned data source, with the test server in place of the
// environment's host, passes the plugin's health check: its settings are
// ones the plugin accepts.
func TestProvisionedDataSourceSettingsWork(t *testing.T) {
	e := plugin(t)
	ds, jsonData := provisionedDataSource(t)
	if ds.UID != dashboards.DataSourceUID || ds.Type != dashboards.DataSourceType {
		t.Fatalf("provisioned %+v, dashboards use uid %s type %s", ds, dashboards.DataSourceUID, dashboards.DataSourceType)
	}
	for _, k := range []string{"host", "port", "protocol", "database"} {
		if _, ok := jsonData[k]; !ok {
			t.Errorf("provisioned jsonData lacks %s", k)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := e.host.CheckHealth(ctx, dataSourceFor(e.srv, jsonData))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusOk {
		t.Errorf("health check with the provisioned settings: %s %s", res.Status, res.Message)
	}
}

// The dashboard provider loads dashboards/ into the alert rules' folder,
// referring to it the one way both files can: by title. Alert rule files
// name a folder by title only and are provisioned first; a provider
// naming a folder uid too makes Grafana try to create the folder again
// (grafana/grafana#125079, #87889).
func TestDashboardProvider(t *testing.T) {
	var f struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name      string `yaml:"name"`
			Type      string `yaml:"type"`
			Folder    string `yaml:"folder"`
			FolderUID string `yaml:"folderUid"`
			Options   struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, "provisioning/dashboards/clickpy.yaml", &f)
	if f.APIVersion != 1 || len(f.Providers) != 1 {
		t.Fatalf("apiVersion %d, %d providers", f.APIVersion, len(f.Providers))
	}
	p := f.Providers[0]
	if p.Type != "file" || p.Options.Path == "" {
		t.Errorf("provider %+v: want a file provider with a path", p)
	}
	folders := map[string]bool{}
	for _, g := range provisionedRuleGroups(t) {
		folders[g.Folder] = true
	}
	if len(folders) != 1 || !folders[p.Folder] || p.Folder != dashboards.FolderTitle {
		t.Errorf("dashboards go to folder %q, alert rule groups to %v: want one folder, %s", p.Folder, folders, dashboards.FolderTitle)
	}
	if p.FolderUID != "" {
		t.Errorf("the provider names folder uid %q while the alert rules can name only the title %q: Grafana would create the folder twice or skip the dashboards",
			p.FolderUID, p.Folder)
	}
}

// Every alert rule reaches the example contact point through the example
// policy, and the policy names only contact points that exist.
func TestNotificationPolicyRoutesTheRules(t *testing.T) {
	var cps struct {
		ContactPoints []struct {
			Name      string `yaml:"name"`
			Receivers []struct {
				UID  string `yaml:"uid"`
				Type string `yaml:"type"`
			} `yaml:"receivers"`
		} `yaml:"contactPoints"`
	}
	readYAML(t, "provisioning/alerting/contact-points.yaml", &cps)
	names := []string{"grafana-default-email"} // Grafana's own
	for _, c := range cps.ContactPoints {
		if len(c.Receivers) == 0 {
			t.Errorf("contact point %s has no receivers", c.Name)
		}
		names = append(names, c.Name)
	}
	type route struct {
		Receiver       string     `yaml:"receiver"`
		ObjectMatchers [][]string `yaml:"object_matchers"`
		Routes         []route    `yaml:"routes"`
	}
	var pol struct {
		Policies []route `yaml:"policies"`
	}
	readYAML(t, "provisioning/alerting/policies.yaml", &pol)
	if len(pol.Policies) != 1 {
		t.Fatalf("%d policy trees", len(pol.Policies))
	}
	root := pol.Policies[0]
	var check func(r route)
	check = func(r route) {
		if !slices.Contains(names, r.Receiver) {
			t.Errorf("policy routes to %q, not a provisioned contact point (%v)", r.Receiver, names)
		}
		for _, c := range r.Routes {
			check(c)
		}
	}
	check(root)
	for _, rule := range provisionedRules(t) {
		got := root.Receiver
		for _, r := range root.Routes {
			if matches(r.ObjectMatchers, rule.Labels) {
				got = r.Receiver
				break
			}
		}
		if got == root.Receiver || got == "grafana-default-email" {
			t.Errorf("rule %s (labels %v) falls through to the default contact point", rule.UID, rule.Labels)
		}
	}
}

func matches(ms [][]string, labels map[string]string) bool {
	for _, m := range ms {
		if len(m) != 3 {
			return false
		}
		v := labels[m[0]]
		switch m[1] {
		case "=":
			if v != m[2] {
				return false
			}
		case "!=":
			if v == m[2] {
				return false
			}
		default:
			return false
		}
	}
	return len(ms) > 0
}
