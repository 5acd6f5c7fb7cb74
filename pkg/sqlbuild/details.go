package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// repositoryLabels are the project_urls labels that name a source
// repository, lower-cased ("Source, https://github.com/psf/requests").
func repositoryLabels() []string {
	return []string{"source", "source code", "sources", "repository", "code", "github", "gitlab", "git"}
}

// repositoryHosts is a pattern for URLs of a repository on the forges most
// projects use, for projects whose URLs carry no repository label.
const repositoryHosts = `^https?://(www[.])?(github[.]com|gitlab[.]com|bitbucket[.]org|codeberg[.]org)/[^/]+/[^/]+`

// repositoryURL is SQL for a project's repository URL from its latest
// upload's project_urls (urls) and home page (home): the first URL labelled
// as the source, else the first URL, home page last, on a known forge, cut
// to its owner and name; trailing slashes and ".git" dropped. Empty when
// none.
func repositoryURL(urls, home string) string {
	labels := make([]string, len(repositoryLabels()))
	for i, l := range repositoryLabels() {
		labels[i] = schema.QuoteString(l)
	}
	url := "trimBoth(substring(e, position(e, ',') + 1))"
	labelled := fmt.Sprintf("arrayMap(e -> %s, arrayFilter(e -> position(e, ',') > 0 AND lower(trimBoth(splitByChar(',', e)[1])) IN (%s), %s))",
		url, strings.Join(labels, ", "), urls)
	all := fmt.Sprintf("arrayConcat(arrayMap(e -> if(position(e, ',') > 0, %s, trimBoth(e)), %s), [%s])", url, urls, home)
	// A forge URL is cut to its owner and name: ".../issues" is not the
	// repository.
	forge := fmt.Sprintf("arrayMap(u -> extract(u, '^(https?://[^/]+/[^/]+/[^/?#]+)'), arrayFilter(u -> match(u, '%s'), %s))", repositoryHosts, all)
	first := fmt.Sprintf("arrayFirst(u -> u != '', arrayConcat(%s, %s))", labelled, forge)
	return "replaceRegexpOne(" + first + ", '(/|[.]git)+$', '')"
}

// details describes a package: its latest upload's metadata (version,
// summary, author and e-mail, license, home page, repository URL), its
// highest version in PEP 440 order, which a backport can make differ from
// the latest upload's, and its first and last download dates. It always
// returns one row; dates are NULL and texts empty for a package the tables
// do not know.
func (b *builder) details() (Statement, error) {
	if err := b.requireTable(schema.ProjectsTable); err != nil {
		return Statement{}, err
	}
	pkg := b.p.str("package", b.q.Packages[0])
	var dates string
	var src catalog.Source
	if b.cat.Has(schema.MaxMinDates) {
		dates = fmt.Sprintf("SELECT minOrNull(min_date) AS first_download, maxOrNull(max_date) AS last_download\n    FROM %s\n    WHERE project = %s",
			b.table(schema.MaxMinDates), pkg)
	} else {
		s, err := b.source([]string{"date", "project"})
		if err != nil {
			return Statement{}, err
		}
		src = s
		dates = fmt.Sprintf("SELECT minOrNull(date) AS first_download, maxOrNull(date) AS last_download\n    FROM %s\n    WHERE project = %s",
			b.table(s.Table), pkg)
	}
	var latest []string
	for _, c := range []string{"version", "summary", "author", "author_email", "license", "home_page", "project_urls"} {
		latest = append(latest, fmt.Sprintf("argMax(%s, upload_time) AS latest_%s", c, c))
	}
	latest = append(latest, "argMax(version, "+versionKey("version", "version_groups")+") AS highest_version")
	sql := fmt.Sprintf(`SELECT
    %s AS package,
    p.latest_version AS version,
    p.highest_version AS highest_version,
    p.latest_summary AS summary,
    p.latest_author AS author,
    p.latest_author_email AS author_email,
    p.latest_license AS license,
    p.latest_home_page AS home_page,
    %s AS repository_url,
    p.last_upload AS last_upload,
    d.first_download AS first_download,
    d.last_download AS last_download
FROM (
    SELECT
        %s,
        maxOrNull(upload_time) AS last_upload
    FROM %s
    WHERE %s
) AS p
CROSS JOIN (
    %s
) AS d
WHERE p.last_upload IS NOT NULL OR d.last_download IS NOT NULL`, pkg, repositoryURL("p.latest_project_urls", "p.latest_home_page"),
		strings.Join(latest, ",\n        "), b.table(schema.ProjectsTable), b.projectMatch(), dates)
	st := tableStatement(sql, src)
	st.EmptyNotice = "no such package: " + querymodel.Quote(b.q.Packages[0]) + " has no release and no downloads in the database"
	return st, nil
}
