package sqlbuild_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// ghTruth runs plain SQL over github_events for one repository, with the
// range's dates as {from:Date} and {to:Date}.
func (e *engine) ghTruth(t *testing.T, sql, repo string, from, to time.Time, dest ...any) {
	t.Helper()
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(clickhouse.Parameters{
		"repo": repo, "from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly)}))
	if err := e.conn.QueryRow(ctx, sql).Scan(dest...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

// ghPackages are packages to check: popular ones, the designated ones, and
// one hosted off GitHub (no events).
func (e *engine) ghPackages(t *testing.T) (withRepo []string, elsewhere string) {
	t.Helper()
	for _, p := range []string{"requests", "numpy", e.truth.Drop, sample.HotPackage, e.truth.Emerging[0].Name} {
		if sample.GitHubRepo(e.cfg, p) == "" {
			t.Fatalf("%s has no GitHub repository in the sample", p)
		}
		withRepo = append(withRepo, p)
	}
	for _, p := range e.truth.Packages {
		if sample.GitHubRepo(e.cfg, p) == "" {
			return withRepo, p
		}
	}
	t.Fatal("every sample package is on GitHub")
	return nil, ""
}

// githubCatalogs are the catalogue as read, without the repository maps
// (events found by name, the repository from projects), and without any
// GitHub data.
func (e *engine) githubCatalogs() map[string]*catalog.Catalog {
	noMaps := without(e.cat)
	noMaps.GitHub.Present = []string{schema.GitHubEvents}
	none := without(e.cat)
	none.GitHub.Present = nil
	return map[string]*catalog.Catalog{"full": e.cat, "no maps": noMaps, "no data": none}
}

// testGitHub checks github_stats, github_stars and top_contributors
// against plain SQL over github_events, and the stars of dependencies.
func (e *engine) testGitHub(t *testing.T) {
	if !e.cat.GitHub.Events() {
		t.Fatalf("the test database has no GitHub data: %+v", e.cat.GitHub)
	}
	withRepo, elsewhere := e.ghPackages(t)
	const days = 120
	from, to := e.truth.End.AddDate(0, 0, -(days-1)), e.truth.End
	for name, cat := range e.githubCatalogs() {
		t.Run(name, func(t *testing.T) {
			for _, pkg := range append(withRepo, elsewhere) {
				for _, typ := range []string{"github_stats", "github_stars", "top_contributors"} {
					req := e.request(t, fmt.Sprintf(`{"queryType":%q,"packages":[%q],"granularity":"week","limit":5}`, typ, pkg), days)
					req.Catalog = cat
					_, res, f := e.run(t, req)
					repo := sample.GitHubRepo(e.cfg, pkg)
					if name == "no data" || repo == "" {
						notices := ""
						for _, n := range f.Meta.Notices {
							notices += n.Text + "|"
						}
						want := "no GitHub events for"
						if name == "no data" {
							want = "has no GitHub data"
						}
						if rows, _ := f.RowLen(); rows != 0 || len(f.Meta.Notices) != 1 || !strings.Contains(notices, want) {
							t.Errorf("%s %s: %d rows (%d result rows), notices %q; want none and one notice saying %q", typ, pkg, rows, len(res.Rows), notices, want)
						}
						continue
					}
					switch typ {
					case "github_stats":
						e.checkStats(t, pkg, repo, res, from, to)
					case "github_stars":
						e.checkStars(t, pkg, repo, f, from, to)
					case "top_contributors":
						e.checkContributors(t, pkg, repo, res, from, to)
					}
				}
			}
			e.checkDependencyStars(t, cat, name)
		})
	}
}

// inRangeSQL bounds created_at to the range's UTC dates.
const inRangeSQL = "toDate(created_at, 'UTC') BETWEEN {from:Date} AND {to:Date}"

// checkStats: stars are WatchEvents (one per user), forks ForkEvents,
// issues and pull requests distinct numbers, authors distinct openers.
func (e *engine) checkStats(t *testing.T, pkg, repo string, res *frames.Result, from, to time.Time) {
	t.Helper()
	if len(res.Rows) != 1 {
		t.Fatalf("github_stats %s: %d rows", pkg, len(res.Rows))
	}
	row := res.Rows[0]
	if got := column(t, res, row, "repository"); got != repo {
		t.Errorf("github_stats %s: repository %v, want %s", pkg, got, repo)
	}
	truth := map[string]string{
		"stars":      "countIf(event_type = 'WatchEvent')",
		"forks":      "countIf(event_type = 'ForkEvent')",
		"issues":     "count(DISTINCT if(event_type = 'IssuesEvent', number, NULL))",
		"prs":        "count(DISTINCT if(event_type = 'PullRequestEvent', number, NULL))",
		"pr_authors": "count(DISTINCT if(event_type = 'PullRequestEvent' AND action = 'opened', actor_login, NULL))",
	}
	for name, expr := range truth {
		var inRange, total uint64
		sql := fmt.Sprintf("SELECT toUInt64(%s), (SELECT toUInt64(%s) FROM %s.github_events WHERE repo_name = {repo:String}) FROM %s.github_events WHERE repo_name = {repo:String} AND %s",
			expr, expr, e.db, e.db, inRangeSQL)
		e.ghTruth(t, sql, repo, from, to, &inRange, &total)
		if got := num(t, res, row, name); got != int64(inRange) {
			t.Errorf("github_stats %s: %s %d, plain SQL %d", pkg, name, got, inRange)
		}
		if got := num(t, res, row, name+"_total"); got != int64(total) {
			t.Errorf("github_stats %s: %s_total %d, plain SQL %d", pkg, name, got, total)
		}
		if name == "stars" && total == 0 {
			t.Errorf("github_stats %s: no stars at all in the sample", pkg)
		}
	}
}

// checkStars: each bucket holds the users who starred by its last day.
func (e *engine) checkStars(t *testing.T, pkg, repo string, f *data.Frame, from, to time.Time) {
	t.Helper()
	if len(f.Fields) != 2 || f.Fields[0].Len() == 0 {
		t.Fatalf("github_stars %s: %d fields, want time and stars", pkg, len(f.Fields))
	}
	times, stars := f.Fields[0], f.Fields[1]
	if first := times.At(0).(time.Time); !first.Equal(sqlbuild.BucketStart("week", from)) {
		t.Errorf("github_stars %s: first bucket %s, want the week of %s", pkg, first, from)
	}
	for i := 0; i < times.Len(); i++ {
		end := sqlbuild.BucketStart("week", times.At(i).(time.Time)).AddDate(0, 0, 6)
		if end.After(to) {
			end = to
		}
		var want uint64
		e.ghTruth(t, fmt.Sprintf("SELECT count() FROM %s.github_events WHERE repo_name = {repo:String} AND event_type = 'WatchEvent' AND toDate(created_at, 'UTC') <= {to:Date}", e.db),
			repo, from, end, &want)
		if got := stars.At(i).(int64); got != int64(want) {
			t.Errorf("github_stars %s: %d stars by %s, plain SQL %d", pkg, got, end.Format(time.DateOnly), want)
			return
		}
	}
}

// checkContributors: the most active non-bot accounts, with their event
// counts and share, against a count over the same event kinds.
func (e *engine) checkContributors(t *testing.T, pkg, repo string, res *frames.Result, from, to time.Time) {
	t.Helper()
	kinds := "(event_type = 'PullRequestEvent' AND action = 'opened') OR (event_type = 'IssuesEvent' AND action = 'opened') OR " +
		"(event_type = 'IssueCommentEvent' AND action = 'created') OR (event_type = 'PullRequestReviewEvent' AND action = 'created') OR " +
		"(event_type = 'PullRequestReviewCommentEvent' AND action = 'created') OR event_type = 'PushEvent'"
	var logins []string
	var counts []uint64
	var bots, all uint64
	e.ghTruth(t, fmt.Sprintf(`SELECT groupArray(actor_login), groupArray(n), sum(n) FROM (
    SELECT actor_login, count() AS n FROM %s.github_events
    WHERE repo_name = {repo:String} AND %s AND (%s) AND NOT endsWith(actor_login, '[bot]')
    GROUP BY actor_login ORDER BY n DESC, actor_login)`, e.db, inRangeSQL, kinds), repo, from, to, &logins, &counts, &all)
	e.ghTruth(t, fmt.Sprintf("SELECT count() FROM %s.github_events WHERE repo_name = {repo:String} AND %s AND (%s) AND endsWith(actor_login, '[bot]')",
		e.db, inRangeSQL, kinds), repo, from, to, &bots)
	want := min(5, len(logins))
	if len(res.Rows) != want {
		t.Fatalf("top_contributors %s: %d rows, want %d (%q)", pkg, len(res.Rows), want, logins)
	}
	for i, row := range res.Rows {
		who := column(t, res, row, "contributor").(string)
		if strings.HasSuffix(who, "[bot]") {
			t.Errorf("top_contributors %s: bot %s listed", pkg, who)
		}
		if who != logins[i] || num(t, res, row, "events") != int64(counts[i]) {
			t.Errorf("top_contributors %s: #%d %s with %d, plain SQL %s with %d", pkg, i+1, who, num(t, res, row, "events"), logins[i], counts[i])
		}
		if share := column(t, res, row, "share").(float64); math.Abs(share-float64(counts[i])/float64(all)) > 1e-9 {
			t.Errorf("top_contributors %s: %s's share %v, want %d/%d", pkg, who, share, counts[i], all)
		}
	}
	if pkg == "requests" && bots == 0 {
		t.Errorf("top_contributors %s: no bot events in the range, so leaving bots out is not tested", pkg)
	}
}

// checkDependencyStars: dependencies and dependents carry each package's
// stars (users who starred its repository), NULL off GitHub, and no
// stars column without GitHub data.
func (e *engine) checkDependencyStars(t *testing.T, cat *catalog.Catalog, name string) {
	t.Helper()
	nulls := 0
	for _, q := range []string{`{"queryType":"dependencies","packages":["requests"],"limit":50}`, `{"queryType":"dependents","packages":["numpy"],"limit":300}`} {
		req := e.request(t, q, 30)
		req.Catalog = cat
		_, res, _ := e.run(t, req)
		has := false
		for _, c := range res.Columns {
			has = has || c.Name == "stars"
		}
		if has != (name != "no data") {
			t.Errorf("%s: stars column present %v with %s", q, has, name)
			continue
		}
		if !has {
			continue
		}
		for _, row := range res.Rows {
			pkg := column(t, res, row, "package").(string)
			got := column(t, res, row, "stars")
			repo := sample.GitHubRepo(e.cfg, pkg)
			if repo == "" {
				nulls++
				if p, ok := got.(*int64); !ok || p != nil {
					t.Errorf("%s: %s has no GitHub repository but stars %v", q, pkg, got)
				}
				continue
			}
			var want uint64
			e.ghTruth(t, fmt.Sprintf("SELECT count() FROM %s.github_events WHERE repo_name = {repo:String} AND event_type = 'WatchEvent'", e.db), repo, time.Time{}, time.Time{}, &want)
			if p, ok := got.(*int64); !ok || p == nil || *p != int64(want) {
				t.Errorf("%s: %s (%s) stars %v, plain SQL %d", q, pkg, repo, got, want)
			}
		}
	}
	if name == "full" && nulls == 0 {
		t.Log("no dependency or dependent off GitHub in these lists: NULL stars untested here")
	}
}
