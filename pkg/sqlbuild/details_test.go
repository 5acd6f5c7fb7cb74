package sqlbuild_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// testDetails checks details against projects rows: the latest upload's
// metadata, the highest version in PEP 440 order, and the repository URL,
// on rows written here (a backport uploaded last, a pre-release, a
// repository on GitLab) and on the sample's.
func (e *engine) testDetails(t *testing.T) {
	ctx := context.Background()
	db := e.db + "_details"
	if err := e.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db) }()
	if err := schema.Apply(ctx, schema.ExecWith(e.conn), schema.Options{Database: db}); err != nil {
		t.Fatal(err)
	}
	at := func(month int) time.Time { return time.Date(2024, time.Month(month), 10, 12, 0, 0, 0, time.UTC) }
	rel := func(v string, month int, urls []string) sample.ProjectRow {
		return sample.ProjectRow{Name: "Back_Ported", Version: v, Summary: "summary " + v, Author: "Ann Author",
			AuthorEmail: "ann@example.org", License: "MIT", HomePage: "https://example.org/backported",
			ProjectURLs: urls, UploadTime: at(month)}
	}
	labelled := []string{"Homepage, https://example.org/backported", "Source Code, https://gitlab.com/team/backported.git/"}
	unlabelled := []string{"Homepage, https://example.org/backported", "Tracker, https://github.com/team/backported/issues"}
	rows := []sample.ProjectRow{
		rel("1.9", 1, unlabelled), rel("1.10", 2, unlabelled), rel("2.0rc1", 3, unlabelled), rel("2.0", 4, unlabelled),
		rel("2.1.dev3", 5, unlabelled), rel("1.10.1", 6, labelled),
		{Name: "no-urls", Version: "0.1", HomePage: "https://example.org", UploadTime: at(1)},
		{Name: "tracker-only", Version: "1.0.post1", ProjectURLs: unlabelled, UploadTime: at(1)},
		{Name: "tracker-only", Version: "1.0", ProjectURLs: unlabelled, UploadTime: at(2)},
	}
	b, err := e.conn.PrepareBatch(ctx, "INSERT INTO "+db+".projects ("+joinCols(sample.ProjectColumns())+")")
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := b.Append(rows[i].Values()...); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Read(ctx, e.conn, db)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ pkg, version, highest, email, repo string }{
		// 2.1.dev3 is a pre-release of 2.1, after 2.0 and 2.0rc1.
		{"back-ported", "1.10.1", "2.1.dev3", "ann@example.org", "https://gitlab.com/team/backported"},
		{"no-urls", "0.1", "0.1", "", ""},
		{"tracker-only", "1.0", "1.0.post1", "", "https://github.com/team/backported"},
	}
	for _, w := range want {
		req := e.request(t, fmt.Sprintf(`{"queryType":"details","packages":[%q]}`, w.pkg), 30)
		req.Database, req.Catalog = db, cat
		_, res, _ := e.run(t, req)
		if len(res.Rows) != 1 {
			t.Fatalf("%s: %d rows", w.pkg, len(res.Rows))
		}
		r := res.Rows[0]
		got := []any{column(t, res, r, "version"), column(t, res, r, "highest_version"), column(t, res, r, "author_email"), column(t, res, r, "repository_url")}
		if fmt.Sprint(got) != fmt.Sprint([]any{w.version, w.highest, w.email, w.repo}) {
			t.Errorf("%s: version, highest, e-mail, repository %q, want %q", w.pkg, got, []string{w.version, w.highest, w.email, w.repo})
		}
	}
	// The sample's packages: their versions only grow, so the latest
	// upload is also the highest; e-mails and home pages as generated.
	latest := map[string]sample.ProjectRow{}
	for _, r := range sample.Projects(e.cfg) {
		if old, ok := latest[r.Name]; !ok || r.UploadTime.After(old.UploadTime) {
			latest[r.Name] = r
		}
	}
	for _, pkg := range []string{"requests", e.truth.Drop, sample.HotPackage, e.truth.Emerging[0].Name} {
		_, res, _ := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"details","packages":[%q]}`, pkg), 30))
		r, l := res.Rows[0], latest[pkg]
		repo := l.HomePage
		if column(t, res, r, "version") != l.Version || column(t, res, r, "highest_version") != l.Version ||
			column(t, res, r, "author_email") != l.AuthorEmail || column(t, res, r, "repository_url") != repo {
			t.Errorf("%s: %v, want version %s, e-mail %q, repository %s", pkg, r, l.Version, l.AuthorEmail, repo)
		}
	}
}

func joinCols(cols []string) string {
	out := ""
	for i, c := range cols {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}
