package sample

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// Every tier holds each planted depth at each length (most of them in the
// test size's 400 days, where the holidays and the stall leave less room),
// and the drops keep clear of each other, the holidays, the stall and the
// data's last weeks.
func TestPlantedEventsLayout(t *testing.T) {
	cfgs := append(shapeConfigs(true), Config{Seed: 1, End: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC), Size: SizeDemo},
		Config{Seed: 1, End: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Size: SizeDemo})
	for _, cfg := range cfgs {
		ev, err := PlantedEvents(cfg)
		if err != nil {
			t.Fatal(err)
		}
		start, end := dayNumber(cfg.Start()), dayNumber(cfg.End)
		grid := map[string]map[string]bool{}
		last := map[string]int{}
		for _, d := range ev.Drops {
			if grid[d.Tier] == nil {
				grid[d.Tier] = map[string]bool{}
			}
			grid[d.Tier][fmt.Sprintf("%g/%d", d.Depth, d.Days)] = true
			s := dayNumber(d.Start)
			if s-dropLookbackDays < start || s+d.Days > end-dropTailDays {
				t.Errorf("%s: drop %+v outside the usable span", cfg.EndDate().Format(time.DateOnly), d)
			}
			if p, ok := last[d.Package]; ok && s-p < dropRecoverDays {
				t.Errorf("%s: %s drops again %d days after its last", cfg.EndDate().Format(time.DateOnly), d.Package, s-p)
			}
			last[d.Package] = dayNumber(d.Last())
			// No holiday in the two weeks after a drop, and none whose
			// four weeks after it reach the drop's lookback.
			for _, h := range ev.Holidays {
				if hd := dayNumber(h.Date); hd+stallClearDays >= s-dropLookbackDays && hd-holidayLeadDays <= s+d.Days {
					t.Errorf("%s: drop %+v near the holiday %s", cfg.EndDate().Format(time.DateOnly), d, h.Date.Format(time.DateOnly))
				}
			}
			if p, l := dayNumber(ev.Stall.Partial), dayNumber(ev.Stall.Last()); l+stallClearDays >= s-dropLookbackDays && p-stallClearDays <= s+d.Days {
				t.Errorf("%s: drop %+v near the stall", cfg.EndDate().Format(time.DateOnly), d)
			}
		}
		want := len(DropDepths()) * len(DropLengths())
		if cfg.Size == SizeTest {
			want = want * 3 / 4
		}
		for _, tier := range dropTiers() {
			if n := len(grid[tier.name]); n < want {
				t.Errorf("%s: tier %s holds %d of the %d depth/length pairs, want %d", cfg.EndDate().Format(time.DateOnly), tier.name, n,
					len(DropDepths())*len(DropLengths()), want)
			}
		}
		if len(ev.Holidays) == 0 || len(ev.Declines) != 1 || ev.Stall.Days != StallDays {
			t.Errorf("%s: events %+v", cfg.EndDate().Format(time.DateOnly), ev)
		}
	}
}

// The generated downloads carry the planted events: each drop's days fall
// by its depth against the same days of the weeks around it, the stall's
// days are empty and its partial day short, the holidays dip, and the
// decline's package ends at the level it declined to.
func TestPlantedEventsInData(t *testing.T) {
	cfg := Config{Seed: 1, End: testEnd(), Size: SizeTest}
	s := generate(t, cfg)
	truth, err := Expect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ev := truth.Events
	idx := func(d time.Time) int { return dayNumber(d) - s.start }
	// around is the mean of the same weekdays 1 to 3 weeks before and
	// after [from, from+days), each scaled as the drop's days are.
	around := func(v []int64, from, days int) float64 {
		var sum float64
		n := 0
		for _, w := range []int{-21, -14, -7, 7 * ((days + 6) / 7), 7*((days+6)/7) + 7, 7*((days+6)/7) + 14} {
			for k := 0; k < days; k++ {
				if i := from + w + k; i >= 0 && i < len(v) {
					sum += float64(v[i])
					n++
				}
			}
		}
		return sum / float64(n)
	}
	for _, d := range ev.Drops {
		if d.Tier != "top" {
			continue
		}
		v := s.daily[d.Package]
		i := idx(d.Start)
		var in float64
		for k := 0; k < d.Days; k++ {
			in += float64(v[i+k])
		}
		in /= float64(d.Days)
		base := around(v, i, d.Days)
		got := 1 - in/base
		// Day-to-day noise is 15% of the dropped level: three times that,
		// averaged over the drop's days, bounds the measured depth.
		if tol := 0.05 + 3*0.15*(1-d.Depth)/math.Sqrt(float64(d.Days)); math.Abs(got-d.Depth) > tol {
			t.Errorf("%s: drop of %g for %d days from %s measured as %.2f (%.1f/day against %.1f)",
				d.Package, d.Depth, d.Days, d.Start.Format(time.DateOnly), got, in, base)
		}
	}
	for k := 0; k < ev.Stall.Days; k++ {
		if n := s.total[idx(ev.Stall.Start)+k]; n != 0 {
			t.Errorf("stall day %d holds %d downloads", k, n)
		}
	}
	p := idx(ev.Stall.Partial)
	if share := float64(s.total[p]) / float64(s.total[p-7]); math.Abs(share-StallPartialShare) > 0.1 {
		t.Errorf("the stall's partial day holds %.2f of a week before's downloads, want about %.2f", share, StallPartialShare)
	}
	if n := s.total[idx(ev.Stall.Last())+1]; n == 0 {
		t.Error("no data after the stall")
	}
	for _, h := range ev.Holidays {
		i := idx(h.Date)
		// Three and four weeks before: the weeks just before can be
		// holidays too.
		share := float64(s.total[i]) / ((float64(s.total[i-21]) + float64(s.total[i-28])) / 2)
		if h.Factor < 0.6 && share > 0.7 {
			t.Errorf("holiday %s holds %.2f of the same weekdays before, want about %.2f", h.Date.Format(time.DateOnly), share, h.Factor)
		}
	}
	dec := ev.Declines[0]
	v := s.daily[dec.Package]
	i := idx(dec.Start)
	before := float64(sumDays(v, i-28, i)) / 28
	after := float64(sumDays(v, len(v)-28, len(v))) / 28
	if r := after / before; math.Abs(r-(1-dec.Depth)) > 0.15 {
		t.Errorf("%s declined to %.2f of its level, want %.2f", dec.Package, r, 1-dec.Depth)
	}
}
