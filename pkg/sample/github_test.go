package sample

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGitHubEventsShape(t *testing.T) {
	cfg := Config{Seed: 5, End: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Size: SizeTest}
	evs := GitHubEvents(cfg)
	if !reflect.DeepEqual(evs, GitHubEvents(cfg)) {
		t.Fatal("the same config gave other events")
	}
	endOfData := cfg.EndDate().AddDate(0, 0, 1)
	stars := map[string]map[string]int{}
	opened := map[string]time.Time{}
	bots, elsewhere := 0, 0
	for _, e := range evs {
		if !e.CreatedAt.Before(endOfData) {
			t.Fatalf("%s event on %s, after End", e.EventType, e.CreatedAt)
		}
		if e.RepoID == "" || !strings.Contains(e.RepoName, "/") {
			t.Fatalf("event without repository: %+v", e)
		}
		switch {
		case e.EventType == "WatchEvent":
			if stars[e.RepoName] == nil {
				stars[e.RepoName] = map[string]int{}
			}
			stars[e.RepoName][e.ActorLogin]++
		case e.Action == "opened":
			opened[e.RepoName+"#"+string(rune(e.Number))] = e.CreatedAt
		case e.Action == "closed":
			at, ok := opened[e.RepoName+"#"+string(rune(e.Number))]
			if !ok || e.CreatedAt.Before(at) {
				t.Fatalf("%s #%d closed on %s before it was opened (%v)", e.RepoName, e.Number, e.CreatedAt, at)
			}
		}
		if strings.HasSuffix(e.ActorLogin, "[bot]") {
			bots++
		}
	}
	for repo, users := range stars {
		for u, n := range users {
			if n > 1 {
				t.Fatalf("%s starred %s %d times", u, repo, n)
			}
		}
	}
	if bots == 0 {
		t.Error("no bot events")
	}
	// Stars grow with popularity; projects off GitHub have no events.
	requests := len(stars[GitHubRepo(cfg, "requests")])
	for _, p := range buildCatalog(cfg.Seed, dayNumber(cfg.End)) {
		repo := GitHubRepo(cfg, p.name)
		if repo == "" {
			elsewhere++
			continue
		}
		if p.rank > 1000 && len(stars[repo]) >= requests {
			t.Errorf("%s (rank %d) has %d stars, requests %d", p.name, p.rank, len(stars[repo]), requests)
		}
		if p.rank > 1000 {
			break
		}
	}
	if requests < 100 {
		t.Errorf("requests has only %d stars", requests)
	}
	if elsewhere == 0 {
		t.Error("every package is on GitHub: none to show the no-repository case")
	}
}

// A database without github_events gets no GitHub events, and no error.
func TestLoadWithoutGitHubTable(t *testing.T) {
	conn := &fakeConn{noGitHub: true}
	st, err := Load(context.Background(), conn, "clickpy_test", Config{Seed: 2, End: testEnd(), Size: SizeTest})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range conn.batches {
		if strings.Contains(b.query, "github_events") {
			t.Fatalf("loaded GitHub events into a database without the table: %s", b.query)
		}
	}
	if st.GitHubEvents != 0 {
		t.Errorf("stats say %d GitHub events", st.GitHubEvents)
	}
}
