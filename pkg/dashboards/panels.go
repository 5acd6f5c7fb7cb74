package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/geomap"
	"github.com/grafana/grafana-foundation-sdk/go/piechart"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// panelIDs numbers a dashboard's panels in order. Explicit ids let the
// release annotations and the alert rules name a panel.
type panelIDs struct{ last uint32 }

func (p *panelIDs) next() uint32 {
	p.last++
	return p.last
}

func at(x, y, w, h uint32) dashboard.GridPos { return dashboard.GridPos{X: x, Y: y, W: w, H: h} }

// packageDashboardPath is the package dashboard's path under Grafana's
// root URL.
func packageDashboardPath() string { return "/d/" + PackageUID + "/clickpy-package" }

// packagePath opens the package dashboard on the package valueExpr names
// (a Grafana template expression).
func packagePath(valueExpr string) string {
	return packageDashboardPath() + "?var-" + VarPackage + "=" + valueExpr
}

// packageURL is packagePath keeping the time range.
func packageURL(valueExpr string) string { return packagePath(valueExpr) + "&${__url_time_range}" }

// packageLink is a data link from a table's package column to that
// package's own dashboard.
func packageLink() dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "links", Value: []map[string]any{{
		"title": "Open ${__value.text} in the package dashboard",
		"url":   packageURL("${__value.raw}"),
	}}}
}

func displayName(name string) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "displayName", Value: name}
}

func unit(u string) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "unit", Value: u}
}

// showFields keeps only the named fields, in the frame's order. Tables
// and bar charts declare their columns this way, so the tests can check
// that the data source answers with every one of them.
func showFields(names ...string) dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{
		Id:      "filterFieldsByName",
		Options: map[string]any{"include": map[string]any{"names": names}},
	}
}

// column is a table column: the frame's field name and its header.
type column struct{ field, header string }

func tablePanel(id uint32, title, desc string, pos dashboard.GridPos, cols ...column) *table.PanelBuilder {
	return tablePanelWith(id, title, desc, pos, nil, cols...)
}

// tablePanelWith is tablePanel with extra properties for some columns, in
// the column's one override.
func tablePanelWith(id uint32, title, desc string, pos dashboard.GridPos, extra map[string][]dashboard.DynamicConfigValue, cols ...column) *table.PanelBuilder {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.field
	}
	p := table.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		WithTransformation(showFields(names...)).
		CellHeight(common.TableCellHeightSm)
	// One override per column: a later matcher by the field's name may
	// no longer match once an earlier one renamed it.
	for _, c := range cols {
		var props []dashboard.DynamicConfigValue
		if c.header != "" {
			props = append(props, displayName(c.header))
		}
		switch c.field {
		case "package":
			props = append(props, packageLink())
		case "share", "growth":
			props = append(props, unit("percentunit"))
		}
		props = append(props, extra[c.field]...)
		if len(props) > 0 {
			p = p.OverrideByName(c.field, props)
		}
	}
	return p
}

func timeSeriesPanel(id uint32, title, desc string, pos dashboard.GridPos) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		Unit("short").AxisSoftMin(0).Decimals(0).
		LineWidth(1).FillOpacity(10).
		ShowPoints(common.VisibilityModeNever).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementBottom).
			ShowLegend(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeMulti).
			Sort(common.SortOrderDescending))
}

// stackedPercent shows each series' share of the stack. The values stay
// download counts, and so does their unit: Grafana draws the axis in
// percent itself when stacking by percent, while the tooltip shows the
// values, which a percent unit would turn into 123456700%.
func stackedPercent(p *timeseries.PanelBuilder) *timeseries.PanelBuilder {
	return p.Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModePercent)).FillOpacity(60)
}

// statPanel shows the named fields of a one-row table, one value each.
// The fields are picked by a transformation, on the data source's names:
// the reduce options' own field matcher would see display names, which
// the overrides change.
func statPanel(id uint32, title, desc string, pos dashboard.GridPos, cols ...column) *stat.PanelBuilder {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.field
	}
	p := stat.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		WithTransformation(showFields(names...)).
		Unit("short").
		ColorMode(common.BigValueColorModeNone).
		GraphMode(common.BigValueGraphModeNone).
		TextMode(common.BigValueTextModeValueAndName).
		Orientation(common.VizOrientationAuto).
		ReduceOptions(common.NewReduceDataOptionsBuilder().
			Calcs([]string{"lastNotNull"}).
			Values(false))
	for _, c := range cols {
		if c.header != "" {
			p = p.OverrideByName(c.field, []dashboard.DynamicConfigValue{displayName(c.header)})
		}
	}
	return p
}

// barChartPanel draws one bar per row of a table, labelled by xField.
func barChartPanel(id uint32, title, desc string, pos dashboard.GridPos, xField string, values ...string) *barchart.PanelBuilder {
	return barchart.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		WithTransformation(showFields(append([]string{xField}, values...)...)).
		XField(xField).
		Orientation(common.VizOrientationHorizontal).
		Unit("short").
		ShowValue(common.VisibilityModeAuto).
		FillOpacity(80).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementBottom).
			ShowLegend(len(values) > 1)).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeMulti).
			Sort(common.SortOrderDescending))
}

// countryMapPanel places a circle per country, sized and coloured by
// downloads. Countries are found by their ISO code in Grafana's own
// gazetteer, so the data needs no coordinates.
func countryMapPanel(id uint32, title, desc string, pos dashboard.GridPos) *geomap.PanelBuilder {
	markers := common.NewMapLayerOptionsBuilder().
		Type("markers").
		Name("Downloads").
		Tooltip(true).
		Location(common.NewFrameGeometrySourceBuilder().
			Mode(common.FrameGeometrySourceModeLookup).
			Lookup("country_code").
			Gazetteer("public/gazetteer/countries.json")).
		Config(map[string]any{
			"showLegend": true,
			"style": map[string]any{
				"color":   map[string]any{"field": "downloads", "fixed": "dark-green"},
				"opacity": 0.5,
				"size":    map[string]any{"field": "downloads", "fixed": 5, "min": 3, "max": 30},
				"symbol":  map[string]any{"fixed": "img/icons/marker/circle.svg", "mode": "fixed"},
			},
		})
	return geomap.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		Unit("short").
		ColorScheme(dashboard.NewFieldColorBuilder().Mode(dashboard.FieldColorModeIdContinuousBlYlRd)).
		View(geomap.NewMapViewConfigBuilder().Id("zero").Zoom(1)).
		Tooltip(geomap.NewTooltipOptionsBuilder().Mode(geomap.TooltipModeDetails)).
		Basemap(common.NewMapLayerOptionsBuilder().Type("default").Name("Basemap")).
		Layers([]cog.Builder[common.MapLayerOptions]{markers})
}

// pieChartPanel shows each row's share of the total of valueField, the
// slices named by labelField.
func pieChartPanel(id uint32, title, desc string, pos dashboard.GridPos, labelField, valueField string) *piechart.PanelBuilder {
	return piechart.NewPanelBuilder().Id(id).Title(title).Description(desc).
		Datasource(dataSource()).GridPos(pos).
		WithTransformation(showFields(labelField, valueField)).
		Unit("short").
		PieType(piechart.PieChartTypeDonut).
		Orientation(common.VizOrientationAuto).
		DisplayLabels([]piechart.PieChartLabels{piechart.PieChartLabelsPercent}).
		ReduceOptions(common.NewReduceDataOptionsBuilder().
			Calcs([]string{"lastNotNull"}).
			Values(true)).
		Legend(piechart.NewPieChartLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeTable).
			Placement(common.LegendPlacementRight).
			ShowLegend(true).
			Values([]piechart.PieChartLegendValues{piechart.PieChartLegendValuesPercent})).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeSingle).
			Sort(common.SortOrderNone))
}
