package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Package is ClickPy's package page: one package, filtered by version,
// country, file type and installer.
func Package() (dashboard.Dashboard, error) {
	pkg, err := packageVariable()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	filters, err := packageFilterVariables()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	b := newDashboard("ClickPy: package", PackageUID,
		"One package's downloads, as ClickPy's package page shows them, with release annotations.", "now-1y").
		Variables(append([]cog.Builder[dashboard.VariableModel]{pkg}, filters...)).
		Links(dashboardLinks(
			dashboard.NewDashboardLinkBuilder("$"+VarPackage+" on PyPI").
				Type(dashboard.DashboardLinkTypeLink).
				Url("https://pypi.org/project/${"+VarPackage+"}/").
				Icon("external link").
				TargetBlank(true),
			dashboard.NewDashboardLinkBuilder("$"+VarPackage+" for maintainers").
				Type(dashboard.DashboardLinkTypeLink).
				Url("/d/"+MaintainerUID+"/clickpy-maintainer?var-"+VarPackage+"=${"+VarPackage+"}&${__url_time_range}").
				Icon("dashboard"))).
		// Releases mark every time series of the dashboard: a shift in
		// Python versions or installers often follows one. (The SDK
		// encodes an annotation's panel filter as base64, so it cannot
		// limit them to one panel anyway.)
		Annotation(dashboard.NewAnnotationQueryBuilder().
			Name("Releases").
			Datasource(dataSource()).
			Enable(true).
			IconColor("purple").
			Target(target("Anno", querymodel.Query{Type: querymodel.Releases,
				Filters: querymodel.Filters{Packages: []string{ref(VarPackage)}, Versions: []string{ref(VarVersion)}}})))
	panels := packagePanels()
	for _, p := range panels {
		b = b.WithPanel(p)
	}
	b = withGitHubRow(b, uint32(len(panels))+1, []string{ref(VarPackage)})
	return build(b, "package")
}

// packagePanels are the package dashboard's panels, top to bottom.
func packagePanels() []cog.Builder[dashboard.Panel] {
	var ids panelIDs
	one := []string{ref(VarPackage)}
	all := packageFilters(true)
	noVersions := packageFilters(false)
	// uv against pip fixes the installers, so it ignores $installer.
	pipUV := packageFilters(true)
	pipUV.Installers = []string{"pip", "uv"}
	q := func(t querymodel.Type, f querymodel.Filters) querymodel.Query {
		return querymodel.Query{Type: t, Filters: f}
	}
	byDim := func(d querymodel.Dimension, limit int) querymodel.Query {
		return querymodel.Query{Type: querymodel.TimeSeries, Filters: all, Breakdown: d, Limit: limit}
	}
	breakdown := func(d querymodel.Dimension, limit int) querymodel.Query {
		return querymodel.Query{Type: querymodel.Breakdown, Filters: all, Dimension: d, Limit: limit}
	}
	return []cog.Builder[dashboard.Panel]{
		detailsPanel(ids.next(), at(0, 0, 24, 4), one),
		statPanel(ids.next(), "Downloads", "Counted back from the package's last day with data, with the filters applied.", at(0, 4, 16, 5),
			column{"last_day", "Last day"}, column{"last_7_days", "Last 7 days"},
			column{"last_30_days", "Last 30 days"}, column{"total", "Total"}).
			WithTarget(target("A", q(querymodel.Summary, all))),
		rankingPanel(ids.next(), at(16, 4, 8, 5), one),
		timeSeriesPanel(ids.next(), "Downloads over time", "Purple marks are releases (toggle them above).", at(0, 9, 24, 9)).
			WithTarget(target("A", q(querymodel.TimeSeries, all))),
		barChartPanel(ids.next(), "Top versions", "The most downloaded versions in the time range; a click filters the page by that version.", at(0, 18, 8, 10),
			"version", "downloads").
			OverrideByName("downloads", []dashboard.DynamicConfigValue{filterLink(VarVersion, fieldValue("version"), "version")}).
			WithTarget(target("A", breakdown(querymodel.Version, 10))),
		stackedPercent(timeSeriesPanel(ids.next(), "Python versions over time", "Share of downloads by Python minor version.", at(8, 18, 16, 10))).
			WithTarget(target("A", byDim(querymodel.PythonMinor, 8))),
		timeSeriesPanel(ids.next(), "Systems over time", "Downloads by operating system.", at(0, 28, 12, 9)).
			WithTarget(target("A", byDim(querymodel.System, 5))),
		timeSeriesPanel(ids.next(), "uv against pip", "Downloads by installer, pip and uv only (the installer filter does not apply).", at(12, 28, 12, 9)).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TimeSeries, Filters: pipUV, Breakdown: querymodel.Installer, Limit: 2})),
		countryMapPanel(ids.next(), "Downloads by country", "Circle size and colour follow downloads in the time range; a click filters the page by that country.", at(0, 37, 14, 11)).
			OverrideByName("downloads", []dashboard.DynamicConfigValue{filterLink(VarCountry, fieldValue("country_code"), "country")}).
			WithTarget(target("A", breakdown(querymodel.Country, 250))),
		tablePanelWith(ids.next(), "Top countries", "Downloads by country in the time range; a click on a country filters the page by it.", at(14, 37, 10, 11),
			map[string][]dashboard.DynamicConfigValue{
				"country":      {filterLink(VarCountry, fieldValue("country_code"), "country")},
				"country_code": {filterLink(VarCountry, fieldValue("country_code"), "country")},
			},
			column{"country", "Country"}, column{"country_code", "Code"}, column{"downloads", "Downloads"}, column{"share", "Share"}).
			WithTarget(target("A", breakdown(querymodel.Country, 50))),
		fileTypesPanel(ids.next(), at(0, 48, 24, 9)).
			// After the matrix transformation each file type is a field.
			OverrideByFieldType("number", []dashboard.DynamicConfigValue{filterLink(VarType, "${__field.name}", "file type")}).
			WithTarget(target("A", breakdown(querymodel.InstallerType, 40))),
		tablePanel(ids.next(), "Dependencies", "What the latest release requires, with each one's downloads and GitHub stars (empty off GitHub); a name opens its dashboard.", at(0, 57, 12, 10),
			column{"package", "Package"}, column{"downloads", "Downloads"}, column{"stars", "Stars"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Dependencies, Filters: noVersions, Limit: 50})),
		tablePanel(ids.next(), "Dependents", "Packages whose latest release requires this one, with their GitHub stars; a name opens its dashboard.", at(12, 57, 12, 10),
			column{"package", "Package"}, column{"downloads", "Downloads"}, column{"stars", "Stars"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Dependents, Filters: noVersions, Limit: 50})),
	}
}

// fileTypesPanel stacks each installer's downloads by file type. The
// breakdown answers in long form (installer, type, downloads); the
// grouping-to-matrix transformation turns it into one bar per installer
// and one field per type.
func fileTypesPanel(id uint32, pos dashboard.GridPos) *barchart.PanelBuilder {
	return barChartPanel(id, "File types by installer", "Wheels, source distributions and eggs per installer.", pos,
		"installer", "type", "downloads").
		WithTransformation(dashboard.DataTransformerConfig{
			Id: "groupingToMatrix",
			Options: map[string]any{
				"rowField": "installer", "columnField": "type", "valueField": "downloads", "emptyValue": "zero",
			},
		}).
		XField(`installer\type`).
		Stacking(common.StackingModeNormal)
}
