package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Columns of the adoption table.
const (
	ColVersion    = "version"
	ColUploaded   = "uploaded"
	ColDaysToHalf = "days_to_half"
	ColPeakShare  = "peak_share"
	ColLastShare  = "last_share"
)

// adoptionHalf is the share of a day's downloads a release reaching it
// has taken over.
const adoptionHalf = 0.5

// adoption answers, per release of one package downloaded in the range:
// its upload time, the days from its upload day to the first day it had
// half of the package's downloads (null when it never did, or was
// uploaded before the range, whose first days are then unseen), its
// highest daily share, its share on the range's last day with data, and
// its downloads in the range. Newest upload first.
func (b *builder) adoption() (Statement, error) {
	if err := b.requireTable(schema.ProjectsTable); err != nil {
		return Statement{}, err
	}
	f := filterSet{packages: true}
	src, err := b.source(b.needDated(f, "project", "version"))
	if err != nil {
		return Statement{}, err
	}
	from := b.p.date("from", b.from)
	sql := fmt.Sprintf(`WITH
    shares AS (
        SELECT date, version, n, n / sum(n) OVER (PARTITION BY date) AS share,
            max(date) OVER () AS last_date
        FROM (
            SELECT date, version, toFloat64(%[1]s) AS n
            FROM %[2]s%[3]s
            GROUP BY date, version
        )
    ),
    uploads AS (
        SELECT version, min(upload_time) AS uploaded
        FROM %[4]s
        WHERE %[5]s
        GROUP BY version
    )
SELECT
    s.version AS %[6]s,
    u.uploaded AS %[7]s,
    if(u.uploaded IS NULL OR toDate(u.uploaded) < %[8]s OR countIf(s.date >= toDate(u.uploaded) AND s.share >= %[9]g) = 0,
        NULL, toInt64(dateDiff('day', toDate(u.uploaded), minIf(s.date, s.date >= toDate(u.uploaded) AND s.share >= %[9]g)))) AS %[10]s,
    max(s.share) AS %[11]s,
    sumIf(s.share, s.date = s.last_date) AS %[12]s,
    toInt64(sum(s.n)) AS %[13]s
FROM shares AS s
LEFT JOIN uploads AS u ON u.version = s.version
GROUP BY s.version, u.uploaded
ORDER BY u.uploaded DESC NULLS LAST, %[6]s DESC
LIMIT %[14]s`,
		src.CountExpr, b.table(src.Table), indent(where(b.conds(f, true)), 12),
		b.table(schema.ProjectsTable), b.projectMatch(),
		ColVersion, ColUploaded, from, adoptionHalf, ColDaysToHalf, ColPeakShare, ColLastShare, ColDownloads, b.limit())
	return tableStatement(sql, src), nil
}

// pythonSupport answers a time series per package: the share of its
// downloads with a known Python minor that ran on a minor older than
// minPython, the number that says whether dropping those is safe. Null
// in buckets without a download of known Python.
func (b *builder) pythonSupport() (Statement, error) {
	g := ResolveGranularity(b.q.Granularity, b.from, b.to, b.req.Interval, b.req.MaxDataPoints)
	f := filterSet{packages: true, versions: true}
	src, err := b.source(b.needDated(f, "project", "python_minor"))
	if err != nil {
		return Statement{}, err
	}
	major, minor, ok := querymodel.ParseMinor(b.q.MinPython)
	if !ok {
		return Statement{}, fmt.Errorf("minPython: want a Python minor version such as 3.10, got %q", b.q.MinPython)
	}
	parts := "splitByChar('.', python_minor)"
	known := fmt.Sprintf("toUInt32OrNull(%[1]s[1]) IS NOT NULL AND toUInt32OrNull(%[1]s[2]) IS NOT NULL", parts)
	older := fmt.Sprintf("(toUInt32OrNull(%[1]s[1]), toUInt32OrNull(%[1]s[2])) < (%[2]s, %[3]s)", parts,
		b.p.uint("min_major", major), b.p.uint("min_minor", minor))
	cols := []string{
		bucketExpr(g, "date") + " AS " + ColTime,
		"project AS " + ColPackage,
		fmt.Sprintf("toFloat64(%s) / nullIf(toFloat64(%s), 0) AS %s", src.CountIf(known+" AND "+older), src.CountIf(known), ColValue),
		b.dataEnd("date") + " AS " + ColDataEnd,
	}
	sql := "SELECT\n    " + strings.Join(cols, ",\n    ") +
		"\nFROM " + b.table(src.Table) + where(b.conds(f, true)) +
		"\nGROUP BY " + ColTime + ", " + ColPackage +
		"\nORDER BY " + ColTime + ", " + ColPackage
	shape := Shape{
		Kind: KindFloatSeries, TimeColumn: ColTime, ValueColumn: ColValue, DataEndColumn: ColDataEnd,
		ValueName: "share", Start: b.from, End: b.to, Granularity: g, Packages: b.q.Packages,
		Labels: []Label{{Column: ColPackage, Name: "package"}},
	}
	for _, p := range b.q.Packages {
		shape.Expected = append(shape.Expected, map[string]string{"package": p})
	}
	return Statement{SQL: sql, Source: src, Granularity: g, Shape: shape}, nil
}
