package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// File is one generated file; Path is relative to the module root.
type File struct {
	Path string
	Data []byte
}

// Paths of the generated files.
const (
	OverviewPath   = "dashboards/overview.json"
	PackagePath    = "dashboards/package.json"
	ComparePath    = "dashboards/compare.json"
	AlertRulesPath = "provisioning/alerting/clickpy-rules.yaml"
)

// Files renders every dashboard and the alert rules.
func Files() ([]File, error) {
	builds := []struct {
		path  string
		build func() (dashboard.Dashboard, error)
	}{
		{OverviewPath, Overview},
		{PackagePath, Package},
		{ComparePath, Compare},
	}
	var out []File
	for _, b := range builds {
		d, err := b.build()
		if err != nil {
			return nil, err
		}
		data, err := dashboardJSON(d)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.path, err)
		}
		out = append(out, File{Path: b.path, Data: data})
	}
	rules, err := alertRulesYAML()
	if err != nil {
		return nil, err
	}
	return append(out, File{Path: AlertRulesPath, Data: rules}), nil
}

// dashboardJSON is indented, ends in a newline and keeps & < > as they
// are: URLs in links stay readable in review.
func dashboardJSON(d dashboard.Dashboard) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encoding dashboard: %w", err)
	}
	return buf.Bytes(), nil
}
