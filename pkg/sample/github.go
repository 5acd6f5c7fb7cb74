package sample

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// saltGitHub separates the GitHub event stream of a package from its
// other draws; far from the iota salts so new ones never collide.
const saltGitHub uint64 = 0x6769746875620001

// GitHub event volumes: the most popular repository gets starsAtTop stars
// (in the test profile; more in larger ones) and the others fewer in
// proportion to their popularity weight; forks, issues and pull requests
// follow the stars. userPool is how many GitHub users the sample has.
const (
	starsAtTop    = 1500
	forksPerStar  = 0.12
	issuesPerStar = 0.06
	prsPerStar    = 0.05
	userPool      = 1 << 17
	// githubLeadDays is how long before its first release a repository
	// starts collecting events.
	githubLeadDays = 180
	// botMinStars is the stars from which bots send monthly pull
	// requests; releaseEventRanks the popularity ranks whose releases come
	// with push and release events.
	botMinStars       = 50
	releaseEventRanks = 300
	// elsewhereOneIn: one synthetic package in this many is hosted on
	// GitLab, so has a repository but no GitHub events.
	elsewhereOneIn = 10
)

// Bots that open pull requests and comment, as on real repositories;
// top contributors leave them out.
func githubBots() []string {
	return []string{"dependabot[bot]", "pre-commit-ci[bot]", "renovate[bot]", "codecov[bot]", "github-actions[bot]"}
}

// GitHubBots lists the bot accounts the sample's events use.
func GitHubBots() []string { return githubBots() }

// GitHubEvent is one row of github_events.
type GitHubEvent struct {
	FileTime   time.Time
	EventType  string
	ActorLogin string
	RepoName   string
	RepoID     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Action     string
	Number     uint32
	Title      string
	State      string
	Merged     uint8
}

// GitHubEventColumns lists github_events' columns in the order of
// GitHubEvent's fields and Values.
func GitHubEventColumns() []string {
	return []string{"file_time", "event_type", "actor_login", "repo_name", "repo_id", "created_at", "updated_at",
		"action", "number", "title", "state", "merged"}
}

// Values returns the event's values in GitHubEventColumns order.
func (e *GitHubEvent) Values() []any {
	return []any{e.FileTime, e.EventType, e.ActorLogin, e.RepoName, e.RepoID, e.CreatedAt, e.UpdatedAt,
		e.Action, e.Number, e.Title, e.State, e.Merged}
}

// GitHubRepo returns the repository (owner/name) a sample package's
// metadata points to on GitHub, or "" for the packages hosted elsewhere.
func GitHubRepo(cfg Config, name string) string {
	if cfg.Validate() != nil {
		return ""
	}
	cat := buildCatalog(cfg.Seed, dayNumber(cfg.End))
	for i := range cat {
		if cat[i].name == name {
			return repoOf(cfg, &cat[i])
		}
	}
	return ""
}

// repoOf is owner/name from the package's home page, when on GitHub.
func repoOf(cfg Config, p *pkg) string {
	m := newMetadata(newRand(cfg.Seed, p.hash, saltMetadata), p)
	repo, ok := strings.CutPrefix(m.home, "https://github.com/")
	if !ok {
		return ""
	}
	return repo
}

// starScale is the top repository's stars in a profile.
func starScale(s Size) float64 {
	switch s {
	case SizeDemo:
		return 4 * starsAtTop
	case SizeBench:
		return 8 * starsAtTop
	}
	return starsAtTop
}

// GitHubEvents returns the GitHub events of every sample package with a
// repository on GitHub, up to End, in time order within each repository
// and repositories in popularity order. Stars grow with popularity (and
// come faster in recent years); each star, fork and issue is one user's;
// issues and pull requests are opened and mostly closed later, pull
// requests by the maintainers, a few dozen contributors and bots; pushes
// come with releases. It depends on Config alone, and returns nil for an
// invalid one.
func GitHubEvents(cfg Config) []GitHubEvent {
	if cfg.Validate() != nil {
		return nil
	}
	end := dayNumber(cfg.End)
	cat := buildCatalog(cfg.Seed, end)
	top := cat[0].weight
	var out []GitHubEvent
	for i := range cat {
		p := &cat[i]
		repo := repoOf(cfg, p)
		if repo == "" {
			continue
		}
		g := repoGen{r: newRand(cfg.Seed, p.hash, saltGitHub), p: p, repo: repo, end: end,
			id: fmt.Sprint(10_000_000 + p.hash%890_000_000)}
		g.start = p.firstDay() - githubLeadDays
		g.stars = int(math.Round(starScale(cfg.Size) * p.weight / top))
		out = append(out, g.events()...)
	}
	return out
}

// repoGen draws one repository's events.
type repoGen struct {
	r          *rand.Rand
	p          *pkg
	repo, id   string
	start, end int
	stars      int
	number     uint32
	out        []GitHubEvent
}

// when is a moment in the repository's life, later ones likelier: the
// square root of a uniform draw puts twice the density at End as at the
// start, as a project's audience grows.
func (g *repoGen) when() int64 {
	span := float64(g.end-g.start+1) * 86400
	return int64(g.start)*86400 + int64(math.Sqrt(g.r.Float64())*span)
}

// users are n distinct users of the pool: a random start and an odd
// stride visit distinct indices of the power-of-two pool.
func (g *repoGen) users(n int) []string {
	n = min(n, userPool)
	first, stride := g.r.IntN(userPool), 2*g.r.IntN(userPool/2)+1
	out := make([]string, n)
	for k := range out {
		out[k] = userName((first + k*stride) % userPool)
	}
	return out
}

// userName is the pool's i-th GitHub login.
func userName(i int) string {
	firsts := []string{"alex", "sam", "kim", "lee", "max", "ana", "jo", "ravi", "mei", "ola", "ben", "eva", "noor", "tom", "yuki", "ivan"}
	return fmt.Sprintf("%s%d", firsts[i%len(firsts)], i/len(firsts))
}

func (g *repoGen) add(at int64, typ, actor, action string, number uint32, title, state string, merged uint8) {
	t := time.Unix(at, 0).UTC()
	g.out = append(g.out, GitHubEvent{FileTime: t.Truncate(time.Hour), EventType: typ, ActorLogin: actor, RepoName: g.repo,
		RepoID: g.id, CreatedAt: t, UpdatedAt: t, Action: action, Number: number, Title: title, State: state, Merged: merged})
}

// later is a moment after at, up to days later, not after End.
func (g *repoGen) later(at int64, days float64) (int64, bool) {
	t := at + int64(g.r.ExpFloat64()*days*86400)
	return t, t < int64(g.end+1)*86400
}

func (g *repoGen) events() []GitHubEvent {
	owner, _, _ := strings.Cut(g.repo, "/")
	maintainers := append([]string{owner}, g.users(1+g.r.IntN(3))...)
	contributors := append(slices.Clone(maintainers), g.users(3+g.p.weightClass())...)
	for _, u := range g.users(g.stars) {
		g.add(g.when(), "WatchEvent", u, "started", 0, "", "none", 0)
	}
	for _, u := range g.users(int(math.Round(float64(g.stars) * forksPerStar))) {
		g.add(g.when(), "ForkEvent", u, "none", 0, "", "none", 0)
	}
	for _, u := range g.users(int(math.Round(float64(g.stars) * issuesPerStar))) {
		g.issue(u, maintainers)
	}
	prs := int(math.Round(float64(g.stars) * prsPerStar))
	for k := 0; k < prs; k++ {
		g.pullRequest(contributors[g.r.IntN(len(contributors))], maintainers)
	}
	// Bots: dependency updates for maintained projects, monthly.
	if g.stars >= botMinStars {
		for d := g.start; d <= g.end; d += 30 {
			bot := githubBots()[g.r.IntN(3)]
			g.pullRequestAt(int64(d)*86400+g.r.Int64N(86400), bot, maintainers)
		}
	}
	// A push and a tag per release, by a maintainer, on the popular
	// projects (the long tail's would only make the set larger).
	for _, rel := range g.p.releases {
		if g.p.rank > releaseEventRanks {
			break
		}
		at := rel.at / 1000
		g.add(at-int64(g.r.IntN(3600)), "PushEvent", maintainers[g.r.IntN(len(maintainers))], "none", 0, "", "none", 0)
		g.add(at, "ReleaseEvent", maintainers[0], "published", 0, rel.version, "none", 0)
	}
	// The events come in time order, as GH Archive's files do.
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].CreatedAt.Before(g.out[j].CreatedAt) })
	// Numbers follow creation order, shared by issues and pull requests.
	renumber(g.out)
	return g.out
}

// issue is opened by u, commented on, and mostly closed by a maintainer.
func (g *repoGen) issue(u string, maintainers []string) {
	g.number++
	n := g.number
	at := g.when()
	title := fmt.Sprintf("Issue %d", n)
	g.add(at, "IssuesEvent", u, "opened", n, title, "open", 0)
	for c := g.r.IntN(4); c > 0; c-- {
		if t, ok := g.later(at, 5); ok {
			who := maintainers[g.r.IntN(len(maintainers))]
			if g.r.IntN(5) == 0 {
				who = u
			}
			g.add(t, "IssueCommentEvent", who, "created", n, title, "open", 0)
		}
	}
	if g.r.Float64() < 0.7 {
		if t, ok := g.later(at, 20); ok {
			g.add(t, "IssuesEvent", maintainers[g.r.IntN(len(maintainers))], "closed", n, title, "closed", 0)
		}
	}
}

func (g *repoGen) pullRequest(u string, maintainers []string) {
	g.pullRequestAt(g.when(), u, maintainers)
}

// pullRequestAt is opened by u at at, reviewed, and mostly merged.
func (g *repoGen) pullRequestAt(at int64, u string, maintainers []string) {
	if at >= int64(g.end+1)*86400 {
		return
	}
	g.number++
	n := g.number
	title := fmt.Sprintf("PR %d", n)
	g.add(at, "PullRequestEvent", u, "opened", n, title, "open", 0)
	if strings.HasSuffix(u, "[bot]") {
		g.add(at+60, "IssueCommentEvent", "codecov[bot]", "created", n, title, "open", 0)
	}
	if t, ok := g.later(at, 3); ok {
		g.add(t, "PullRequestReviewEvent", maintainers[g.r.IntN(len(maintainers))], "created", n, title, "open", 0)
	}
	if t, ok := g.later(at, 10); ok && g.r.Float64() < 0.85 {
		merged := uint8(0)
		if g.r.Float64() < 0.8 {
			merged = 1
		}
		g.add(t, "PullRequestEvent", maintainers[g.r.IntN(len(maintainers))], "closed", n, title, "closed", merged)
		if merged == 1 {
			g.add(t+5, "PushEvent", maintainers[0], "none", 0, "", "none", 0)
		}
	}
}

// renumber gives issues and pull requests numbers in the order they were
// opened, keeping each one's events together.
func renumber(evs []GitHubEvent) {
	next := uint32(0)
	seen := map[uint32]uint32{}
	for i := range evs {
		e := &evs[i]
		if e.Number == 0 {
			continue
		}
		if _, ok := seen[e.Number]; !ok {
			next++
			seen[e.Number] = next
		}
		e.Number = seen[e.Number]
	}
}

// weightClass is a rough popularity class: more contributors for the
// popular projects.
func (p *pkg) weightClass() int {
	switch {
	case p.rank <= 30:
		return 40
	case p.rank <= 300:
		return 12
	}
	return 2
}

// githubEventsTable is the event table Load fills when the database has
// it (schema.GitHubEvents; the sample does not import schema).
const githubEventsTable = "github_events"

// LoadGitHub inserts cfg's GitHub events into database's github_events,
// which must exist and should be empty, and returns how many.
func LoadGitHub(ctx context.Context, conn driver.Conn, database string, cfg Config) (int, error) {
	if err := ValidateDatabase(database); err != nil {
		return 0, err
	}
	evs := GitHubEvents(cfg)
	if evs == nil {
		return 0, errors.New("sample config produced no GitHub events")
	}
	err := insertRows(ctx, conn, database, githubEventsTable, GitHubEventColumns(), len(evs), func(i int) []any { return evs[i].Values() })
	return len(evs), err
}

// hasTable tells whether database holds table.
func hasTable(ctx context.Context, conn driver.Conn, database, table string) (bool, error) {
	var n uint64
	err := conn.QueryRow(clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"db": database, "t": table})),
		"SELECT count() FROM system.tables WHERE database = {db:String} AND name = {t:String}").Scan(&n)
	if err != nil {
		return false, fmt.Errorf("looking for %s.%s: %w", database, table, err)
	}
	return n > 0, nil
}
