package sqlbuild

import (
	"fmt"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

const (
	// emergingMonths is how recent a first download must be, counted back
	// from the last date with data in the range.
	emergingMonths = 3
	// popularPool is how many of the most downloaded packages
	// needing_refresh looks at.
	popularPool = 1000
	// staleMonths is how old, before the range's end, a package's latest
	// upload must be for needing_refresh.
	staleMonths = 6
	// defaultMinDownloads is hot's floor on last month's downloads.
	defaultMinDownloads = 1000
)

// emerging lists packages first downloaded within the last three months of
// data, most downloaded in the range first.
func (b *builder) emerging() (Statement, error) {
	f := filterSet{}
	src, err := b.countSource(f, "project")
	if err != nil {
		return Statement{}, err
	}
	// First downloads come from the max/min table when present, else from
	// the smallest table with dates per project.
	firstTable, firstCol, lastCol := schema.MaxMinDates, "min(min_date)", "max(max_date)"
	if !b.cat.Has(schema.MaxMinDates) {
		first, err := b.source([]string{"date", "project"})
		if err != nil {
			return Statement{}, err
		}
		firstTable, firstCol, lastCol = first.Table, "min(date)", "max(date)"
		b.notices = append(b.notices, fmt.Sprintf("database %s has no %s table: first downloads are read from %s",
			b.db, schema.MaxMinDates, first.Table))
	}
	// Of data, not of the range: the range may end after the last load.
	firsts := fmt.Sprintf(`WITH least(%s, (SELECT %s FROM %s)) AS data_end
    SELECT project AS package, %s AS first_download
    FROM %s
    GROUP BY project
    HAVING first_download > data_end - INTERVAL %d MONTH AND first_download <= data_end`,
		b.p.date("to", b.to), lastCol, b.table(firstTable), firstCol, b.table(firstTable), emergingMonths)
	conds := append(b.conds(f, dated(src)), "project IN (\n    SELECT package FROM (\n        "+indent(firsts, 4)+"\n    ))")
	sql := fmt.Sprintf(`SELECT
    d.package AS package,
    e.first_download AS first_download,
    d.downloads AS downloads
FROM (
    SELECT project AS package, %s AS downloads
    FROM %s%s
    GROUP BY project
) AS d
INNER JOIN (
    %s
) AS e ON e.package = d.package
ORDER BY downloads DESC, package
LIMIT %s`,
		count(src), b.table(src.Table), indent(where(conds), 4), firsts, b.limit())
	return tableStatement(sql, src), nil
}

// needingRefresh lists popular packages (the most downloaded in the
// range) whose latest upload is more than six months older than the
// range's end.
func (b *builder) needingRefresh() (Statement, error) {
	src, f, err := b.projectsWithCounts()
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf(`SELECT
    d.package AS package,
    d.downloads AS downloads,
    p.latest_version AS latest_version,
    p.last_upload AS last_upload
FROM (
    SELECT
        %s AS package,
        max(upload_time) AS last_upload,
        argMax(version, upload_time) AS latest_version
    FROM %s
    GROUP BY package
) AS p
INNER JOIN (
    SELECT project AS package, %s AS downloads
    FROM %s%s
    GROUP BY project
    ORDER BY downloads DESC, package
    LIMIT %s
) AS d ON d.package = p.package
WHERE toDate(p.last_upload) < %s - INTERVAL %d MONTH
ORDER BY downloads DESC, package
LIMIT %s`,
		normName("name"), b.table(schema.ProjectsTable), count(src), b.table(src.Table),
		indent(where(b.conds(f, dated(src))), 4), b.p.uint("pool", popularPool), b.p.date("to", b.to), staleMonths, b.limit())
	return tableStatement(sql, src), nil
}

// hotMonths returns the last complete month of the range and the one
// before: the range's end month if it ends on its last day, else the month
// before that.
func hotMonths(to time.Time) (last, prev time.Time) {
	next := to.AddDate(0, 0, 1)
	last = time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return last, last.AddDate(0, -1, 0)
}

// hot ranks packages by growth from the month before the range's last
// complete month to that month, among packages with at least minDownloads
// in it. growth is the ratio minus one (2 means three times as many).
func (b *builder) hot() (Statement, error) {
	last, prev := hotMonths(b.to)
	minDl := b.q.MinDownloads
	if minDl == 0 {
		minDl = defaultMinDownloads
	}
	f := filterSet{packages: true, versions: true}
	var src catalog.Source
	var from, monthExpr string
	var conds []string
	if monthly, ok := b.cat.Monthly(); ok && !b.narrowed() && !prev.Before(catalog.MonthlyWindowStart(b.now())) {
		src = monthly
		b.reasons = append(b.reasons, monthly.Table+": both months lie inside its window of whole months")
		from, monthExpr = b.table(schema.PerMonth), "month"
		conds = append(conds, "month IN ("+b.p.date("prev_month", prev)+", "+b.p.date("last_month", last)+")")
		if len(b.q.Packages) > 0 {
			conds = append(conds, "project IN "+b.p.strs("packages", b.q.Packages))
		}
	} else {
		s, err := b.source(b.needDated(f, "project"))
		if err != nil {
			return Statement{}, err
		}
		src = s
		from, monthExpr = b.table(s.Table), "toStartOfMonth(date)"
		conds = append(conds, "date >= "+b.p.date("prev_month", prev),
			"date < "+b.p.date("last_month", last)+" + INTERVAL 1 MONTH")
		conds = append(conds, b.conds(f, false)...)
	}
	sql := fmt.Sprintf(`SELECT
    package,
    %s AS month,
    downloads,
    previous,
    downloads / previous - 1 AS growth
FROM (
    SELECT
        project AS package,
        %s AS downloads,
        %s AS previous
    FROM %s%s
    GROUP BY project
)
WHERE downloads >= %s AND previous > 0
ORDER BY growth DESC, package
LIMIT %s`,
		b.p.date("last_month", last), countIf(src, monthExpr+" = "+b.p.date("last_month", last)),
		countIf(src, monthExpr+" = "+b.p.date("prev_month", prev)),
		from, indent(where(conds), 4), b.p.uint("min_downloads", uint64(minDl)), b.limit())
	return tableStatement(sql, src), nil
}
