package sqlbuild

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// A count whose range holds every download it could count needs no date:
// the undated summaries (pypi_downloads, pypi_downloads_by_version) then
// answer, which at ClickPy's scale read a thousand times fewer rows than
// the daily ones. The data's days come from the catalogue; a query on
// named packages may bring theirs (Request.Spans), since their data is
// usually far shorter than all of it.

// packagesSpan is the union of the query's packages' spans, when the
// request brought every one of them.
func (b *builder) packagesSpan() (catalog.Span, bool) {
	var u catalog.Span
	if len(b.q.Packages) == 0 {
		return u, false
	}
	for _, p := range b.q.Packages {
		s, ok := b.req.Spans[p]
		if !ok {
			return u, false
		}
		u = u.Union(s)
	}
	return u, true
}

// covers tells whether the range holds every download a count with these
// filters could read: all of the named packages' when the count keeps the
// package filter, else all of the data. The note says so for the reason.
func (b *builder) covers(f filterSet) (bool, string) {
	if b.q.AllTime {
		return true, "allTime counts the whole span of the data"
	}
	if f.packages {
		if s, ok := b.packagesSpan(); ok && s.Within(b.from, b.to) {
			return true, fmt.Sprintf("the range holds every download of %s%s", strings.Join(b.q.Packages, ", "), spanText(s))
		}
	}
	if b.cat.DataKnown && b.cat.Data.Within(b.from, b.to) {
		return true, "the range holds all of the data" + spanText(b.cat.Data)
	}
	return false, ""
}

func spanText(s catalog.Span) string {
	if s.Empty() {
		return " (none)"
	}
	return fmt.Sprintf(" (%s to %s)", s.First.Format(time.DateOnly), s.Last.Format(time.DateOnly))
}

// allTimeRange is the range an allTime query counts over: the packages'
// first day (else the data's) to the data's last day. Without a known
// span a time series keeps the panel's range, anything else takes every
// date ClickHouse can hold.
func (b *builder) allTimeRange() (from, to time.Time) {
	s := b.cat.Data
	if !b.cat.DataKnown {
		s = catalog.Span{}
	}
	if p, ok := b.packagesSpan(); ok && !p.Empty() {
		s.First = p.First
		if s.Last.IsZero() {
			s.Last = p.Last
		}
	}
	switch {
	case !s.Empty():
		return s.First, s.Last
	case b.q.Type == querymodel.TimeSeries:
		return b.from, b.to
	}
	return minDate(), maxDate()
}

// SpanPackages lists the packages whose first and last days would change
// how the request is answered: a count restricted to them that the
// catalogue's span of all the data does not already settle. The caller
// reads them (catalog.ReadSpans) into Request.Spans; without them the
// query is still right, only dearer.
func SpanPackages(req Request) []string {
	q := req.Query
	if len(q.Packages) == 0 || req.Catalog == nil {
		return nil
	}
	switch q.Type {
	case querymodel.Summary:
		// Its all-time total needs each package's last day.
		if narrowed(q) {
			return nil
		}
	case querymodel.TimeSeries:
		// Buckets start at the packages' first day over all time; month
		// buckets may come from the monthly table when whole; and a
		// package without any download gets a notice instead of zeros.
	case querymodel.Breakdown, querymodel.TopPackages, querymodel.Totals:
		if q.AllTime || req.Catalog.DataKnown && req.Catalog.Data.Within(Day(req.From), Day(req.To)) {
			return nil
		}
	case querymodel.VariableQuery:
		if q.Variable != querymodel.VarDimension || q.AllTime ||
			req.Catalog.DataKnown && req.Catalog.Data.Within(Day(req.From), Day(req.To)) {
			return nil
		}
	default:
		return nil
	}
	return slices.Clone(q.Packages)
}
