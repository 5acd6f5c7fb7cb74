package schema

import (
	"fmt"
	"strings"
)

// ClickPy's GitHub objects: the public event stream (GH Archive) and the
// maps from a PyPI project to its repository and from a repository name
// to its id, by which the event table is sorted.
const (
	GitHubEvents     = "github_events"
	RepoNameToID     = "repo_name_to_id"
	RepoNameToIDView = "repo_name_to_id_mv"
	// ProjectRepoDict lives in the pypi database, as ClickPy's
	// pypi.project_to_repo_name_dict does.
	ProjectRepoDict = "project_to_repo_name_dict"
)

// GitHub event types and actions the queries read, as GH Archive names
// them.
const (
	EventWatch         = "WatchEvent"
	EventFork          = "ForkEvent"
	EventIssues        = "IssuesEvent"
	EventIssueComment  = "IssueCommentEvent"
	EventPullRequest   = "PullRequestEvent"
	EventPRReview      = "PullRequestReviewEvent"
	EventPRReviewComm  = "PullRequestReviewCommentEvent"
	EventPush          = "PushEvent"
	EventCreate        = "CreateEvent"
	EventRelease       = "ReleaseEvent"
	ActionStarted      = "started"
	ActionOpened       = "opened"
	ActionClosed       = "closed"
	ActionCreated      = "created"
	ActionNone         = "none"
	ActionReopened     = "reopened"
	ActionPublished    = "published"
	githubEventsSortBy = "repo_id, event_type, created_at"
)

// eventTypes is ClickPy's event_type enum, in its order.
func eventTypes() []string {
	return []string{"CommitCommentEvent", "CreateEvent", "DeleteEvent", "ForkEvent", "GollumEvent", "IssueCommentEvent",
		"IssuesEvent", "MemberEvent", "PublicEvent", "PullRequestEvent", "PullRequestReviewCommentEvent", "PushEvent",
		"ReleaseEvent", "SponsorshipEvent", "WatchEvent", "GistEvent", "FollowEvent", "DownloadEvent",
		"PullRequestReviewEvent", "ForkApplyEvent", "Event", "TeamAddEvent"}
}

// eventActions is ClickPy's action enum, from 0.
func eventActions() []string {
	return []string{"none", "created", "added", "edited", "deleted", "opened", "closed", "reopened", "assigned",
		"unassigned", "labeled", "unlabeled", "review_requested", "review_request_removed", "synchronize", "started",
		"published", "update", "create", "fork", "merged"}
}

func enum8(values []string, from int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("%s = %d", QuoteString(v), i+from)
	}
	return "Enum8(" + strings.Join(parts, ", ") + ")"
}

// githubEventsColumns are the columns of ClickPy's github_events the
// queries and the sample need, with ClickPy's types; ClickPy's table has
// more (bodies, review details), which nothing here reads.
func githubEventsColumns() []Column {
	return []Column{
		{"file_time", "DateTime"},
		{"event_type", enum8(eventTypes(), 1)},
		{"actor_login", "LowCardinality(String)"},
		{"repo_name", "LowCardinality(String)"},
		{"repo_id", "LowCardinality(String)"},
		{"created_at", "DateTime"},
		{"updated_at", "DateTime"},
		{"action", enum8(eventActions(), 0)},
		{"number", "UInt32"},
		{"title", "String"},
		{"state", "Enum8('none' = 0, 'open' = 1, 'closed' = 2)"},
		{"merged", "UInt8"},
	}
}

// GitHubEventsColumns lists github_events' columns in DDL order.
func GitHubEventsColumns() []Column { return githubEventsColumns() }

// GitHubEventsNeeded are the columns the queries read; the catalogue
// takes a github_events without one of them as missing.
func GitHubEventsNeeded() []string {
	return []string{"event_type", "actor_login", "repo_name", "repo_id", "created_at", "action", "number"}
}

// RepoNamePattern extracts owner/name from a GitHub URL anywhere in a
// project URL entry ("Source, https://github.com/psf/requests.git"), a
// trailing ".git" left out. It has no backslash, which a ClickHouse string
// literal would read as an escape.
const RepoNamePattern = `https?://(?:www[.])?github[.]com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:[.]git)?(?:[/#?]|$)`

// RepoNameSQL is SQL for the GitHub repository (owner/name) of a release
// row of projects, as ClickPy's getRepoName finds it: the first GitHub URL
// among its project URLs, then its home page; empty when none.
func RepoNameSQL() string {
	return "regexpExtract(arrayFirst(u -> match(u, '" + RepoNamePattern + "'), arrayConcat(project_urls, [home_page])), '" +
		RepoNamePattern + "', 1)"
}

// githubStatements create the event table and the repository-name map in
// the GitHub database gh, and the project-to-repository dictionary in db.
func (o Options) githubStatements(db, gh, on string, engine func(string) string) []string {
	var out []string
	if gh != db {
		out = append(out, fmt.Sprintf("CREATE DATABASE IF NOT EXISTS %s%s", gh, on))
	}
	idCols := []Column{{"repo_name", "String"}, {"repo_id", "String"}}
	out = append(out,
		createTable(gh, GitHubEvents, on, githubEventsColumns(), engine("MergeTree"), strings.Split(githubEventsSortBy, ", ")),
		createTable(gh, RepoNameToID, on, idCols, engine("ReplacingMergeTree"), []string{"repo_name"}),
		fmt.Sprintf("CREATE MATERIALIZED VIEW IF NOT EXISTS %s.%s%s TO %s.%s\n%s\nAS SELECT repo_name, any(repo_id) AS repo_id\nFROM %s.%s\nGROUP BY repo_name",
			gh, RepoNameToIDView, on, gh, RepoNameToID, columnList(idCols), gh, GitHubEvents),
		// Keyed by the normalized project name, as downloads name
		// projects; the latest release with a GitHub URL decides.
		fmt.Sprintf("CREATE DICTIONARY IF NOT EXISTS %s.%s%s\n(\n    `project` String,\n    `repo_name` String\n)\n"+
			"PRIMARY KEY project\nSOURCE(CLICKHOUSE(QUERY %s%s))\nLIFETIME(MIN 0 MAX 3600)\nLAYOUT(COMPLEX_KEY_HASHED())",
			db, ProjectRepoDict, on, QuoteString(projectRepoQuery(db)), o.sourceAuth()),
	)
	return out
}

// projectRepoQuery is the dictionary's source: each project's repository
// from its latest release naming one.
func projectRepoQuery(db string) string {
	return "SELECT lower(replaceRegexpAll(name, '[-_.]+', '-')) AS project, argMax(repo, upload_time) AS repo_name " +
		"FROM (SELECT name, upload_time, " + RepoNameSQL() + " AS repo FROM " + db + "." + ProjectsTable + ") " +
		"WHERE repo != '' GROUP BY project"
}
