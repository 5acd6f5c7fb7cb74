package datasource_test

// Case generation for the randomized ground-truth test (groundtruth_test.go).

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// gtFilters are a case's filters, as the query JSON carries them.
type gtFilters struct {
	Versions, Countries, Installers, PythonMinors, Systems, Types []string
	ExcludeMirrors                                                bool
}

// gtCase is one randomized query and what the plugin is asked.
type gtCase struct {
	ID        int
	Type      string // timeseries, breakdown, summary, top_packages, totals
	Packages  []string
	F         gtFilters
	Breakdown string // timeseries only
	Dimension string // breakdown only
	Limit     int    // effective limit (10 when the JSON omits it)
	LimitSet  bool
	Gran      string // as sent: auto, day, week, month, or "" (omitted: auto)
	From, To  time.Time
	Interval  time.Duration
	MaxDP     int64
	AllTime   bool // counts over all the data, whatever the range
}

// model is the query JSON the case sends.
func (c gtCase) model() map[string]any {
	m := map[string]any{"queryType": c.Type, "refId": c.refID()}
	if len(c.Packages) > 0 {
		m["packages"] = c.Packages
	}
	add := func(k string, v []string) {
		if len(v) > 0 {
			m[k] = v
		}
	}
	add("versions", c.F.Versions)
	add("countries", c.F.Countries)
	add("installers", c.F.Installers)
	add("python_minors", c.F.PythonMinors)
	add("systems", c.F.Systems)
	add("types", c.F.Types)
	if c.F.ExcludeMirrors {
		m["excludeMirrors"] = true
	}
	if c.Breakdown != "" {
		m["breakdown"] = c.Breakdown
	}
	if c.Dimension != "" {
		m["dimension"] = c.Dimension
	}
	if c.LimitSet {
		m["limit"] = c.Limit
	}
	if c.Gran != "" {
		m["granularity"] = c.Gran
	}
	if c.AllTime {
		m["allTime"] = true
	}
	return m
}

func (c gtCase) refID() string { return fmt.Sprintf("C%d", c.ID) }

func (c gtCase) dataQuery() backend.DataQuery {
	raw, _ := json.Marshal(c.model())
	return backend.DataQuery{RefID: c.refID(), QueryType: c.Type, JSON: raw, MaxDataPoints: c.MaxDP,
		Interval: c.Interval, TimeRange: backend.TimeRange{From: c.From, To: c.To}}
}

// String is what a failure prints: the JSON and the range.
func (c gtCase) String() string {
	raw, _ := json.Marshal(c.model())
	return fmt.Sprintf("case %d: %s\n    range %s .. %s (days %s..%s), interval %s, maxDataPoints %d",
		c.ID, raw, c.From.Format(time.RFC3339), c.To.Format(time.RFC3339),
		gtDay(c.From).Format(time.DateOnly), gtDay(c.To).Format(time.DateOnly), c.Interval, c.MaxDP)
}

// gtPkgValues are the values each filterable column takes for a package.
type gtPkgValues struct {
	rows int64
	vals map[string][]string // column -> distinct values
}

// gtColumns are the filterable columns, as in the raw table.
func gtColumns() []string {
	return []string{"version", "country_code", "installer", "python_minor", "system", "type"}
}

// gtPool is what cases draw from.
type gtPool struct {
	popular  []string
	longTail []string
	values   map[string]gtPkgValues
	start    time.Time // first day with data
	end      time.Time // last day with data
}

// loadPool picks the candidate packages (the sample's most popular ones,
// its designated shapes and a spread of the long tail) and reads, from the
// raw table, the values each has in every filterable column.
func gtLoadPool(ctx context.Context, db string, rng *rand.Rand) (*gtPool, error) {
	truth, err := sample.Expect(shared.cfg)
	if err != nil {
		return nil, err
	}
	p := &gtPool{values: map[string]gtPkgValues{}}
	p.popular = append(p.popular, truth.Packages[:25]...)
	for _, extra := range append([]string{truth.Hot, truth.Drop}, sample.NeedingRefresh()[:2]...) {
		if !slices.Contains(p.popular, extra) {
			p.popular = append(p.popular, extra)
		}
	}
	for _, e := range truth.Emerging[:2] {
		p.longTail = append(p.longTail, e.Name)
	}
	tail := truth.Packages[100:]
	for _, i := range rng.Perm(len(tail))[:25] {
		p.longTail = append(p.longTail, tail[i])
	}
	all := append(slices.Clone(p.popular), p.longTail...)
	q := "SELECT project, count()"
	for _, c := range gtColumns() {
		q += fmt.Sprintf(", arraySort(groupUniqArray(toString(%s)))", c)
	}
	q += " FROM " + db + ".pypi WHERE project IN @pool GROUP BY project"
	rows, err := shared.conn.Query(ctx, q, clickhouse.Named("pool", all))
	if err != nil {
		return nil, fmt.Errorf("reading candidate values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n uint64
		lists := make([][]string, len(gtColumns()))
		dest := []any{&name, &n}
		for i := range lists {
			dest = append(dest, &lists[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		v := gtPkgValues{rows: int64(n), vals: map[string][]string{}}
		for i, c := range gtColumns() {
			v.vals[c] = lists[i]
		}
		p.values[name] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A long-tail package without rows is still a fine candidate (it must
	// come back as zeros or nothing), but most should have some.
	if len(p.values) < len(all)/2 {
		return nil, fmt.Errorf("only %d of %d candidate packages have downloads", len(p.values), len(all))
	}
	var lo, hi time.Time
	if err := shared.conn.QueryRow(ctx, "SELECT min(date), max(date) FROM "+db+".pypi").Scan(&lo, &hi); err != nil {
		return nil, err
	}
	p.start, p.end = lo.UTC(), hi.UTC()
	return p, nil
}

// gtMissing are filter values no download has.
var gtMissing = map[string][]string{
	"version":      {"0.0.0.dev999", "99.99.99"},
	"country_code": {"ZZ", "XX"},
	"installer":    {"nosuch-installer", "PIP"},
	"python_minor": {"3.99", "1.5"},
	"system":       {"Plan9", "linux"},
	"type":         {"bdist_rpm", "wheel"},
}

// gtDims are the breakdown dimensions of timeseries queries.
func gtDims() []string {
	return []string{"version", "python_minor", "system", "country_code", "installer", "type"}
}

// generate draws n cases.
func (p *gtPool) generate(rng *rand.Rand, n int) []gtCase {
	out := make([]gtCase, 0, n)
	for i := range n {
		out = append(out, p.one(rng, i))
	}
	return out
}

func gtPick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func gtChance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

func (p *gtPool) one(rng *rand.Rand, id int) gtCase {
	c := gtCase{ID: id}
	r := rng.Float64()
	switch {
	case r < 0.42:
		c.Type = "timeseries"
	case r < 0.67:
		c.Type = "breakdown"
	case r < 0.80:
		c.Type = "summary"
	case r < 0.90:
		c.Type = "top_packages"
	default:
		c.Type = "totals"
	}
	// Packages: 1-3 of popular and long-tail ones; none sometimes where
	// the type allows it; now and then a package that does not exist.
	np := 1 + rng.IntN(3)
	switch c.Type {
	case "top_packages", "totals":
		if gtChance(rng, 0.5) {
			np = 0
		}
	case "timeseries", "breakdown":
		if gtChance(rng, 0.08) {
			np = 0
		}
	}
	for len(c.Packages) < np {
		var name string
		switch {
		case gtChance(rng, 0.03):
			name = fmt.Sprintf("no-such-package-%d", rng.IntN(3))
		case gtChance(rng, 0.65):
			name = gtPick(rng, p.popular)
		default:
			name = gtPick(rng, p.longTail)
		}
		if !slices.Contains(c.Packages, name) {
			c.Packages = append(c.Packages, name)
		}
	}
	c.F = p.filters(rng, c.Packages)

	switch c.Type {
	case "timeseries":
		if gtChance(rng, 0.55) {
			c.Breakdown = gtPick(rng, gtDims())
			if len(c.Packages) == 0 && c.Breakdown == "version" {
				c.Breakdown = "python_minor"
			}
			c.Limit, c.LimitSet = 1+rng.IntN(12), true
		}
		c.Gran = gtPick(rng, []string{"auto", "auto", "", "day", "week", "month"})
	case "breakdown":
		c.Dimension = gtPick(rng, append(gtDims(), "installer_type"))
		if gtChance(rng, 0.8) {
			c.Limit, c.LimitSet = 1+rng.IntN(12), true
		}
	case "top_packages":
		if gtChance(rng, 0.85) {
			c.Limit, c.LimitSet = 1+rng.IntN(25), true
		}
	}
	if !c.LimitSet {
		c.Limit = 10
		// Breakdown-less timeseries, summary and totals ignore the limit;
		// sending one must not change anything.
		if c.Type != "breakdown" && c.Type != "top_packages" && gtChance(rng, 0.2) {
			c.Limit, c.LimitSet = 1+rng.IntN(5), true
		}
	}
	c.From, c.To = p.timeRange(rng)
	c.Interval = gtPick(rng, []time.Duration{0, time.Minute, time.Hour, 24 * time.Hour, 2 * 24 * time.Hour,
		7 * 24 * time.Hour, 10 * 24 * time.Hour, 30 * 24 * time.Hour})
	c.MaxDP = gtPick(rng, []int64{0, 5, 12, 30, 60, 100, 400, 1000, 1500})
	return c
}

// filters draws filters from the values the packages have, sometimes
// with values that do not exist.
func (p *gtPool) filters(rng *rand.Rand, pkgs []string) gtFilters {
	var f gtFilters
	draw := func(col string) []string {
		if !gtChance(rng, 0.14) {
			return nil
		}
		var have []string
		src := pkgs
		if len(src) == 0 {
			src = p.popular[:5]
		}
		for _, pk := range src {
			for _, v := range p.values[pk].vals[col] {
				if !slices.Contains(have, v) {
					have = append(have, v)
				}
			}
		}
		sort.Strings(have)
		var out []string
		k := 1 + rng.IntN(3)
		for range k {
			var v string
			if len(have) == 0 || gtChance(rng, 0.12) {
				v = gtPick(rng, gtMissing[col])
			} else {
				v = gtPick(rng, have)
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	f.Versions = draw("version")
	f.Countries = draw("country_code")
	f.Installers = draw("installer")
	f.PythonMinors = draw("python_minor")
	f.Systems = draw("system")
	f.Types = draw("type")
	f.ExcludeMirrors = gtChance(rng, 0.2)
	return f
}

// timeRange draws a range: inside the data, partly before or after it,
// one day long, the recent days, or wholly outside.
func (p *gtPool) timeRange(rng *rand.Rand) (time.Time, time.Time) {
	span := int(p.end.Sub(p.start).Hours()/24) + 1
	day := func(off int) time.Time { return p.start.AddDate(0, 0, off) }
	var a, b time.Time // first and last day
	switch r := rng.Float64(); {
	case r < 0.10: // the whole span
		a, b = p.start, p.end
	case r < 0.40: // inside
		x, y := rng.IntN(span), rng.IntN(span)
		a, b = day(min(x, y)), day(max(x, y))
	case r < 0.52: // one day
		a = day(rng.IntN(span+3) - 1)
		b = a
	case r < 0.70: // ending after the last day
		a = day(rng.IntN(span))
		b = p.end.AddDate(0, 0, 1+rng.IntN(45))
	case r < 0.80: // starting before the first day
		a = p.start.AddDate(0, 0, -1-rng.IntN(60))
		b = day(rng.IntN(span))
	case r < 0.95: // the last N days, as dashboards ask
		n := gtPick(rng, []int{1, 2, 7, 14, 30, 31, 90, 180})
		b = p.end.AddDate(0, 0, rng.IntN(3))
		a = b.AddDate(0, 0, -(n - 1))
	default: // wholly outside
		if gtChance(rng, 0.5) {
			a = p.end.AddDate(0, 0, 1+rng.IntN(20))
			b = a.AddDate(0, 0, rng.IntN(40))
		} else {
			b = p.start.AddDate(0, 0, -1-rng.IntN(20))
			a = b.AddDate(0, 0, -rng.IntN(40))
		}
	}
	// Grafana sends instants: any time of day maps to its UTC date.
	from := a.Add(time.Duration(rng.IntN(86400)) * time.Second)
	to := b.Add(time.Duration(rng.IntN(86400)) * time.Second)
	if a.Equal(b) && to.Before(from) {
		from, to = to, from
	}
	if gtChance(rng, 0.1) {
		to = b.Add(24*time.Hour - time.Millisecond)
	}
	return from, to
}

// gtDay is t's UTC calendar day.
func gtDay(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
}
