package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/table"
)

// What every ClickPy dashboard shares: its tags, the menu of the others,
// and fix-ups of SDK defaults.

func tags() []string { return []string{"clickpy", "pypi"} }

// newDashboard starts a ClickPy dashboard: tagged, editable, with a shared
// crosshair, in UTC (ClickPy's days are UTC days), opening on from to now.
func newDashboard(title, uid, description, from string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags(tags()).
		Editable().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Time(from, "now").
		Timezone(common.TimeZoneUtc)
}

// build builds the dashboard name and finishes it.
func build(b *dashboard.DashboardBuilder, name string) (dashboard.Dashboard, error) {
	d, err := b.Build()
	if err != nil {
		return d, fmt.Errorf("building the %s dashboard: %w", name, err)
	}
	return finish(d), nil
}

// dashboardLinks adds, to a dashboard's own links, the ClickPy dashboards
// menu.
func dashboardLinks(own ...cog.Builder[dashboard.DashboardLink]) []cog.Builder[dashboard.DashboardLink] {
	return append(own, dashboard.NewDashboardLinkBuilder("ClickPy").
		Type(dashboard.DashboardLinkTypeDashboards).
		Tags([]string{"clickpy"}).
		AsDropdown(true).
		KeepTime(true).
		IncludeVars(false))
}

// finish undoes SDK defaults Grafana reads differently: the SDK puts
// every dashboard link and annotation toggle in the controls menu, where
// Grafana 12 hides them; without a placement they show above the panels.
// And it gives every table an options.footer, which Grafana 12.4's table
// no longer has (footers moved to fieldConfig.defaults.custom.footer).
func finish(d dashboard.Dashboard) dashboard.Dashboard {
	for i := range d.Links {
		d.Links[i].Placement = nil
	}
	for i := range d.Annotations.List {
		d.Annotations.List[i].Placement = nil
	}
	for i := range d.Panels {
		if p := d.Panels[i].Panel; p != nil {
			dropTableFooter(p)
		}
		if r := d.Panels[i].RowPanel; r != nil {
			for j := range r.Panels {
				dropTableFooter(&r.Panels[j])
			}
		}
	}
	return d
}

func dropTableFooter(p *dashboard.Panel) {
	if o, ok := p.Options.(*table.Options); ok {
		o.Footer = nil
	}
}
