package datasource_test

// Ground truth for the baseline query: the plugin's expected downloads and
// noise ratios against the same definition computed here in Go from plain
// count() over the raw pypi table, for packages carrying the sample's
// planted drops, the decline, the original drop package and a reference
// package, over a range holding the holidays, the stall and drops. Both
// statistics, with and without excludeMirrors (whose filter applies to
// the reference packages too).

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func TestGroundTruthBaseline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	truth, err := sample.Expect(shared.cfg)
	mustT(t, err)
	pkgs := []string{sample.DropPackage, sample.DeclinePackage, "requests"}
	for _, d := range truth.Events.Drops {
		if d.Tier == "top" && !slices.Contains(pkgs, d.Package) {
			pkgs = append(pkgs, d.Package)
		}
	}
	pkgs = append(pkgs, "no-such-package")
	// From before the stall to the end: holidays, drops and the decline.
	from, to := truth.Events.Stall.Partial.AddDate(0, 0, -3), truth.End
	for _, mirrors := range []bool{false, true} {
		counts, err := gtDailyCounts(ctx, shared.srv.Database, append(slices.Clone(pkgs), querymodel.ReferencePackages()...),
			sqlbuild.BaselineRange(from), to, mirrors)
		mustT(t, err)
		for _, stat := range querymodel.Statistics() {
			t.Run(fmt.Sprintf("%s/mirrors=%v", stat, !mirrors), func(t *testing.T) {
				model := map[string]any{"queryType": "baseline", "packages": pkgs, "statistic": string(stat)}
				if mirrors {
					model["excludeMirrors"] = true
				}
				resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("B", model, from.Add(7*time.Hour), to.Add(20*time.Hour))})
				mustT(t, err)
				r := resp.Responses["B"]
				if r.Error != nil {
					t.Fatal(r.Error)
				}
				if len(r.Frames) != 1 {
					t.Fatalf("%d frames", len(r.Frames))
				}
				f := r.Frames[0]
				days := int(to.Sub(from).Hours()/24) + 1
				if f.Rows() != days || len(f.Fields) != len(pkgs)+1 {
					t.Fatalf("%d days and %d fields, want %d days and time plus %d packages", f.Rows(), len(f.Fields), days, len(pkgs))
				}
				checked, bad := 0, 0
				for _, fl := range f.Fields[1:] {
					p := fl.Labels["package"]
					if fl.Name != string(stat) || !slices.Contains(pkgs, p) {
						t.Fatalf("field %s %v", fl.Name, fl.Labels)
					}
					for r := 0; r < f.Rows(); r++ {
						day := from.AddDate(0, 0, r)
						if tm, _ := f.Fields[0].At(r).(time.Time); !tm.Equal(day) {
							t.Fatalf("row %d is %v, want %s", r, tm, day.Format(time.DateOnly))
						}
						want := gtBaselineTruth(counts, p, day, stat)
						got, ok := fl.ConcreteAt(r)
						switch {
						case math.IsNaN(want) && !ok:
						case math.IsNaN(want):
							bad++
							t.Errorf("%s %s: %v, want null", p, day.Format(time.DateOnly), got)
						case !ok:
							bad++
							if bad <= 5 {
								t.Errorf("%s %s: null, want %v", p, day.Format(time.DateOnly), want)
							}
						case math.Abs(got.(float64)-want) > 1e-9*math.Max(1, math.Abs(want)):
							bad++
							if bad <= 5 {
								t.Errorf("%s %s: %s %v, want %v", p, day.Format(time.DateOnly), stat, got, want)
							}
						}
						checked++
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d values differ", bad, checked)
				}
			})
		}
	}
}

// gtCounts are raw daily counts per package from a first day.
type gtCounts struct {
	lo   time.Time
	days int
	by   map[string][]float64
}

func gtDailyCounts(ctx context.Context, db string, pkgs []string, lo, to time.Time, excludeMirrors bool) (gtCounts, error) {
	c := gtCounts{lo: lo, days: int(to.Sub(lo).Hours()/24) + 1, by: map[string][]float64{}}
	q := "SELECT project, date, count() FROM " + db + ".pypi WHERE project IN @p AND date >= toDate(@lo) AND date <= toDate(@to)"
	args := []any{clickhouse.Named("p", pkgs), clickhouse.Named("lo", lo.Format(time.DateOnly)), clickhouse.Named("to", to.Format(time.DateOnly))}
	if excludeMirrors {
		q += " AND installer NOT IN @m"
		args = append(args, clickhouse.Named("m", gtMirrors))
	}
	rows, err := shared.conn.Query(ctx, q+" GROUP BY project, date", args...)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for _, p := range pkgs {
		c.by[p] = make([]float64, c.days)
	}
	for rows.Next() {
		var p string
		var d time.Time
		var n uint64
		if err := rows.Scan(&p, &d, &n); err != nil {
			return c, err
		}
		c.by[p][int(d.UTC().Sub(lo).Hours()/24)] = float64(n)
	}
	return c, rows.Err()
}

// gtMedian is the median of xs (the mean of the middle two for an even
// count).
func gtMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// gtSameWeekday is the median of a package's same weekday in the four
// weeks before day i.
func gtSameWeekday(a []float64, i int) float64 {
	return gtMedian([]float64{a[i-7], a[i-14], a[i-21], a[i-28]})
}

// gtBaselineTruth is README's definition of the baseline statistics; NaN
// (null) for a package without a download in the whole span the query
// reads.
func gtBaselineTruth(c gtCounts, pkg string, day time.Time, stat querymodel.Statistic) float64 {
	i := int(day.Sub(c.lo).Hours() / 24)
	a := c.by[pkg]
	total := 0.0
	for _, x := range a {
		total += x
	}
	if total == 0 {
		return math.NaN()
	}
	var ratios []float64
	for _, r := range querymodel.ReferencePackages() {
		if m := gtSameWeekday(c.by[r], i); m > 0 {
			ratios = append(ratios, c.by[r][i]/m)
		}
	}
	market := 1.0
	if len(ratios) >= sqlbuild.MinReferencePackages {
		market = gtMedian(ratios)
	}
	expected := gtSameWeekday(a, i) * market
	if stat == querymodel.StatExpected {
		if market == 0 {
			// Half the reference packages had nothing: a day the data
			// lacks has no expectation.
			return math.NaN()
		}
		return expected
	}
	var changes []float64
	for t := i - 21; t < i; t++ {
		ch := 0.0
		if a[t]+a[t-7] > 0 {
			ch = 2 * (a[t] - a[t-7]) / (a[t] + a[t-7])
		}
		changes = append(changes, ch)
	}
	// 21 changes: the median is the 11th, the same element the SQL takes.
	m := gtMedian(changes)
	dev := make([]float64, len(changes))
	for k, ch := range changes {
		dev[k] = math.Abs(ch - m)
	}
	// Never finer than CountingNoise/sqrt(expected), most of the day's counting noise,
	// plus how far the market moved beyond an ordinary day.
	return math.Max(1.4826/math.Sqrt2*gtMedian(dev), sqlbuild.CountingNoise/math.Sqrt(math.Max(expected, 1))) +
		sqlbuild.MarketNoise*math.Max(math.Abs(1-market)-sqlbuild.MarketCalm, 0)
}
