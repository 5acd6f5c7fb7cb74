package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/table"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// detailsPanel is the package's metadata: the latest upload's version and
// the highest by version order (a backport uploaded last can be lower),
// who wrote it and how to reach them, and where its code lives.
func detailsPanel(id uint32, pos dashboard.GridPos, pkg []string) *table.PanelBuilder {
	return tablePanel(id, "Details", "The latest upload's metadata, the highest version in PEP 440 order (a backport uploaded last can be lower than it), "+
		"the repository from the project URLs, and the first and last day with downloads.", pos,
		column{"version", "Latest upload"}, column{"highest_version", "Highest version"}, column{"summary", "Summary"},
		column{"author", "Author"}, column{"author_email", "E-mail"}, column{"license", "License"},
		column{"repository_url", "Repository"}, column{"first_download", "First download"}, column{"last_download", "Last download"}).
		OverrideByName("repository_url", []dashboard.DynamicConfigValue{{Id: "links", Value: []map[string]any{{
			"title": "Open the repository", "url": "${__value.raw}", "targetBlank": true,
		}}}}).
		WithTarget(target("A", querymodel.Query{Type: querymodel.Details, Filters: querymodel.Filters{Packages: pkg}}))
}
