package sqlbuild

import (
	"fmt"
	"strings"
	"time"
)

// summary gives, per package, the downloads on its last day with data in
// the range, the 7 and 30 days ending that day, and the whole range.
// Counting back from the package's own last date, not the wall clock, keeps
// the numbers whole while the newest day is still being loaded.
func (b *builder) summary() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	if st, ok, err := b.allTimeSummary(f); ok || err != nil {
		return st, err
	}
	src, err := b.source(b.needDated(f, "project"))
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

// allTimeSummary is summary when the range holds all of the packages'
// downloads and nothing but packages filters them: the total then comes
// from an undated summary, and the daily table is read only from 30 days
// before the earliest of the packages' last days. It needs each package's
// span (Request.Spans); ok is false when it does not apply.
func (b *builder) allTimeSummary(f filterSet) (Statement, bool, error) {
	covered, note := b.covers(f)
	spans, known := b.packagesSpan()
	if !covered || !known || b.narrowed() || spans.Empty() {
		return Statement{}, false, nil
	}
	var recent time.Time
	for _, p := range b.q.Packages {
		if s := b.req.Spans[p]; !s.Empty() && (recent.IsZero() || s.Last.AddDate(0, 0, -29).Before(recent)) {
			recent = s.Last.AddDate(0, 0, -29)
		}
	}
	reasons := len(b.reasons)
	total, err := b.source(b.need(f, "project"))
	if err != nil {
		return Statement{}, false, err
	}
	if dated(total) || total.Raw {
		b.reasons = b.reasons[:reasons]
		return Statement{}, false, nil
	}
	b.reasons[reasons] = total.Table + " (total): " + note + ", so the date is not needed; " +
		strings.TrimPrefix(b.reasons[reasons], total.Table+": ")
	daily, err := b.source(b.needDated(f, "project"))
	if err != nil {
		return Statement{}, false, err
	}
	b.reasons[len(b.reasons)-1] = daily.Table + " (last 30 days): " + strings.TrimPrefix(b.reasons[len(b.reasons)-1], daily.Table+": ")
	pkgs := b.p.strs("packages", b.q.Packages)
	sql := fmt.Sprintf(`SELECT
    r.package AS package,
    r.last_date AS last_date,
    r.last_day AS last_day,
    r.last_7_days AS last_7_days,
    r.last_30_days AS last_30_days,
    t.total AS total
FROM (
    SELECT
        package,
        last_date,
        sumIf(n, day = last_date) AS last_day,
        sumIf(n, day > last_date - 7) AS last_7_days,
        sumIf(n, day > last_date - 30) AS last_30_days
    FROM (
        SELECT
            project AS package,
            date AS day,
            %s AS n,
            max(date) OVER (PARTITION BY project) AS last_date
        FROM %s
        WHERE date >= %s
          AND project IN %s
        GROUP BY project, date
    )
    GROUP BY package, last_date
) AS r
LEFT JOIN (
    SELECT project, %s AS total
    FROM %s
    WHERE project IN %s
    GROUP BY project
) AS t ON t.project = r.package
ORDER BY indexOf(%s, package)`,
		count(daily), b.table(daily.Table), b.p.date("recent", recent), pkgs, count(total), b.table(total.Table), pkgs, pkgs)
	return tableStatement(sql, total), true, nil
}

// ranking places one package among all packages by downloads in the range.
// rank is 1 + the packages with more downloads, so tied packages share the
// best place (competition ranking); top_percent is 100 x rank / packages,
// ClickPy's "top N%"; percentile is the share of packages with strictly
// fewer downloads, in percent: tied packages are not beaten, so the least
// downloaded group gets 0. medal names ClickPy's badge: gold for the top
// 1%, silver for 10%, bronze for 25%, empty below.
func (b *builder) ranking() (Statement, error) {
	f := filterSet{}
	src, err := b.countSource(f, "project")
	if err != nil {
		return Statement{}, err
	}
	conds := b.conds(f, dated(src))
	sql := fmt.Sprintf(`SELECT
    package,
    downloads,
    position AS rank,
    packages,
    100 * position / packages AS top_percent,
    100 * (packages - at_least) / packages AS percentile,
    multiIf(top_percent <= 1, 'gold', top_percent <= 10, 'silver', top_percent <= 25, 'bronze', '') AS medal
FROM (
    SELECT
        project AS package,
        %s AS downloads,
        rank() OVER (ORDER BY downloads DESC) AS position,
        count() OVER (ORDER BY downloads DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS at_least,
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
	src, err := b.countSource(f, "project")
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT\n    project AS package,\n    %s AS downloads\nFROM %s%s\nGROUP BY project\nORDER BY downloads DESC, package\nLIMIT %s",
		count(src), b.table(src.Table), where(b.conds(f, dated(src))), b.limit())
	return tableStatement(sql, src), nil
}

// totals counts downloads and distinct packages in the range.
func (b *builder) totals() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	src, err := b.countSource(f, "project")
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT\n    %s AS downloads,\n    toInt64(uniqExact(project)) AS packages\nFROM %s%s",
		count(src), b.table(src.Table), where(b.conds(f, dated(src))))
	return tableStatement(sql, src), nil
}
