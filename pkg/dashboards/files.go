package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"

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
	MaintainerPath = "dashboards/maintainer.json"
	AlertRulesPath = "provisioning/alerting/clickpy-rules.yaml"
	// PluginDashboardDir holds the dashboards the plugin bundles
	// (plugin.json's includes, which the data source's Dashboards tab
	// offers), one per provisioned dashboard; the front-end build copies
	// them into dist/dashboards/.
	PluginDashboardDir = "src/dashboards"
)

// DataSourceInput is the import input the bundled dashboards ask for:
// Grafana fills ${DS_CLICKPY} with the data source whose Dashboards tab
// imports them, whatever its uid.
const DataSourceInput = "DS_CLICKPY"

// Files renders every dashboard and the alert rules.
func Files() ([]File, error) {
	builds := []struct {
		path  string
		build func() (dashboard.Dashboard, error)
	}{
		{OverviewPath, Overview},
		{PackagePath, Package},
		{ComparePath, Compare},
		{MaintainerPath, Maintainer},
	}
	var out, bundled []File
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
		plugin, err := pluginDashboardJSON(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.path, err)
		}
		bundled = append(bundled, File{Path: path.Join(PluginDashboardDir, path.Base(b.path)), Data: plugin})
	}
	out = append(out, bundled...)
	rules, err := alertRulesYAML()
	if err != nil {
		return nil, err
	}
	return append(out, File{Path: AlertRulesPath, Data: rules}), nil
}

// dashboardJSON is indented, ends in a newline and keeps & < > as they
// are: URLs in links stay readable in review.
func dashboardJSON(d any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encoding dashboard: %w", err)
	}
	return buf.Bytes(), nil
}

// pluginDashboardJSON is a provisioned dashboard as the plugin bundles it:
// every reference to the provisioned data source (uid clickpy) becomes
// ${DS_CLICKPY}, declared in __inputs, which Grafana fills with the
// importing data source, as plugin-bundled dashboards do
// (grafana/clickhouse-datasource's, for one). Keys come out sorted.
func pluginDashboardJSON(provisioned []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(provisioned))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("decoding dashboard: %w", err)
	}
	if n := useInput(d); n == 0 {
		return nil, fmt.Errorf("no reference to data source %s to replace", DataSourceUID)
	}
	d["__inputs"] = []any{map[string]any{
		"name":        DataSourceInput,
		"label":       "ClickPy",
		"description": "The ClickPy data source (" + DataSourceType + ") the dashboard reads",
		"type":        "datasource",
		"pluginId":    DataSourceType,
		"pluginName":  "ClickPy PyPI downloads",
	}}
	return dashboardJSON(d)
}

// useInput points every data source reference under v at the import
// input and counts them.
func useInput(v any) int {
	n := 0
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if ref, ok := e.(map[string]any); ok && k == "datasource" && ref["uid"] == DataSourceUID && ref["type"] == DataSourceType {
				ref["uid"] = "${" + DataSourceInput + "}"
				n++
				continue
			}
			n += useInput(e)
		}
	case []any:
		for _, e := range t {
			n += useInput(e)
		}
	}
	return n
}
