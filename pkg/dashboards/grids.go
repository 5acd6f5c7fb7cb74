package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/statetimeline"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// The overview's hidden variables holding each grid's packages.
const (
	VarHotPackages = "hot_packages"
	VarTopPackages = "top_packages"
)

// gridRows is how many packages a grid shows.
const gridRows = 10

// gridMonths is the grids' panel time: the last six whole months and the
// current one, from the 1st.
const gridMonths = "now-6M/M"

// gridVariables are the grids' packages: the top risers (the hot query's
// list) and the most downloaded packages of all time. Hidden, and at All,
// so a panel gets every one of them.
func gridVariables() ([]cog.Builder[dashboard.VariableModel], error) {
	specs := []struct {
		name, label, definition string
		m                       querymodel.Query
	}{
		{VarHotPackages, "Hot packages", "the top risers, as Hot packages lists them",
			querymodel.Query{Variable: querymodel.VarHot, Limit: gridRows}},
		{VarTopPackages, "Top packages", "the most downloaded packages of all time",
			querymodel.Query{Variable: querymodel.VarTopPackage, Limit: gridRows, AllTime: true}},
	}
	var out []cog.Builder[dashboard.VariableModel]
	for _, s := range specs {
		v, err := queryVariable(s.name, s.label, s.definition, s.m)
		if err != nil {
			return nil, err
		}
		out = append(out, v.Multi(true).IncludeAll(true).Current(all()).
			Hide(dashboard.VariableHideHideVariable).
			Refresh(dashboard.VariableRefreshOnTimeRangeChanged))
	}
	return out, nil
}

// gridPanel is a month-by-package grid: one row per package, one cell per
// month, coloured from the row's own smallest to largest value (so each
// row shows its own rise) and labelled with the value.
func gridPanel(id uint32, title, desc string, pos dashboard.GridPos, q querymodel.Query) *statetimeline.PanelBuilder {
	return statetimeline.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		TimeFrom(gridMonths).
		// Whole numbers with separators: "short" would round 1,234 to 1 K,
		// which hides the month-to-month change the grid is for.
		Unit("locale").Decimals(0).
		ShowValue(common.VisibilityModeAlways).
		MergeValues(false).
		RowHeight(0.8).
		FillOpacity(80).
		FieldMinMax(true).
		ColorScheme(dashboard.NewFieldColorBuilder().Mode(dashboard.FieldColorModeIdContinuousBlPu)).
		Legend(common.NewVizLegendOptionsBuilder().ShowLegend(false).
			DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom)).
		Tooltip(common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeSingle).Sort(common.SortOrderNone)).
		WithTarget(target("A", q))
}

// hotGridPanel shows the top risers' downloads month by month.
func hotGridPanel(id uint32, pos dashboard.GridPos) *statetimeline.PanelBuilder {
	return gridPanel(id, "Hot packages by month",
		"The top risers (the Hot packages list) and their downloads in each of the last six months and this one so far; "+
			"each row is coloured from its own lowest month to its highest.", pos,
		querymodel.Query{Type: querymodel.TimeSeries, Granularity: querymodel.Month,
			Filters: querymodel.Filters{Packages: []string{ref(VarHotPackages)}}})
}

// releaseGridPanel shows the most downloaded packages' releases per month.
func releaseGridPanel(id uint32, pos dashboard.GridPos) *statetimeline.PanelBuilder {
	return gridPanel(id, "Releases by month",
		"Versions the ten most downloaded packages uploaded in each of the last six months and this one so far.", pos,
		querymodel.Query{Type: querymodel.RecentReleases,
			Filters: querymodel.Filters{Packages: []string{ref(VarTopPackages)}}})
}
