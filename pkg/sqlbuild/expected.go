package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// expectSeries sets which series a time series answers even when they
// have no row, and where their buckets end: a package the database has
// downloads of (at any time: its span from Request.Spans) gets zeros in
// every bucket it has no downloads in, alone or beside others, through the
// last date with data; a package it has none of gets no series and a
// notice naming it. A package whose span was not read counts as existing.
// The total (no packages) is one series whenever the database has data.
// With a breakdown there is no value to give zeros to: such a package has
// no series, and the frame no buckets when no package has a row.
func (b *builder) expectSeries(sh *Shape) {
	var missing []string
	switch {
	case len(b.q.Packages) == 0:
		if b.q.Breakdown == "" {
			sh.Expected = []map[string]string{{}}
		}
	default:
		for _, p := range b.q.Packages {
			if s, read := b.req.Spans[p]; read && s.Empty() {
				missing = append(missing, querymodel.Quote(p))
				continue
			}
			if b.q.Breakdown == "" {
				sh.Expected = append(sh.Expected, map[string]string{"package": p})
			}
		}
	}
	if len(sh.Expected) > 0 && b.cat.DataKnown && !b.cat.Data.Empty() {
		sh.DataEnd = b.cat.Data.Last
	}
	if len(missing) > 0 {
		what := "package"
		if len(missing) > 1 {
			what = "packages"
		}
		b.notices = append(b.notices, fmt.Sprintf("no downloads of %s %s in database %s: no such package, or none of its downloads loaded",
			what, strings.Join(missing, ", "), b.db))
	}
}
