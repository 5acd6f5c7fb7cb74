package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// growthSQL is month-over-month growth per package over whole months: the
// range is widened to the start of the month before its first month, so
// that month has a predecessor, and the month still in progress (past the
// data's last day) is left out. growth is the ratio minus one, as the hot
// list's. The front end expands ${packages} into quoted, comma-separated
// names.
const growthSQL = `SELECT month AS time, package, downloads / previous - 1 AS growth
FROM (
    SELECT
        month, package, downloads, data_end,
        lagInFrame(downloads, 1, 0) OVER (PARTITION BY package ORDER BY month ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS previous
    FROM (
        SELECT
            toStartOfMonth(date) AS month,
            project AS package,
            sum(count) AS downloads,
            max(max(date)) OVER () AS data_end
        FROM $__table(date, project)
        WHERE project IN (${` + VarPackages + `})
            AND date >= toStartOfMonth($__fromDate) - INTERVAL 1 MONTH
            AND date <= $__toDate
        GROUP BY month, package
    )
)
WHERE previous > 0 AND toLastDayOfMonth(month) <= data_end
ORDER BY time, package`

// Compare puts several packages side by side, which ClickPy does not.
func Compare() (dashboard.Dashboard, error) {
	pkgs, err := packagesVariable()
	if err != nil {
		return dashboard.Dashboard{}, err
	}
	var ids panelIDs
	some := querymodel.Filters{Packages: []string{ref(VarPackages)}}
	series := querymodel.Query{Type: querymodel.TimeSeries, Filters: some}
	b := newDashboard("ClickPy: compare packages", CompareUID,
		"Several packages side by side: downloads, shares, growth and Python adoption.", "now-1y").
		WithVariable(pkgs).
		Links(dashboardLinks()).
		WithPanel(timeSeriesPanel(ids.next(), "Downloads over time", "One series per package.", at(0, 0, 24, 9)).
			WithTarget(target("A", series))).
		WithPanel(stackedPercent(timeSeriesPanel(ids.next(), "Share of the total over time", "Each package's share of the compared packages' downloads.", at(0, 9, 16, 9))).
			WithTarget(target("A", series))).
		WithPanel(pieChartPanel(ids.next(), "Share of the total", "Downloads in the time range.", at(16, 9, 8, 9), "package", "downloads").
			WithTarget(target("A", querymodel.Query{Type: querymodel.TopPackages, Filters: some, Limit: querymodel.MaxPackages}))).
		WithPanel(tablePanel(ids.next(), "Summary", "Counted back from each package's last day with data; a name opens its dashboard.", at(0, 18, 24, 6),
			column{"package", "Package"}, column{"last_day", "Last day"}, column{"last_7_days", "Last 7 days"},
			column{"last_30_days", "Last 30 days"}, column{"total", "Total"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.Summary, Filters: some}))).
		WithPanel(timeSeriesPanel(ids.next(), "Month-over-month growth", "Each whole month's downloads against the month before.", at(0, 24, 24, 9)).
			Unit("percentunit").Decimals(1).AxisCenteredZero(true).
			DrawStyle(common.GraphDrawStyleBars).FillOpacity(70).
			WithTarget(target("A", querymodel.Query{Type: querymodel.SQL, RawSQL: growthSQL}))).
		WithPanel(stackedPercent(timeSeriesPanel(ids.next(), "Python adoption: $"+VarPackages, "Share of the package's downloads by Python minor version.", at(0, 33, 12, 9))).
			Repeat(VarPackages).
			RepeatDirection(dashboard.PanelRepeatDirectionH).
			MaxPerRow(2).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TimeSeries, Filters: some, Breakdown: querymodel.PythonMinor, Limit: 6})))
	return build(b, "compare")
}
