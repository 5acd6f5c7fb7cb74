package dashboards_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
)

// docker-compose.yml cannot run here (no Docker engine); these tests read
// it as Compose would and check what can go wrong without running it.

type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Configs  map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
	Volumes map[string]any `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     any               `yaml:"command"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	Environment map[string]string `yaml:"environment"`
	DependsOn   yaml.Node         `yaml:"depends_on"`
	Configs     []struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	} `yaml:"configs"`
}

func readCompose(t *testing.T) composeFile {
	t.Helper()
	var c composeFile
	readYAML(t, "docker-compose.yml", &c)
	if len(c.Services) == 0 {
		t.Fatal("docker-compose.yml defines no services")
	}
	return c
}

func service(t *testing.T, c composeFile, name string) composeService {
	t.Helper()
	s, ok := c.Services[name]
	if !ok {
		t.Fatalf("docker-compose.yml has no %s service", name)
	}
	return s
}

// mount is one volumes entry.
type mount struct{ source, target string }

func mounts(s composeService) []mount {
	var out []mount
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 {
			out = append(out, mount{parts[0], parts[1]})
		}
	}
	return out
}

func isBind(source string) bool {
	return strings.HasPrefix(source, ".") || strings.HasPrefix(source, "/")
}

// version parses "24.8.14.39" or "v3.5.0" into numbers.
func version(tag string) []int {
	var out []int
	for _, p := range strings.Split(strings.TrimPrefix(tag, "v"), ".") {
		n, err := strconv.Atoi(strings.SplitN(p, "-", 2)[0])
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

func atLeast(have, want []int) bool {
	for i := range want {
		if i >= len(have) {
			return false
		}
		if have[i] != want[i] {
			return have[i] > want[i]
		}
	}
	return true
}

func goModVersion(t *testing.T) []int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return version(string(m[1]))
}

// Every service runs a pinned image (a full version, never latest), at
// least the versions the project supports.
func TestComposeImagesArePinned(t *testing.T) {
	c := readCompose(t)
	minimum := map[string][]int{
		"clickhouse/clickhouse-server": {25, 8},
		"grafana/grafana":              {11, 6},
		"grafana/grafana-oss":          {11, 6},
		"golang":                       goModVersion(t),
	}
	for _, want := range []string{"clickhouse", "schema", "grafana", "prometheus", "exporter"} {
		service(t, c, want)
	}
	for name, s := range c.Services {
		if s.Image == "" {
			t.Errorf("service %s has no image (built images cannot be pinned here)", name)
			continue
		}
		repo, tag, ok := strings.Cut(s.Image, ":")
		if !ok || tag == "latest" || !regexp.MustCompile(`^v?\d+\.\d+\.\d+(\.\d+)?(-[\w.]+)?$`).MatchString(tag) {
			t.Errorf("service %s: image %s is not pinned to a full version", name, s.Image)
			continue
		}
		if min, ok := minimum[repo]; ok && !atLeast(version(tag), min) {
			t.Errorf("service %s: %s is older than %v", name, s.Image, min)
		}
	}
	if img := service(t, c, "grafana").Image; !strings.HasPrefix(img, "grafana/grafana:") && !strings.HasPrefix(img, "grafana/grafana-oss:") {
		t.Errorf("grafana runs %s, not Grafana OSS", img)
	}
}

// ClickHouse runs a full release of a supported LTS line (ClickHouse's
// LTS releases are the .3 and .8 of each year; 24.8 left support in
// 2025), from 25.8 on, near the 26.x engine the tests run.
func TestComposeClickHouseIsASupportedLTS(t *testing.T) {
	img := service(t, readCompose(t), "clickhouse").Image
	repo, tag, _ := strings.Cut(img, ":")
	v := version(tag)
	if repo != "clickhouse/clickhouse-server" || len(v) != 4 || !regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`).MatchString(tag) {
		t.Fatalf("clickhouse runs %s: want clickhouse/clickhouse-server at a full four-part release", img)
	}
	if v[1] != 3 && v[1] != 8 {
		t.Errorf("%s is not an LTS line (YY.3 or YY.8)", tag)
	}
	if !atLeast(v, []int{25, 8}) {
		t.Errorf("%s is older than the oldest supported LTS line, 25.8", tag)
	}
}

// Every bind mount's source exists; named volumes are declared.
func TestComposeMountsExist(t *testing.T) {
	c := readCompose(t)
	root := moduleRoot(t)
	for name, s := range c.Services {
		for _, m := range mounts(s) {
			if !isBind(m.source) {
				if _, ok := c.Volumes[m.source]; !ok {
					t.Errorf("service %s mounts volume %s, which is not declared", name, m.source)
				}
				continue
			}
			if _, err := os.Stat(filepath.Join(root, m.source)); err != nil {
				hint := ""
				if filepath.Clean(m.source) == "dist" {
					hint = " (the plugin build: run go tool mage dist)"
				}
				t.Errorf("service %s mounts %s, which does not exist%s", name, m.source, hint)
			}
		}
		for _, cf := range s.Configs {
			if _, ok := c.Configs[cf.Source]; !ok {
				t.Errorf("service %s uses config %s, which is not declared", name, cf.Source)
			}
		}
		for _, dep := range dependencies(s) {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("service %s depends on unknown service %s", name, dep)
			}
		}
	}
}

func dependencies(s composeService) []string {
	var out []string
	switch s.DependsOn.Kind {
	case yaml.SequenceNode:
		for _, n := range s.DependsOn.Content {
			out = append(out, n.Value)
		}
	case yaml.MappingNode:
		for i := 0; i < len(s.DependsOn.Content); i += 2 {
			out = append(out, s.DependsOn.Content[i].Value)
		}
	}
	return out
}

// No two services publish the same host port.
func TestComposePortsDoNotClash(t *testing.T) {
	c := readCompose(t)
	used := map[string]string{}
	for name, s := range c.Services {
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			if len(parts) < 2 {
				t.Errorf("service %s: port %q publishes no host port", name, p)
				continue
			}
			host := strings.Join(parts[:len(parts)-1], ":")
			if other, dup := used[host]; dup {
				t.Errorf("host port %s published by %s and %s", host, other, name)
			}
			used[host] = name
		}
	}
}

func pluginJSONID(t *testing.T, rel string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), rel))
	if os.IsNotExist(err) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return p.ID, true
}

// Grafana loads dist/ as the plugin plugin.json names, allowed unsigned,
// and the provisioning files find their dashboards and data source.
func TestComposeGrafana(t *testing.T) {
	c := readCompose(t)
	g := service(t, c, "grafana")
	id, _ := pluginJSONID(t, "plugin.json")
	if id != dashboards.DataSourceType {
		t.Errorf("plugin.json id %q, dashboards use %q", id, dashboards.DataSourceType)
	}
	if id != datasource.PluginID {
		t.Errorf("plugin.json id %q, the backend registers %q", id, datasource.PluginID)
	}
	if distID, ok := pluginJSONID(t, "dist/plugin.json"); ok && distID != id {
		t.Errorf("dist/plugin.json id %q, plugin.json %q", distID, id)
	}
	if !slices.Contains(strings.Split(g.Environment["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"], ","), id) {
		t.Errorf("GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS = %q does not allow %s", g.Environment["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"], id)
	}
	targets := map[string]string{}
	for _, m := range mounts(g) {
		targets[filepath.Clean(m.source)] = m.target
	}
	if want := "/var/lib/grafana/plugins/" + id; targets["dist"] != want {
		t.Errorf("dist is mounted at %q, want %s", targets["dist"], want)
	}
	if targets["provisioning"] != "/etc/grafana/provisioning" {
		t.Errorf("provisioning is mounted at %q, want /etc/grafana/provisioning", targets["provisioning"])
	}
	// The mount replaces the image's whole provisioning directory: every
	// directory Grafana reads there must come with it, or Grafana logs an
	// error at each start ("Failed to read plugin provisioning files").
	for _, dir := range []string{"datasources", "plugins", "dashboards", "alerting"} {
		if st, err := os.Stat(filepath.Join(moduleRoot(t), "provisioning", dir)); err != nil || !st.IsDir() {
			t.Errorf("provisioning/%s is missing: Grafana reads it from the mounted provisioning directory", dir)
		}
	}
	dashDir := g.Environment["CLICKPY_DASHBOARDS_DIR"]
	if dashDir == "" || targets["dashboards"] != dashDir {
		t.Errorf("dashboards mounted at %q, CLICKPY_DASHBOARDS_DIR %q: the provider would find nothing", targets["dashboards"], dashDir)
	}
	if home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != "" {
		if path.Dir(home) != dashDir {
			t.Errorf("home dashboard %s is outside %s", home, dashDir)
		} else if _, err := os.Stat(filepath.Join(moduleRoot(t), "dashboards", path.Base(home))); err != nil {
			t.Errorf("home dashboard: %v", err)
		}
	}
	// Grafana expands these in the provisioning files; unset they become
	// empty strings.
	for _, rel := range []string{"provisioning/datasources/clickpy.yaml", "provisioning/dashboards/clickpy.yaml",
		"provisioning/alerting/contact-points.yaml", "provisioning/alerting/policies.yaml"} {
		for _, v := range envRefs(t, rel) {
			if _, ok := g.Environment[v]; !ok {
				t.Errorf("%s uses $%s, which the grafana service does not set", rel, v)
			}
		}
	}
	if host := g.Environment["CLICKPY_CLICKHOUSE_HOST"]; service(t, c, "clickhouse").Image == "" || host != "clickhouse" {
		t.Errorf("CLICKPY_CLICKHOUSE_HOST = %q, want the clickhouse service", host)
	}
}

func commandText(s composeService) string {
	switch c := s.Command.(type) {
	case string:
		return c
	case []any:
		parts := make([]string, len(c))
		for i, p := range c {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// Commands run programs and read files that exist: the schema loader and
// the exporter from ./cmd, the exporter's config from prometheus/.
func TestComposeCommandsUseRealPaths(t *testing.T) {
	c := readCompose(t)
	root := moduleRoot(t)
	ref := regexp.MustCompile(`\./cmd/[\w-]+|prometheus/[\w./-]+\.ya?ml`)
	for _, want := range []struct{ service, path string }{
		{"schema", "./cmd/clickpy-schema"}, {"exporter", "./cmd/clickpy-exporter"},
	} {
		if !strings.Contains(commandText(service(t, c, want.service)), want.path) {
			t.Errorf("service %s does not run %s", want.service, want.path)
		}
	}
	for name, s := range c.Services {
		for _, p := range ref.FindAllString(commandText(s), -1) {
			st, err := os.Stat(filepath.Join(root, p))
			if err != nil {
				t.Errorf("service %s: %v", name, err)
				continue
			}
			if st.IsDir() {
				if _, err := os.Stat(filepath.Join(root, p, "main.go")); err != nil {
					t.Errorf("service %s runs %s, which has no main.go", name, p)
				}
			}
		}
	}
}

// The exporter is built with the stamp the mage targets use, so its
// --version and build_info name the release and revision.
func TestComposeExporterIsStamped(t *testing.T) {
	cmd := commandText(service(t, readCompose(t), "exporter"))
	stamp := regexp.MustCompile(`go build -ldflags "\$\$\(go run \./cmd/clickpy-buildstamp\)"[^&]* \./cmd/clickpy-exporter`)
	if !stamp.MatchString(cmd) {
		t.Errorf("the exporter service builds without the version stamp (go build -ldflags \"$$(go run ./cmd/clickpy-buildstamp)\"):\n%s", cmd)
	}
}

// Prometheus reads the rules in prometheus/ and scrapes the exporter
// under the job name the rules expect.
func TestComposePrometheus(t *testing.T) {
	c := readCompose(t)
	p := service(t, c, "prometheus")
	var cfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	found := false
	for _, cf := range p.Configs {
		if cf.Target == "/etc/prometheus/prometheus.yml" {
			found = true
			if err := yaml.Unmarshal([]byte(c.Configs[cf.Source].Content), &cfg); err != nil {
				t.Fatalf("prometheus config: %v", err)
			}
		}
	}
	if !found {
		t.Fatal("prometheus gets no /etc/prometheus/prometheus.yml")
	}
	if len(cfg.RuleFiles) == 0 {
		t.Error("prometheus loads no rules")
	}
	root := moduleRoot(t)
	for _, rf := range cfg.RuleFiles {
		matched := false
		for _, m := range mounts(p) {
			if !isBind(m.source) || !strings.HasPrefix(rf, m.target+"/") {
				continue
			}
			files, _ := filepath.Glob(filepath.Join(root, m.source, strings.TrimPrefix(rf, m.target+"/")))
			matched = len(files) > 0
		}
		if !matched {
			t.Errorf("rule_files %s matches no file mounted from the repository", rf)
		}
	}
	scraped := false
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, tg := range st.Targets {
				host, port, _ := strings.Cut(tg, ":")
				ex, ok := c.Services[host]
				if !ok {
					t.Errorf("job %s scrapes %s: no such service", sc.JobName, tg)
					continue
				}
				if host == "exporter" {
					scraped = sc.JobName == "clickpy-exporter"
				}
				if !slices.ContainsFunc(ex.Ports, func(p string) bool { return strings.HasSuffix(p, ":"+port) }) {
					t.Errorf("job %s scrapes port %s, which service %s does not use", sc.JobName, port, host)
				}
			}
		}
	}
	if !scraped {
		t.Error("no job named clickpy-exporter scrapes the exporter (ClickPyExporterDown matches that job)")
	}
}

// Compose itself expands $NAME in the file from the host's environment;
// every $ meant for a shell is written $$.
func TestComposeHasNoHostVariables(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.Contains(strings.ReplaceAll(line, "$$", ""), "$") {
			t.Errorf("docker-compose.yml:%d: %s: a lone $ is read from the host's environment", i+1, strings.TrimSpace(line))
		}
	}
}
