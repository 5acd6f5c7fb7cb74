package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// githubRowY is where the package dashboard's GitHub row starts, below
// its download panels.
const githubRowY = 67

// withGitHubRow adds the package's GitHub activity, as ClickPy's package
// page shows it: totals and the range's figures, stars over time and the
// top contributors. Panels are numbered from id. Without GitHub data in
// the database each panel is empty with a notice saying so.
func withGitHubRow(b *dashboard.DashboardBuilder, id uint32, pkg []string) *dashboard.DashboardBuilder {
	ids := panelIDs{last: id - 1}
	one := querymodel.Filters{Packages: pkg}
	stats := target("A", querymodel.Query{Type: querymodel.GitHubStats, Filters: one})
	return b.WithRow(dashboard.NewRowBuilder("GitHub").Id(ids.next()).GridPos(at(0, githubRowY, 24, 1))).
		WithPanel(statPanel(ids.next(), "GitHub: all time", "The repository named in the package's project URLs: users who starred and forked it, issues and pull requests, over all the GitHub data.",
			at(0, githubRowY+1, 12, 4),
			column{"stars_total", "Stars"}, column{"forks_total", "Forks"}, column{"issues_total", "Issues"},
			column{"prs_total", "Pull requests"}, column{"pr_authors_total", "PR authors"}).
			WithTarget(stats)).
		WithPanel(statPanel(ids.next(), "GitHub: in the time range", "Stars, forks, issues and pull requests with events in the time range (UTC dates), and the people who opened pull requests.",
			at(12, githubRowY+1, 12, 4),
			column{"stars", "New stars"}, column{"forks", "Forks"}, column{"issues", "Issues"},
			column{"prs", "Pull requests"}, column{"pr_authors", "PR authors"}).
			WithTarget(stats)).
		WithPanel(timeSeriesPanel(ids.next(), "GitHub stars", "Users who had starred the repository by each day, week or month.", at(0, githubRowY+5, 14, 9)).
			WithTarget(target("A", querymodel.Query{Type: querymodel.GitHubStars, Filters: one}))).
		WithPanel(tablePanelWith(ids.next(), "Top contributors", "Issues and pull requests opened, comments, reviews and pushes in the time range; bots left out. A name opens the GitHub profile.",
			at(14, githubRowY+5, 10, 9),
			map[string][]dashboard.DynamicConfigValue{"contributor": {{Id: "links", Value: []map[string]any{{
				"title": "Open ${__value.text} on GitHub", "url": "https://github.com/${__value.raw}", "targetBlank": true,
			}}}}},
			column{"contributor", "Contributor"}, column{"events", "Events"}, column{"share", "Share"}).
			WithTarget(target("A", querymodel.Query{Type: querymodel.TopContributors, Filters: one, Limit: 10})))
}
