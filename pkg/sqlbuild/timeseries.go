package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
)

// otherLabel names the series or row that sums everything outside a top N.
const otherLabel = "other"

// timeSeries counts downloads per bucket: one series per package (or one
// total), split by the breakdown's top values plus "other" when asked.
func (b *builder) timeSeries() (Statement, error) {
	g := ResolveGranularity(b.q.Granularity, b.from, b.to, b.req.Interval, b.req.MaxDataPoints)
	f := filterSet{packages: true, versions: true}
	byPackage := len(b.q.Packages) > 0
	if st, ok := b.monthlySeries(g); ok {
		return st, nil
	}
	var extra []string
	if b.q.Breakdown != "" {
		extra = append(extra, string(b.q.Breakdown))
	}
	src, err := b.source(b.needDated(f, extra...))
	if err != nil {
		return Statement{}, err
	}
	conds := b.conds(f, true)
	cols := []string{bucketExpr(g, "date") + " AS " + ColTime}
	keys := []string{ColTime}
	shape := Shape{
		Kind: KindTimeSeries, TimeColumn: ColTime, ValueColumn: ColValue, DataEndColumn: ColDataEnd,
		ValueName: "downloads", Start: b.from, End: b.to, Granularity: g, Packages: b.q.Packages,
	}
	if byPackage {
		cols = append(cols, "project AS "+ColPackage)
		keys = append(keys, ColPackage)
		shape.Labels = append(shape.Labels, Label{Column: ColPackage, Name: "package"})
	}
	if b.q.Breakdown != "" {
		dim := string(b.q.Breakdown)
		top := b.topValues(src, conds, dim, byPackage)
		cols = append(cols, fmt.Sprintf("if(%s, %s, '%s') AS %s", top, dim, otherLabel, ColBreak))
		keys = append(keys, ColBreak)
		shape.Labels = append(shape.Labels, Label{Column: ColBreak, Name: dim})
	}
	b.expectSeries(&shape)
	cols = append(cols, count(src)+" AS "+ColValue, b.dataEnd("date")+" AS "+ColDataEnd)
	return Statement{SQL: seriesSQL(cols, b.table(src.Table), conds, keys), Source: src, Granularity: g, Shape: shape}, nil
}

// topValues is a condition true for rows whose dim value is among the
// limit largest over the range: per package when byPackage, since each
// package has its own versions.
func (b *builder) topValues(src catalog.Source, conds []string, dim string, byPackage bool) string {
	lim := b.limit()
	if byPackage {
		return fmt.Sprintf("(project, %[1]s) IN (\n        SELECT project, %[1]s\n        FROM %[2]s%[3]s\n        GROUP BY project, %[1]s\n        ORDER BY %[4]s DESC, %[1]s\n        LIMIT %[5]s BY project)",
			dim, b.table(src.Table), indent(where(conds), 8), count(src), lim)
	}
	return fmt.Sprintf("%[1]s IN (\n        SELECT %[1]s\n        FROM %[2]s%[3]s\n        GROUP BY %[1]s\n        ORDER BY %[4]s DESC, %[1]s\n        LIMIT %[5]s)",
		dim, b.table(src.Table), indent(where(conds), 8), count(src), lim)
}

// dataEnd is the last date with data: the newest date any package was
// downloaded on, which the catalogue read, so a series whose downloads
// stop early still runs on with zeros to the same end (an alert then sees
// 0, not "no data"). The group's own newest date keeps a day loaded since
// the catalogue was read. Without a known span the rows' dates serve.
func (b *builder) dataEnd(dateCol string) string {
	if b.cat.DataKnown && !b.cat.Data.Empty() {
		return "greatest(" + b.p.date("data_end", b.cat.Data.Last) + ", max(" + dateCol + "))"
	}
	return "max(" + dateCol + ")"
}

// indent shifts every line after the first of a multi-line fragment.
func indent(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// seriesSQL is a long series' statement: cols from table under conds,
// grouped and ordered by keys.
func seriesSQL(cols []string, table string, conds, keys []string) string {
	return "SELECT\n    " + strings.Join(cols, ",\n    ") +
		"\nFROM " + table + where(conds) +
		"\nGROUP BY " + strings.Join(keys, ", ") +
		"\nORDER BY " + strings.Join(keys, ", ")
}
