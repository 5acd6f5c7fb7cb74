package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Column names of the GitHub query types.
const (
	ColRepository = "repository"
	ColStars      = "stars"
)

// statTotals are github_stats' figures: name, the event type, what is
// counted distinct (a user or an issue number) and the action, if any.
func statFigures() []struct{ name, event, distinct, action string } {
	return []struct{ name, event, distinct, action string }{
		{"stars", schema.EventWatch, "actor_login", schema.ActionStarted},
		{"forks", schema.EventFork, "actor_login", ""},
		{"issues", schema.EventIssues, "number", ""},
		{"prs", schema.EventPullRequest, "number", ""},
		{"pr_authors", schema.EventPullRequest, "actor_login", schema.ActionOpened},
	}
}

// contributionEvents are what top_contributors counts, as ClickPy does:
// opening an issue or a pull request, commenting, reviewing, pushing.
func contributionEvents() []struct{ event, action string } {
	return []struct{ event, action string }{
		{schema.EventPullRequest, schema.ActionOpened},
		{schema.EventIssues, schema.ActionOpened},
		{schema.EventIssueComment, schema.ActionCreated},
		{schema.EventPRReview, schema.ActionCreated},
		{schema.EventPRReviewComm, schema.ActionCreated},
		{schema.EventPush, ""},
	}
}

// botPattern matches the accounts top_contributors leaves out: GitHub
// Apps ("dependabot[bot]") and accounts named as bots ("release-bot",
// "robot-ci").
const botPattern = `(?i)([[]bot[]]|[-_]bot|^robot.*)$`

// github builds the GitHub query types. Without the event table they
// answer no rows and one notice, whatever the package.
func (b *builder) github() (Statement, error) {
	gh := b.cat.GitHub
	if !gh.Events() {
		return b.noGitHub(), nil
	}
	switch b.q.Type {
	case querymodel.GitHubStars:
		return b.githubStars(), nil
	case querymodel.TopContributors:
		return b.topContributors(), nil
	}
	return b.githubStats(), nil
}

// ghTable names a table of the GitHub database.
func (b *builder) ghTable(name string) string { return b.cat.GitHub.Database + "." + name }

// noGitHub is a statement that reads nothing and returns no rows, typed as
// the query type's answer, with the notice saying why.
func (b *builder) noGitHub() Statement {
	var sql string
	var shape Shape
	switch b.q.Type {
	case querymodel.GitHubStars:
		sql = fmt.Sprintf("SELECT toDate(0) AS %s, toInt64(0) AS %s, toDate(0) AS %s WHERE 0", ColTime, ColValue, ColDataEnd)
		shape = b.starsShape()
	case querymodel.TopContributors:
		sql = "SELECT '' AS contributor, toInt64(0) AS events, toFloat64(0) AS share, '' AS profile WHERE 0"
		shape = Shape{Kind: KindTable}
	default:
		cols := []string{"'' AS " + ColRepository, "'' AS repository_url"}
		for _, f := range statFigures() {
			cols = append(cols, "toInt64(0) AS "+f.name, "toInt64(0) AS "+f.name+"_total")
		}
		sql = "SELECT " + strings.Join(cols, ", ") + " WHERE 0"
		shape = Shape{Kind: KindTable}
	}
	return Statement{SQL: sql, Shape: shape, EmptyNotice: fmt.Sprintf(
		"database %s has no GitHub data (no %s table): create ClickPy's GitHub tables with clickpy-schema, or name their database in the data source's githubDatabase setting",
		b.cat.GitHub.Database, schema.GitHubEvents)}
}

// emptyGitHubNotice is shown when the package's repository has no events.
func (b *builder) emptyGitHubNotice() string {
	return "no GitHub events for " + querymodel.Quote(b.q.Packages[0]) +
		": its project URLs name no GitHub repository, or the GitHub data holds no event of it in the range"
}

// repoExpr is SQL for the package's GitHub repository (owner/name, "" for
// none): from the project-to-repository dictionary when present, else from
// the package's latest release naming one in projects.
func (b *builder) repoExpr() string {
	norm := b.p.str("package_norm", NormalizeName(b.q.Packages[0]))
	if b.cat.GitHub.Has(schema.ProjectRepoDict) {
		return fmt.Sprintf("dictGetOrDefault('%s', 'repo_name', tuple(%s), '')", b.table(schema.ProjectRepoDict), norm)
	}
	return fmt.Sprintf("(SELECT argMaxIf(repo, upload_time, repo != '') FROM (SELECT upload_time, %s AS repo FROM %s WHERE %s = %s))",
		schema.RepoNameSQL(), b.table(schema.ProjectsTable), normName("name"), norm)
}

// repoFilter is the condition selecting the events of the repositories
// repos (a subquery or a list of names) through the repository-name map,
// so the read follows github_events' sorting key (repo_id first); on the
// names themselves when the map is missing.
func (b *builder) repoFilter(repos string) string {
	if b.cat.GitHub.Has(schema.RepoNameToID) {
		return fmt.Sprintf("repo_id IN (SELECT repo_id FROM %s WHERE repo_name IN %s AND repo_id != '')", b.ghTable(schema.RepoNameToID), repos)
	}
	return "repo_name IN " + repos
}

// inRange is the condition for events created on the range's UTC dates.
func (b *builder) inRange() string {
	return fmt.Sprintf("created_at >= toDateTime(%s, 'UTC') AND created_at < toDateTime(%s, 'UTC') + INTERVAL 1 DAY",
		b.p.date("from", b.from), b.p.date("to", b.to))
}

func eventIs(event, action string) string {
	if action == "" {
		return "event_type = " + schema.QuoteString(event)
	}
	return "(event_type = " + schema.QuoteString(event) + " AND action = " + schema.QuoteString(action) + ")"
}

// githubStats counts the repository's stars (users who starred), forks
// (users who forked), issues and pull requests (distinct numbers, any
// action) and pull-request authors (users who opened one), in the range
// and in all the data. No row when the repository has no such event.
func (b *builder) githubStats() Statement {
	var cols []string
	events := map[string]bool{}
	var types []string
	for _, f := range statFigures() {
		cond := eventIs(f.event, f.action)
		cols = append(cols,
			fmt.Sprintf("toInt64(uniqExactIf(%s, %s AND in_range)) AS %s", f.distinct, cond, f.name),
			fmt.Sprintf("toInt64(uniqExactIf(%s, %s)) AS %s_total", f.distinct, cond, f.name))
		if !events[f.event] {
			events[f.event] = true
			types = append(types, schema.QuoteString(f.event))
		}
	}
	sql := fmt.Sprintf(`WITH
    %s AS repo,
    %s AS in_range
SELECT
    any(repo_name) AS %s,
    concat('https://github.com/', %s) AS repository_url,
    %s
FROM %s
WHERE %s
  AND event_type IN (%s)
HAVING count() > 0`,
		b.repoExpr(), b.inRange(), ColRepository, ColRepository, strings.Join(cols, ",\n    "),
		b.ghTable(schema.GitHubEvents), b.repoFilter("(repo)"), strings.Join(types, ", "))
	st := tableStatement(sql, catalog.Source{})
	st.EmptyNotice = b.emptyGitHubNotice()
	return st
}

// starsShape is github_stars' frame: one cumulative series.
func (b *builder) starsShape() Shape {
	g := ResolveGranularity(b.q.Granularity, b.from, b.to, b.req.Interval, b.req.MaxDataPoints)
	return Shape{Kind: KindTimeSeries, TimeColumn: ColTime, ValueColumn: ColValue, DataEndColumn: ColDataEnd,
		ValueName: ColStars, Start: b.from, End: b.to, Granularity: g, Cumulative: true}
}

// githubStars is the repository's stars over time: in each bucket, the
// users who had starred it by the bucket's end (a user counts once, from
// their first star), stars from before the range included. The SQL counts
// each user in the bucket of their first star, those before the range in
// the first bucket, and frames add the buckets up (Shape.Cumulative). The
// buckets end on the range's last date or today, whichever comes first.
func (b *builder) githubStars() Statement {
	sh := b.starsShape()
	from := b.p.date("from", b.from)
	sql := fmt.Sprintf(`WITH %s AS repo
SELECT
    %s AS %s,
    toInt64(count()) AS %s,
    least(%s, today()) AS %s
FROM (
    SELECT actor_login, toDate(min(created_at), 'UTC') AS first_star
    FROM %s
    WHERE %s
      AND %s
      AND created_at < toDateTime(%s, 'UTC') + INTERVAL 1 DAY
    GROUP BY actor_login
)
GROUP BY %s
ORDER BY %s`,
		b.repoExpr(), bucketExpr(sh.Granularity, "greatest(first_star, "+from+")"), ColTime, ColValue,
		b.p.date("to", b.to), ColDataEnd, b.ghTable(schema.GitHubEvents), b.repoFilter("(repo)"),
		eventIs(schema.EventWatch, schema.ActionStarted), b.p.date("to", b.to), ColTime, ColTime)
	return Statement{SQL: sql, Granularity: sh.Granularity, Shape: sh, EmptyNotice: b.emptyGitHubNotice()}
}

// topContributors lists the people who contributed most to the repository
// in the range (issues and pull requests opened, comments, reviews,
// pushes), bots left out, with their events and share of all the
// contributors' events.
func (b *builder) topContributors() Statement {
	var kinds []string
	for _, e := range contributionEvents() {
		kinds = append(kinds, eventIs(e.event, e.action))
	}
	sql := fmt.Sprintf(`WITH %s AS repo
SELECT
    actor_login AS contributor,
    toInt64(count()) AS events,
    count() / sum(count()) OVER () AS share,
    concat('https://github.com/', actor_login) AS profile
FROM %s
WHERE %s
  AND %s
  AND (%s)
  AND NOT match(actor_login, '%s')
GROUP BY actor_login
ORDER BY events DESC, contributor
LIMIT %s`,
		b.repoExpr(), b.ghTable(schema.GitHubEvents), b.repoFilter("(repo)"), b.inRange(),
		strings.Join(kinds, "\n    OR "), botPattern, b.limit())
	st := tableStatement(sql, catalog.Source{})
	st.EmptyNotice = b.emptyGitHubNotice()
	return st
}

// withStars adds each package's GitHub stars (users who starred its
// repository, in all the data) to a statement listing packages and
// downloads, when the database has GitHub data: NULL for a package whose
// project URLs name no GitHub repository. The listed rows are gathered
// once, as a scalar, so the lookup is bounded by them and the statement is
// not run twice.
func (b *builder) withStars(sql string) string {
	if !b.cat.GitHub.Events() {
		return sql
	}
	names := "arrayJoin(arrayMap(l -> l.1, listed))"
	var repos string
	if b.cat.GitHub.Has(schema.ProjectRepoDict) {
		repos = fmt.Sprintf("SELECT package, dictGetOrDefault('%s', 'repo_name', tuple(package), '') AS repository\nFROM (SELECT %s AS package)",
			b.table(schema.ProjectRepoDict), names)
	} else {
		repos = fmt.Sprintf(`SELECT %s AS package, argMaxIf(repo, upload_time, repo != '') AS repository
FROM (SELECT name, upload_time, %s AS repo FROM %s)
WHERE package IN (SELECT %s)
GROUP BY package`, normName("name"), schema.RepoNameSQL(), b.table(schema.ProjectsTable), names)
	}
	return fmt.Sprintf(`WITH (
    SELECT groupArray((package, downloads))
    FROM (
        %s
    )
) AS listed
SELECT
    x.package AS package,
    x.downloads AS downloads,
    if(g.repository = '', NULL, toNullable(s.stars)) AS %s
FROM (SELECT l.1 AS package, l.2 AS downloads FROM (SELECT arrayJoin(listed) AS l)) AS x
LEFT JOIN (
    %s
) AS g ON g.package = x.package
LEFT JOIN (
    SELECT repo_name AS repository, toInt64(uniqExact(actor_login)) AS stars
    FROM %s
    WHERE %s
      AND %s
    GROUP BY repo_name
) AS s ON s.repository = g.repository
ORDER BY downloads DESC, package`,
		indent(sql, 8), ColStars, indent(repos, 4), b.ghTable(schema.GitHubEvents),
		b.repoFilter("(SELECT repository FROM ("+indent(repos, 8)+"))"), eventIs(schema.EventWatch, schema.ActionStarted))
}
