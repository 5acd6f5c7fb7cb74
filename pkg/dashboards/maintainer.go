package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// VarMinPython is the maintainer dashboard's oldest Python minor still
// supported.
const VarMinPython = "min_python"

// VarDependents holds the dependents the maintainer dashboard draws
// against the package.
const VarDependents = "dependents"

// dependentLines is how many dependents the chart draws beside the
// package: enough to find the one it follows, few enough to tell the
// lines apart.
const dependentLines = 5

// dependentsVariable lists $package's most downloaded dependents in the
// range. All is its value, so a new package or range brings its own top
// dependents: a list of names would keep only those still among them, and
// Grafana then falls back to the first option alone. Picking some by hand
// still works.
func dependentsVariable() (*dashboard.QueryVariableBuilder, error) {
	v, err := filterVariable(VarDependents, "Dependents drawn", "dependents of $package, most downloaded in the range first",
		querymodel.Query{Variable: querymodel.VarDependents, Filters: querymodel.Filters{Packages: []string{ref(VarPackage)}}, Limit: dependentLines},
		dashboard.VariableRefreshOnTimeRangeChanged)
	if err != nil {
		return nil, err
	}
	return v.Description(fmt.Sprintf("The dependents drawn against $package: by default its %d most downloaded in the range.", dependentLines)), nil
}

// pythonMinors are $min_python's choices, oldest first.
func pythonMinors() []string {
	return []string{"3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"}
}

// defaultMinPython is the oldest minor still supported upstream.
const defaultMinPython = "3.10"

func minPythonVariable() *dashboard.CustomVariableBuilder {
	vals := ""
	var opts []dashboard.VariableOption
	for i, v := range pythonMinors() {
		if i > 0 {
			vals += ","
		}
		vals += v
		opt := single(v)
		opt.Selected = cog.ToPtr(v == defaultMinPython)
		opts = append(opts, opt)
	}
	return dashboard.NewCustomVariableBuilder(VarMinPython).
		Label("Oldest Python kept").
		Description("The oldest Python minor you would keep supporting: the panels show the share of downloads on older ones.").
		Values(dashboard.StringOrMap{String: cog.ToPtr(vals)}).
		Options(opts).
		Current(single(defaultMinPython))
}

// Maintainer is the page for a package's maintainers: which Pythons,
// releases, installers and systems its users run, and the packages that
// carry its downloads.
func Maintainer() (dashboard.Dashboard, error) {
	pkg, err := packageVariable()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	deps, err := dependentsVariable()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	b := newDashboard("ClickPy: maintainer", MaintainerUID,
		"What a package's users run: whether dropping a Python is safe, how fast releases are taken up, uv against pip, "+
			"and which dependents carry its downloads.", "now-1y").
		Variables([]cog.Builder[dashboard.VariableModel]{pkg, deps, minPythonVariable()}).
		Links(dashboardLinks(dashboard.NewDashboardLinkBuilder("$" + VarPackage + " downloads").
			Type(dashboard.DashboardLinkTypeLink).
			Url(packagePath("${"+VarPackage+"}") + "&${__url_time_range}").
			Icon("dashboard")))
	for _, p := range maintainerPanels() {
		b = b.WithPanel(p)
	}
	return build(b, "maintainer")
}

// maintainerPanels are the maintainer dashboard's panels, top to bottom.
func maintainerPanels() []cog.Builder[dashboard.Panel] {
	var ids panelIDs
	one := querymodel.Filters{Packages: []string{ref(VarPackage)}}
	byDim := func(d querymodel.Dimension, limit int) querymodel.Query {
		return querymodel.Query{Type: querymodel.TimeSeries, Filters: one, Breakdown: d, Limit: limit}
	}
	older := querymodel.Query{Type: querymodel.PythonSupport, Filters: one, MinPython: ref(VarMinPython)}
	olderMonthly := older
	olderMonthly.Granularity = querymodel.Month
	return []cog.Builder[dashboard.Panel]{
		stackedPercent(timeSeriesPanel(ids.next(), "Python versions",
			"Each Python minor's share of the downloads (100% stacked; the tooltip shows downloads).", at(0, 0, 16, 9))).
			WithTarget(target("A", byDim(querymodel.PythonMinor, 12))),
		shareStat(ids.next(), "On Python older than $min_python",
			"The share of the last month's downloads (of known Python) on minors older than $min_python: "+
				"what dropping them would cost.", at(16, 0, 8, 9)).
			WithTarget(target("A", olderMonthly)),
		timeSeriesPanel(ids.next(), "Share on Python older than $min_python",
			"Over time, of the downloads that name their Python: when it is low enough, dropping them is safe.", at(0, 9, 24, 7)).
			Unit("percentunit").Decimals(1).Max(1).
			WithTarget(target("A", older)),
		stackedPercent(timeSeriesPanel(ids.next(), "Releases' share of downloads",
			"Each of the 10 most downloaded releases' share of the package's downloads (100% stacked; the tooltip shows downloads).",
			at(0, 16, 14, 10))).
			WithTarget(target("A", byDim(querymodel.Version, 10))),
		adoptionTable(ids.next(), at(14, 16, 10, 10)).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Adoption, Filters: one, Limit: 50})),
		stackedPercent(timeSeriesPanel(ids.next(), "Installers",
			"uv, pip, poetry and the rest as shares of the downloads (100% stacked).", at(0, 26, 12, 9))).
			WithTarget(target("A", byDim(querymodel.Installer, 8))),
		stackedPercent(timeSeriesPanel(ids.next(), "Systems",
			"Operating systems as shares of the downloads (100% stacked).", at(12, 26, 12, 9))).
			WithTarget(target("A", byDim(querymodel.System, 5))),
		timeSeriesPanel(ids.next(), "$package against its dependents",
			"Downloads of $package and of the dependents in $dependents (by default its most downloaded: those whose latest release "+
				"requires it). The dependent whose curve $package's follows is the one carrying it.", at(0, 35, 16, 10)).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TimeSeries,
				Filters: querymodel.Filters{Packages: []string{ref(VarPackage), ref(VarDependents)}}})),
		barChartPanel(ids.next(), "Who carries it: dependents' downloads",
			"The 15 packages whose latest release requires this one, by downloads in the range: more than the chart beside draws.",
			at(16, 35, 8, 10), "package", "downloads").
			WithTarget(target("A", querymodel.Query{Type: querymodel.Dependents, Filters: one, Limit: 15})),
	}
}

// adoptionTable lists releases with the days each took to reach half of
// the package's daily downloads.
func adoptionTable(id uint32, pos dashboard.GridPos) *table.PanelBuilder {
	return tablePanel(id, "Release adoption", "Days from each release's upload to the first day it had half of the package's "+
		"downloads (empty: never, or uploaded before the range), its highest and latest daily share.", pos,
		column{"version", "Release"}, column{"uploaded", "Uploaded"}, column{"days_to_half", ""},
		column{"peak_share", ""}, column{"last_share", ""}, column{"downloads", "Downloads"}).
		// Renaming and the unit in one override each: a second override by
		// name would no longer match a renamed field.
		OverrideByName("days_to_half", []dashboard.DynamicConfigValue{displayName("Days to 50%"), unit("d")}).
		OverrideByName("peak_share", []dashboard.DynamicConfigValue{displayName("Peak share"), unit("percentunit")}).
		OverrideByName("last_share", []dashboard.DynamicConfigValue{displayName("Latest share"), unit("percentunit")})
}

// shareStat shows the newest value of a python_support series (field
// share): a real ratio of downloads, so in percent.
func shareStat(id uint32, title, desc string, pos dashboard.GridPos) *stat.PanelBuilder {
	return stat.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		WithTransformation(showFields("share")).
		Unit("percentunit").Decimals(1).
		ColorMode(common.BigValueColorModeNone).
		GraphMode(common.BigValueGraphModeArea).
		TextMode(common.BigValueTextModeValueAndName).
		ReduceOptions(common.NewReduceDataOptionsBuilder().
			Calcs([]string{"lastNotNull"}).
			Values(false))
}
