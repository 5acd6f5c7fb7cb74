package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// ignoredFilters are the filters a query type does not apply, each with
// why, so a panel given one (a dashboard's $version on every panel) says
// so instead of answering as if it had.
func ignoredFilters(t querymodel.Type) (names []string, why string) {
	dims := []string{"countries", "installers", "python_minors", "systems", "types", "excludeMirrors"}
	switch t {
	case querymodel.TopPackages:
		return []string{"versions"}, "it ranks packages over all their versions"
	case querymodel.Ranking:
		return []string{"versions"}, "it ranks the package among all packages over all their versions"
	case querymodel.Emerging, querymodel.NeedingRefresh:
		return []string{"packages", "versions"}, "it lists packages among all packages over all their versions"
	case querymodel.Dependencies, querymodel.Dependents:
		return []string{"versions"}, "it reads the latest upload's requirements and counts the other packages' downloads over all their versions"
	case querymodel.RecentReleases:
		return append([]string{"versions"}, dims...), "it counts releases, which have no downloads to filter"
	case querymodel.Releases:
		return dims, "it lists releases, which have no downloads to filter"
	case querymodel.Details:
		return append([]string{"versions"}, dims...), "it describes the package as a whole"
	case querymodel.GitHubStats, querymodel.GitHubStars, querymodel.TopContributors:
		return append([]string{"versions"}, dims...), "it reads the package's GitHub repository, which has no downloads to filter"
	}
	return nil, ""
}

// ignoredNotice names the filters the query sets that its type does not
// apply, or is empty.
func ignoredNotice(q querymodel.Query) string {
	names, why := ignoredFilters(q.Type)
	set := map[string]bool{
		"packages": len(q.Packages) > 0, "versions": len(q.Versions) > 0, "countries": len(q.Countries) > 0,
		"installers": len(q.Installers) > 0, "python_minors": len(q.PythonMinors) > 0,
		"systems": len(q.Systems) > 0, "types": len(q.Types) > 0, "excludeMirrors": q.ExcludeMirrors,
	}
	var given []string
	for _, n := range names {
		if set[n] {
			given = append(given, n)
		}
	}
	if len(given) == 0 {
		return ""
	}
	list, word := given[0], "filter"
	if n := len(given); n > 1 {
		list, word = strings.Join(given[:n-1], ", ")+" and "+given[n-1], "filters"
	}
	return fmt.Sprintf("%s ignores the %s %s: %s", q.Type, list, word, why)
}
