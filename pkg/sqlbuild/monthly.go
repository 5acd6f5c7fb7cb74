package sqlbuild

import (
	"fmt"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// monthlySeries is a time series of month buckets read from
// pypi_downloads_per_month, when that table answers it exactly: no filter
// but packages, no breakdown, every bucket a month the table holds whole
// (catalog.MonthlyWindowStart), and the range's edge months whole too: the
// range starts on the 1st or before the first download, and ends on a
// month's last day or after the last download.
func (b *builder) monthlySeries(g querymodel.Granularity) (Statement, bool) {
	src, ok := b.cat.Monthly()
	if !ok || g != querymodel.Month || b.q.Breakdown != "" || b.narrowed() {
		return Statement{}, false
	}
	// Packages without downloads count nothing from either table.
	span, known := b.packagesSpan()
	if !known || span.Empty() {
		span, known = b.cat.Data, b.cat.DataKnown
	}
	if !known || span.Empty() {
		return Statement{}, false
	}
	first := BucketStart(querymodel.Month, b.from)
	if !b.from.Equal(first) && span.First.Before(b.from) {
		return Statement{}, false
	}
	if !b.to.Equal(monthEnd(b.to)) && b.to.Before(span.Last) {
		return Statement{}, false
	}
	start := first
	if span.First.After(b.from) {
		start = BucketStart(querymodel.Month, span.First)
	}
	window := catalog.MonthlyWindowStart(b.now())
	if start.Before(window) {
		return Statement{}, false
	}
	b.reasons = append(b.reasons, fmt.Sprintf("%s: every month bucket from %s lies inside its window of whole months (from %s)",
		src.Table, start.Format("2006-01"), window.Format("2006-01")))

	shape := Shape{
		Kind: KindTimeSeries, TimeColumn: ColTime, ValueColumn: ColValue, DataEndColumn: ColDataEnd,
		ValueName: "downloads", Start: b.from, End: b.to, Granularity: g, Packages: b.q.Packages,
	}
	cols := []string{"month AS " + ColTime}
	keys := []string{ColTime}
	conds := []string{"month >= " + b.p.date("from_month", first), "month <= " + b.p.date("to_month", BucketStart(querymodel.Month, b.to))}
	if len(b.q.Packages) > 0 {
		cols = append(cols, "project AS "+ColPackage)
		keys = append(keys, ColPackage)
		shape.Labels = []Label{{Column: ColPackage, Name: "package"}}
		conds = append(conds, "project IN "+b.p.strs("packages", b.q.Packages))
	}
	b.expectSeries(&shape)
	cols = append(cols, count(src)+" AS "+ColValue, b.dataEnd("month")+" AS "+ColDataEnd)
	return Statement{SQL: seriesSQL(cols, b.table(src.Table), conds, keys), Source: src, Granularity: g, Shape: shape}, true
}

// monthEnd is the last day of t's month.
func monthEnd(t time.Time) time.Time {
	return NextBucket(querymodel.Month, BucketStart(querymodel.Month, t)).AddDate(0, 0, -1)
}
