// Package dashboards builds ClickPy's Grafana dashboards (Overview,
// Package, Compare) and alert rules as code with the grafana-foundation-sdk
// builders. cmd/clickpy-dashboards writes what Files returns under
// dashboards/ and provisioning/; a test fails when the committed files
// differ from it.
//
// Targets store the data source's query model (pkg/querymodel) with
// template variables in its lists ("$package"): the plugin's front end
// expands them (applyTemplateVariables) before a query reaches the backend.
package dashboards
