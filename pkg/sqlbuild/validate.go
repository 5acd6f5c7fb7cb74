package sqlbuild

import (
	"fmt"
	"slices"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// validate rechecks what the builders rely on, for queries that did not
// come through querymodel.Parse: dimensions become column names in the
// SQL, so only known ones may pass, and single-package types index
// Packages.
func validate(q querymodel.Query) error {
	if q.Limit < 1 || q.Limit > querymodel.MaxLimit {
		return fmt.Errorf("limit: %d is out of range; use 1 to %d", q.Limit, querymodel.MaxLimit)
	}
	if q.MinDownloads < 0 {
		return fmt.Errorf("minDownloads: must not be negative")
	}
	switch q.Granularity {
	case "", querymodel.Auto, querymodel.Day, querymodel.Week, querymodel.Month:
	default:
		return fmt.Errorf("granularity: unknown granularity %q; use auto, day, week or month", q.Granularity)
	}
	if q.Breakdown != "" && !slices.Contains(querymodel.Dimensions(), q.Breakdown) {
		return fmt.Errorf("breakdown: unknown dimension %q", q.Breakdown)
	}
	switch q.Type {
	case querymodel.Breakdown:
		if !slices.Contains(append(querymodel.Dimensions(), querymodel.InstallerType), q.Dimension) {
			return fmt.Errorf("dimension: unknown dimension %q", q.Dimension)
		}
	case querymodel.Ranking, querymodel.Releases, querymodel.Dependencies, querymodel.Dependents, querymodel.Details,
		querymodel.GitHubStats, querymodel.GitHubStars, querymodel.TopContributors, querymodel.Adoption:
		if len(q.Packages) != 1 {
			return fmt.Errorf("packages: %s queries need exactly one package, got %d", q.Type, len(q.Packages))
		}
	case querymodel.Summary:
		if len(q.Packages) == 0 {
			return fmt.Errorf("packages: summary queries need at least one package")
		}
	case querymodel.PythonSupport:
		if len(q.Packages) == 0 {
			return fmt.Errorf("packages: python_support queries need at least one package")
		}
	case querymodel.Baseline:
		if len(q.Packages) == 0 {
			return fmt.Errorf("packages: baseline queries need at least one package")
		}
		if q.Statistic != "" && !slices.Contains(querymodel.Statistics(), q.Statistic) {
			return fmt.Errorf("statistic: unknown statistic %q", q.Statistic)
		}
	case querymodel.VariableQuery:
		switch q.Variable {
		case querymodel.VarVersions, querymodel.VarDependents:
			if len(q.Packages) != 1 {
				return fmt.Errorf("packages: a %s variable needs exactly one package, got %d", q.Variable, len(q.Packages))
			}
		case querymodel.VarDimension:
			if !slices.Contains(querymodel.Dimensions(), q.Dimension) {
				return fmt.Errorf("dimension: unknown dimension %q", q.Dimension)
			}
		}
	}
	return nil
}
