package backtest

import (
	"fmt"
	"slices"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// Event is a real change in a package's downloads a drop rule should
// fire for: a planted drop, the sustained decline, or the sample's
// original drop package (which stays down to the end).
type Event struct {
	Package string
	// Kind is drop, decline or the original drop.
	Kind  string
	Tier  string
	Start time.Time
	// Days the downloads are down; for a decline or the original drop,
	// to the end of the data.
	Days  int
	Depth float64
}

// Event kinds.
const (
	KindDrop     = "drop"
	KindDecline  = "decline"
	KindOriginal = "original drop"
)

// Scenario is what the backtest knows about the data: the events a rule
// should fire for, the days it must stay quiet on for other reasons, and
// each package's rank.
type Scenario struct {
	Events   []Event
	Holidays []time.Time
	Stall    sample.Stall
	// Rank is each package's popularity rank at the end (1 = most
	// downloaded), from the sample's truth.
	Rank map[string]int
	// FirstSeen is each package's first day with downloads.
	FirstSeen map[string]time.Time
}

// ScenarioOf is the scenario of a sample's truth.
func ScenarioOf(t sample.Truth) Scenario {
	sc := Scenario{Stall: t.Events.Stall, Rank: map[string]int{}, FirstSeen: t.FirstSeen}
	for i, p := range t.Packages {
		sc.Rank[p] = i + 1
	}
	for _, d := range t.Events.Drops {
		sc.Events = append(sc.Events, Event{d.Package, KindDrop, d.Tier, d.Start, d.Days, d.Depth})
	}
	for _, d := range t.Events.Declines {
		sc.Events = append(sc.Events, Event{d.Package, KindDecline, rankTier(d.Rank), d.Start,
			int(t.End.Sub(d.Start).Hours()/24) + 1, d.Depth})
	}
	sc.Events = append(sc.Events, Event{t.Drop, KindOriginal, rankTier(sc.Rank[t.Drop]), t.DropDay,
		int(t.End.Sub(t.DropDay).Hours()/24) + 1, 1 - sample.DropKeep})
	for _, h := range t.Events.Holidays {
		sc.Holidays = append(sc.Holidays, h.Date)
	}
	return sc
}

// Tiers are the popularity bands false alarms are counted in, by rank;
// they hold the sample's planted-drop tiers of the same names.
func Tiers() []string { return []string{"top", "high", "mid", "low"} }

func rankTier(rank int) string {
	switch {
	case rank <= 20:
		return "top"
	case rank <= 100:
		return "high"
	case rank <= 500:
		return "mid"
	}
	return "low"
}

// Outcome is one event as a rule saw it.
type Outcome struct {
	Event
	Caught bool
	// Delay is days from the event's first day to the first evaluation
	// that fired (1: the morning after the first dropped day).
	Delay int
}

// Episode is a run of consecutive days a rule fired for a package that no
// event explains.
type Episode struct {
	Package     string
	First, Last time.Time
	// Holiday, Stall and AfterStall say whether the days it judged hold
	// holidays, the stall (its partial day or empty days) or the four weeks
	// after it, whose baselines hold the stall.
	Holiday, Stall, AfterStall bool
}

// Score is a rule's backtest result.
type Score struct {
	Rule     string
	Outcomes []Outcome
	False    []Episode
	// PackageYears are the evaluated days of every package by tier, in
	// years.
	PackageYears map[string]float64
}

// judgedDays is how many days back a drop rule's last window reaches: an
// evaluation judges the newest day and the one before it.
const judgedDays = 2

// stallShadow is how long after the stall a rule's baselines still hold
// its empty days.
const stallShadow = 28

// ScoreRule scores firings over evaluation days first..last: an event
// is caught by a firing from the morning after its first day to the
// morning after the day following its last (a two-day window still holds
// its last day then); every other run of firings is a false alarm.
func (hist *History) ScoreRule(name string, f Firings, sc Scenario, first, last int) Score {
	s := Score{Rule: name, PackageYears: map[string]float64{}}
	explained := map[string][]bool{}
	for _, e := range sc.Events {
		fs, ok := f[e.Package]
		if !ok {
			continue
		}
		o := Outcome{Event: e}
		from := hist.index(e.Start) + 1
		to := min(hist.index(e.Start)+e.Days+1, hist.Days)
		if explained[e.Package] == nil {
			explained[e.Package] = make([]bool, len(fs))
		}
		for k := max(from, first); k <= min(to, last); k++ {
			explained[e.Package][k] = true
			if fs[k] && !o.Caught {
				o.Caught, o.Delay = true, k-hist.index(e.Start)
			}
		}
		s.Outcomes = append(s.Outcomes, o)
	}
	holiday := map[int]bool{}
	for _, h := range sc.Holidays {
		holiday[hist.index(h)] = true
	}
	stallFrom, stallTo := hist.index(sc.Stall.Partial), hist.index(sc.Stall.Last())
	for _, p := range sortedKeys(f) {
		fs := f[p]
		from := first
		if fsn, ok := sc.FirstSeen[p]; ok {
			from = max(from, hist.index(fsn)+1)
		}
		if from <= last {
			s.PackageYears[rankTier(sc.Rank[p])] += float64(last-from+1) / 365
		}
		for k := from; k <= last; k++ {
			if !fs[k] || (explained[p] != nil && explained[p][k]) {
				continue
			}
			ep := Episode{Package: p, First: hist.date(k)}
			for ; k <= last && fs[k] && (explained[p] == nil || !explained[p][k]); k++ {
				for j := k - judgedDays; j < k; j++ {
					ep.Holiday = ep.Holiday || holiday[j]
					ep.Stall = ep.Stall || (j >= stallFrom && j <= stallTo)
					ep.AfterStall = ep.AfterStall || (j > stallTo && j <= stallTo+stallShadow)
				}
				ep.Last = hist.date(k)
			}
			s.False = append(s.False, ep)
		}
	}
	return s
}

// StaleScore is how a staleness rule met the stall.
type StaleScore struct {
	Rule string
	// Fired is whether it fired while the data was stalled; Delay is days
	// from the stall's first empty day to that firing.
	Fired bool
	Delay int
	// False are its firings outside the stall (one per day).
	False int
	// Cleared is whether it stopped once the data came back.
	Cleared bool
}

// ScoreStale scores a staleness rule's firings (any package counts).
func (hist *History) ScoreStale(name string, fires func(k int) bool, sc Scenario, first, last int) StaleScore {
	s := StaleScore{Rule: name}
	from, to := hist.index(sc.Stall.Start), hist.index(sc.Stall.Last())+1
	for k := first; k <= last; k++ {
		in := k >= from && k <= to+1
		switch {
		case in && fires(k) && !s.Fired:
			s.Fired, s.Delay = true, k-from
		case !in && fires(k):
			s.False++
		}
	}
	s.Cleared = to+2 <= last && !fires(to+2)
	return s
}

// AnyFires turns per-package firings into "some package fired".
func AnyFires(f Firings) func(k int) bool {
	return func(k int) bool {
		for _, fs := range f {
			if k < len(fs) && fs[k] {
				return true
			}
		}
		return false
	}
}

// Recall is how many of the outcomes matching keep were caught (within
// maxDelay days when it is positive).
func (s Score) Recall(keep func(Outcome) bool, maxDelay int) (caught, total int) {
	for _, o := range s.Outcomes {
		if !keep(o) {
			continue
		}
		total++
		if o.Caught && (maxDelay <= 0 || o.Delay <= maxDelay) {
			caught++
		}
	}
	return caught, total
}

// FalsePerPackageYear is the false alarms per package-year in a tier
// ("" for all).
func (s Score) FalsePerPackageYear(tier string, rank map[string]int) (rate float64, n int, years float64) {
	for _, e := range s.False {
		if tier == "" || rankTier(rank[e.Package]) == tier {
			n++
		}
	}
	for t, y := range s.PackageYears {
		if tier == "" || t == tier {
			years += y
		}
	}
	if years == 0 {
		return 0, n, 0
	}
	return float64(n) / years, n, years
}

// Delays are the caught outcomes' delays, sorted.
func (s Score) Delays(keep func(Outcome) bool) []int {
	var out []int
	for _, o := range s.Outcomes {
		if o.Caught && keep(o) {
			out = append(out, o.Delay)
		}
	}
	slices.Sort(out)
	return out
}

// GoalDrop reports whether an outcome is one the goal covers: a planted
// drop of at least half the downloads lasting at least 2 days.
func GoalDrop(o Outcome) bool { return o.Kind == KindDrop && o.Depth >= 0.5 && o.Days >= 2 }

func (e Episode) String() string {
	return fmt.Sprintf("%s %s..%s", e.Package, e.First.Format(time.DateOnly), e.Last.Format(time.DateOnly))
}
