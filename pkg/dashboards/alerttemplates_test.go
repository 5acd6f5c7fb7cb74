package dashboards_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"text/template"

	"github.com/clickpy/clickpy-grafana/pkg/dashboards"
)

// alertValue is one expression's value, as Grafana gives $values.
type alertValue struct {
	Labels map[string]string
	Value  float64
}

// expandAnnotation renders an annotation as Grafana 11 and 12 do
// (pkg/services/ngalert/state/template): $labels, $values and $value
// bound first, missing keys printed as "<no value>" and then shown as
// "[no value]", Prometheus' template functions. The functions here are
// the ones the rules use, written after Prometheus' documentation.
func expandAnnotation(t *testing.T, text, externalURL string, labels map[string]string, values map[string]alertValue) string {
	t.Helper()
	funcs := template.FuncMap{
		"externalURL": func() string { return externalURL },
		"reReplaceAll": func(pattern, repl, text string) string {
			return regexp.MustCompile(pattern).ReplaceAllString(text, repl)
		},
		"humanize": func(v float64) string { return fmt.Sprintf("%.4g", v) },
	}
	tmpl, err := template.New("annotation").Funcs(funcs).Option("missingkey=invalid").
		Parse("{{- $labels := .Labels -}}{{- $values := .Values -}}{{- $value := .Value -}}" + text)
	if err != nil {
		t.Fatalf("parsing %q: %v", text, err)
	}
	var b strings.Builder
	data := struct {
		Labels map[string]string
		Values map[string]alertValue
		Value  string
	}{labels, values, ""}
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatalf("expanding %q: %v", text, err)
	}
	return strings.ReplaceAll(b.String(), "<no value>", "[no value]")
}

// An alert's summary names its package, or says what no data means when
// Grafana raises the no-data instance (which has no package label), and
// its dashboard annotation is a whole URL, so that it is a link in an
// e-mail or a chat message, opening the package's own dashboard.
func TestAlertAnnotationsRenderForEveryInstance(t *testing.T) {
	const root = "https://grafana.example.org/monitoring/"
	for _, r := range provisionedRules(t) {
		// Every expression of the rule has a value, as Grafana gives them.
		values := map[string]alertValue{}
		for i, q := range r.Data {
			if q.DatasourceUID == "__expr__" {
				values[q.RefID] = alertValue{Value: float64(12 + i)}
			}
		}
		instances := map[string]map[string]string{"package zope.interface": {"package": "zope.interface"}}
		if r.NoDataState == "Alerting" || r.NoDataState == "NoData" {
			// Grafana's own labels; the query gave none.
			instances["no data"] = map[string]string{}
		}
		for name, labels := range instances {
			for key, text := range r.Annotations {
				got := expandAnnotation(t, text, root, labels, values)
				if strings.Contains(got, "[no value]") || strings.HasPrefix(got, ":") || strings.TrimSpace(got) == "" {
					t.Errorf("rule %s, %s: %s reads %q", r.UID, name, key, got)
				}
			}
			link := expandAnnotation(t, r.Annotations["dashboard"], root, labels, values)
			u, err := url.Parse(link)
			if err != nil || u.Scheme != "https" || u.Host != "grafana.example.org" ||
				u.Path != "/monitoring/d/"+dashboards.PackageUID+"/clickpy-package" {
				t.Errorf("rule %s, %s: dashboard link %q is not the package dashboard under %s", r.UID, name, link, root)
				continue
			}
			if got := u.Query().Get("var-" + dashboards.VarPackage); got != labels["package"] {
				t.Errorf("rule %s, %s: dashboard link %q opens package %q", r.UID, name, link, got)
			}
		}
		if s := expandAnnotation(t, r.Annotations["summary"], root, map[string]string{"package": "zope.interface"}, values); !strings.HasPrefix(s, "zope.interface: ") {
			t.Errorf("rule %s: summary %q does not start with the package", r.UID, s)
		}
	}
}
