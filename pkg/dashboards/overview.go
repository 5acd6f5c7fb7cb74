package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// listLimit is how many rows the Overview's lists show.
const listLimit = 15

// Overview is ClickPy's landing page: totals, the most downloaded
// packages, releases, and the emerging, stale and hot lists.
func Overview() (dashboard.Dashboard, error) {
	pkg, err := packageVariable()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	grids, err := gridVariables()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	var ids panelIDs
	b := newDashboard("ClickPy: overview", OverviewUID,
		"PyPI downloads at a glance, as ClickPy's landing page shows them.", "now-90d").
		Variables(append([]cog.Builder[dashboard.VariableModel]{
			pkg.Description("Pick or type a package, then follow the link above to its dashboard.")}, grids...)).
		Links(dashboardLinks(
			dashboard.NewDashboardLinkBuilder("Package dashboard: $" + VarPackage).
				Type(dashboard.DashboardLinkTypeLink).
				Url(packagePath("${" + VarPackage + "}")).
				Icon("dashboard").
				KeepTime(true).
				Tooltip("Open the chosen package in the package dashboard"))).
		// The headline and the top list are ClickPy's all-time figures,
		// which the undated summaries answer whatever the time range.
		WithPanel(statPanel(ids.next(), "Total downloads", "All downloads ever, as ClickPy counts them (the time range does not apply).", at(0, 0, 6, 5),
			column{"downloads", "Downloads"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Totals, AllTime: true}))).
		WithPanel(statPanel(ids.next(), "Packages", "Packages ever downloaded (the time range does not apply).", at(6, 0, 6, 5),
			column{"packages", "Packages"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Totals, AllTime: true}))).
		WithPanel(timeSeriesPanel(ids.next(), "Downloads over time", "All packages together.", at(12, 0, 12, 10)).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TimeSeries}))).
		WithPanel(tablePanel(ids.next(), "Top packages", "The most downloaded packages of all time; a name opens its dashboard.", at(0, 5, 12, 15),
			column{"package", "Package"}, column{"downloads", "Downloads"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TopPackages, Limit: 20, AllTime: true}))).
		WithPanel(timeSeriesPanel(ids.next(), "Recent releases", "New versions uploaded to PyPI per month, all packages.", at(12, 10, 12, 10)).
			DrawStyle(common.GraphDrawStyleBars).FillOpacity(80).
			WithTarget(target("A", querymodel.Query{Type: querymodel.RecentReleases}))).
		WithPanel(tablePanel(ids.next(), "Emerging packages", "First downloaded within the last 3 months of data, most downloaded first.", at(0, 20, 8, 10),
			column{"package", "Package"}, column{"first_download", "First download"}, column{"downloads", "Downloads"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Emerging, Limit: listLimit}))).
		WithPanel(tablePanel(ids.next(), "Packages needing a refresh", "Popular packages whose last upload is more than 6 months old.", at(8, 20, 8, 10),
			column{"package", "Package"}, column{"latest_version", "Latest version"}, column{"last_upload", "Last upload"}, column{"downloads", "Downloads"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.NeedingRefresh, Limit: listLimit}))).
		WithPanel(tablePanel(ids.next(), "Hot packages", "Largest growth from the month before the last complete month to that month.", at(16, 20, 8, 10),
			column{"package", "Package"}, column{"downloads", "Last month"}, column{"growth", "Growth"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Hot, Limit: listLimit}))).
		WithPanel(hotGridPanel(ids.next(), at(0, 30, 12, 11))).
		WithPanel(releaseGridPanel(ids.next(), at(12, 30, 12, 11)))
	return build(b, "overview")
}
