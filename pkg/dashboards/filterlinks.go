package dashboards

import (
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// packageFilterVars are the package dashboard's variables a click can set,
// and the package itself, which a click keeps.
func packageFilterVars() []string {
	return []string{VarPackage, VarVersion, VarCountry, VarType, VarInstaller}
}

// filterLink is a data link that filters the whole package page by the
// value clicked: the dashboard again, over the same time range, with
// variable name set to valueExpr (a Grafana data-link expression such as
// ${__data.fields.version}) and every other variable kept as it is.
func filterLink(name, valueExpr, what string) dashboard.DynamicConfigValue {
	q := []string{"${__url_time_range}"}
	for _, v := range packageFilterVars() {
		if v != name {
			q = append(q, "${"+v+":queryparam}")
		}
	}
	q = append(q, "var-"+name+"="+valueExpr)
	return dashboard.DynamicConfigValue{Id: "links", Value: []map[string]any{{
		"title": "Filter the page by this " + what,
		"url":   packageDashboardPath() + "?" + strings.Join(q, "&"),
	}}}
}

// fieldValue is the data-link expression for a row's value of a field.
func fieldValue(field string) string { return "${__data.fields." + field + "}" }
