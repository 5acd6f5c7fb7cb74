package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// What every ClickPy dashboard shares: its tags, the menu of the others,
// and fix-ups of SDK defaults.

func tags() []string { return []string{"clickpy", "pypi"} }

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
func finish(d dashboard.Dashboard) dashboard.Dashboard {
	for i := range d.Links {
		d.Links[i].Placement = nil
	}
	for i := range d.Annotations.List {
		d.Annotations.List[i].Placement = nil
	}
	return d
}
