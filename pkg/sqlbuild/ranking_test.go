package sqlbuild_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// testRanking compares rank, top_percent, percentile and medal with counts
// over the raw table, for the top package, packages in the middle, and the
// least downloaded ones, which are tied with many others.
func (e *engine) testRanking(t *testing.T) {
	ctx := context.Background()
	const days = 60
	from := e.truth.End.AddDate(0, 0, -(days - 1))
	pctx := clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{
		"from": from.Format(time.DateOnly), "to": e.truth.End.Format(time.DateOnly)}))
	per := fmt.Sprintf("SELECT project, count() AS n FROM %s.pypi WHERE date >= {from:Date} AND date <= {to:Date} GROUP BY project", e.db)
	rows, err := e.conn.Query(pctx, per)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	for rows.Next() {
		var p string
		var n uint64
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		counts[p] = n
	}
	rows.Close()
	var pick []string
	var least string
	ties := 0
	for p, n := range counts {
		if least == "" || n < counts[least] || n == counts[least] && p < least {
			least = p
		}
	}
	for _, n := range counts {
		if n == counts[least] {
			ties++
		}
	}
	if ties < 3 {
		t.Fatalf("the least downloaded package %s (%d) is tied with only %d: the tie case proves nothing", least, counts[least], ties)
	}
	pick = append(pick, least, "requests", e.truth.Drop, "numpy")
	total := float64(len(counts))
	for _, pkg := range pick {
		var more, fewer int
		for _, n := range counts {
			switch {
			case n > counts[pkg]:
				more++
			case n < counts[pkg]:
				fewer++
			}
		}
		wantRank := int64(more + 1)
		wantTop := 100 * float64(wantRank) / total
		wantPct := 100 * float64(fewer) / total
		medal := ""
		switch {
		case wantTop <= 1:
			medal = "gold"
		case wantTop <= 10:
			medal = "silver"
		case wantTop <= 25:
			medal = "bronze"
		}
		_, res, f := e.run(t, e.request(t, fmt.Sprintf(`{"queryType":"ranking","packages":[%q]}`, pkg), days))
		if len(res.Rows) != 1 {
			t.Fatalf("%s: %d rows", pkg, len(res.Rows))
		}
		row := res.Rows[0]
		got := num(t, res, row, "rank")
		top := column(t, res, row, "top_percent").(float64)
		pct := column(t, res, row, "percentile").(float64)
		if got != wantRank || num(t, res, row, "packages") != int64(total) ||
			math.Abs(top-wantTop) > 1e-9 || math.Abs(pct-wantPct) > 1e-9 || column(t, res, row, "medal") != medal {
			t.Errorf("%s (%d downloads): rank %d of %d, top %.4f%%, percentile %.4f, medal %q; raw: rank %d of %.0f, top %.4f%%, percentile %.4f, medal %q",
				pkg, counts[pkg], got, num(t, res, row, "packages"), top, pct, column(t, res, row, "medal"), wantRank, total, wantTop, wantPct, medal)
		}
		if pkg == least && pct != 0 {
			t.Errorf("%s, tied for the fewest downloads, beats %.2f%%", pkg, pct)
		}
		if f.Fields[4].Config == nil || f.Fields[4].Config.Unit != "percent" {
			t.Errorf("top_percent has no percent unit")
		}
	}
	// A versions filter is not applied; the frame says so.
	_, _, f := e.run(t, e.request(t, `{"queryType":"ranking","packages":["requests"],"versions":["1.0"]}`, days))
	found := false
	for _, n := range f.Meta.Notices {
		found = found || strings.Contains(n.Text, "ignores the versions filter")
	}
	if !found {
		t.Errorf("ranking with versions: no notice naming the ignored filter: %+v", f.Meta.Notices)
	}
}
