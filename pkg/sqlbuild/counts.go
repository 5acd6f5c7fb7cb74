package sqlbuild

import (
	"fmt"
)

// summary gives, per package, the downloads on its last day with data in
// the range, the 7 and 30 days ending that day, and the whole range.
// Counting back from the package's own last date, not the wall clock, keeps
// the numbers whole while the newest day is still being loaded.
func (b *builder) summary() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	src, err := b.source(b.need(f, "project"))
	if err != nil {
		return Statement{}, err
	}
	conds := b.conds(f, true)
	sql := fmt.Sprintf(`SELECT
    package,
    last_date,
    sumIf(n, day = last_date) AS last_day,
    sumIf(n, day > last_date - 7) AS last_7_days,
    sumIf(n, day > last_date - 30) AS last_30_days,
    sum(n) AS total
FROM (
    SELECT
        project AS package,
        date AS day,
        %s AS n,
        max(date) OVER (PARTITION BY project) AS last_date
    FROM %s%s
    GROUP BY project, date
)
GROUP BY package, last_date
ORDER BY indexOf(%s, package)`,
		count(src), b.table(src.Table), indent(where(conds), 4), b.p.strs("packages", b.q.Packages))
	return tableStatement(sql, src), nil
}

// ranking places one package among all packages by downloads in the range.
// percentile is the share of packages with fewer downloads, in percent.
func (b *builder) ranking() (Statement, error) {
	f := filterSet{}
	src, err := b.source(b.need(f, "project"))
	if err != nil {
		return Statement{}, err
	}
	conds := b.conds(f, true)
	sql := fmt.Sprintf(`SELECT
    package,
    downloads,
    position AS rank,
    packages,
    100 * (packages - position) / packages AS percentile
FROM (
    SELECT
        project AS package,
        %s AS downloads,
        rank() OVER (ORDER BY downloads DESC) AS position,
        count() OVER () AS packages
    FROM %s%s
    GROUP BY project
)
WHERE package = %s`,
		count(src), b.table(src.Table), indent(where(conds), 4), b.p.str("package", b.q.Packages[0]))
	return tableStatement(sql, src), nil
}

// topPackages lists the most downloaded packages in the range.
func (b *builder) topPackages() (Statement, error) {
	f := filterSet{packages: true}
	src, err := b.source(b.need(f, "project"))
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT\n    project AS package,\n    %s AS downloads\nFROM %s%s\nGROUP BY project\nORDER BY downloads DESC, package\nLIMIT %s",
		count(src), b.table(src.Table), where(b.conds(f, true)), b.limit())
	return tableStatement(sql, src), nil
}

// totals counts downloads and distinct packages in the range.
func (b *builder) totals() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	src, err := b.source(b.need(f, "project"))
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT\n    %s AS downloads,\n    toInt64(uniqExact(project)) AS packages\nFROM %s%s",
		count(src), b.table(src.Table), where(b.conds(f, true)))
	return tableStatement(sql, src), nil
}
