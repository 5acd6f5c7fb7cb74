package catalog

import (
	"context"
	"slices"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// GitHub is what the database holds of ClickPy's GitHub objects: the event
// table and the repository-name map in the GitHub database, the
// project-to-repository dictionary beside the pypi tables. All are
// optional; the GitHub query types need the events.
type GitHub struct {
	Database string   `json:"database"`
	Present  []string `json:"present"`
	Missing  []string `json:"missing"`
}

// Has tells whether one of the GitHub objects is present.
func (g GitHub) Has(name string) bool { return slices.Contains(g.Present, name) }

// Events tells whether the database has GitHub data at all.
func (g GitHub) Events() bool { return g.Has(schema.GitHubEvents) }

// gitHubOf finds the GitHub objects: the tables in gh's snapshot, the
// dictionary in the pypi database's.
func gitHubOf(gh string, ghSnap, dbSnap Snapshot) GitHub {
	g := GitHub{Database: gh}
	mark := func(name string, ok bool) {
		if ok {
			g.Present = append(g.Present, name)
		} else {
			g.Missing = append(g.Missing, name)
		}
	}
	mark(schema.GitHubEvents, hasAll(ghSnap.Columns[schema.GitHubEvents], schema.GitHubEventsNeeded()))
	mark(schema.RepoNameToID, hasAll(ghSnap.Columns[schema.RepoNameToID], []string{"repo_name", "repo_id"}))
	mark(schema.ProjectRepoDict, dbSnap.Tables[schema.ProjectRepoDict].Engine == dictionaryEngine)
	return g
}

// ReadWithGitHub is Read with the GitHub objects looked for in database
// gh (Read looks in database itself).
func ReadWithGitHub(ctx context.Context, q Querier, database, gh string) (*Catalog, error) {
	if gh == "" || gh == database {
		return Read(ctx, q, database)
	}
	if err := schema.ValidateIdentifier("GitHub database", gh); err != nil {
		return nil, err
	}
	snap, err := readSnapshot(ctx, q, database)
	if err != nil {
		return nil, err
	}
	ghSnap, err := readSnapshot(ctx, q, gh)
	if err != nil {
		return nil, err
	}
	c := Build(database, snap)
	c.GitHub = gitHubOf(gh, ghSnap, snap)
	if err := c.readDataSpan(ctx, q); err != nil {
		return nil, err
	}
	return c, nil
}
