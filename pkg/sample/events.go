package sample

import (
	"math"
	"time"
)

// Planted events give the drop alerts something to be measured on: drops of
// known depth and length on packages of every popularity, a sustained
// decline, holiday weeks that dip every package, and a data stall. Their
// days are a pure function of the config (End and the size's history
// length), so a backtest knows exactly what happened when.

// DropDepths and DropLengths are the planted drops' grid: every tier of
// popularity gets each depth (share of downloads lost) at each length
// (days).
func DropDepths() []float64 { return []float64{0.3, 0.5, 0.7, 0.9} }

// DropLengths lists the planted drops' lengths in days.
func DropLengths() []int { return []int{1, 2, 3, 7, 14} }

// Planted drops keep clear of each other and of the holidays and the stall
// by these margins, so each is measured against a clean baseline: the
// four weeks before a drop hold no other event, and a package's next drop
// starts once its last one has left a four-week window.
const (
	dropLookbackDays = 30
	dropRecoverDays  = 31
	// dropTailDays keeps the last days of the data free of planted drops:
	// tests of the provisioned rules read the last four weeks.
	dropTailDays = 40
	// dropStagger shifts each package's schedule within its tier, so the
	// tier's drops do not all start on the same day.
	dropStagger = 6
	// holidayLeadDays keeps drops' days out of the two weeks before the
	// holidays, whose baselines they would be part of.
	holidayLeadDays = 14
	// dropRounds is how often the grid is laid out where the history has
	// room for it.
	dropRounds = 2
)

// The stall: ClickPy's data stopped for StallDays days. The day before the
// empty days was loaded only partly (StallPartialShare of its downloads)
// and never completed; the empty days never came. It sits stallOffsetDays
// after Start, moved after New Year when the holidays are too close.
const (
	StallDays         = 10
	StallPartialShare = 0.35
	stallOffsetDays   = 40
	stallClearDays    = 30
)

// The sustained decline: DeclinePackage loses DeclineDepth of its level
// gradually over DeclineRampDays days from DeclineDaysBeforeEnd days
// before End, and stays there.
const (
	DeclinePackage       = "charset-normalizer"
	DeclineDaysBeforeEnd = 100
	DeclineRampDays      = 28
	DeclineDepth         = 0.6
)

// holidaySensitivity spreads how much packages follow the holiday dip:
// a package's factor is the day's factor to a power in
// [1-holidaySpread, 1+holidaySpread].
const holidaySpread = 0.15

// holidayFactors are the dips of Christmas and New Year in PyPI's traffic,
// by (month, day), multiplying the weekday factor.
func holidayFactors() map[[2]int]float64 {
	return map[[2]int]float64{
		{12, 24}: 0.75, {12, 25}: 0.55, {12, 26}: 0.7, {12, 27}: 0.8, {12, 28}: 0.8,
		{12, 29}: 0.85, {12, 30}: 0.85, {12, 31}: 0.7, {1, 1}: 0.55, {1, 2}: 0.85,
	}
}

// PlantedDrop is a drop of Depth (0.5: half the downloads gone) lasting
// Days days from Start on one package.
type PlantedDrop struct {
	Package string
	Rank    int
	// Tier names the popularity band: top, high, mid or low.
	Tier  string
	Start time.Time
	Days  int
	Depth float64
}

// Last is the drop's last day.
func (d PlantedDrop) Last() time.Time { return d.Start.AddDate(0, 0, d.Days-1) }

// Decline is a gradual loss of Depth of a package's level over RampDays
// days from Start; the level stays down afterwards.
type Decline struct {
	Package  string
	Rank     int
	Start    time.Time
	RampDays int
	Depth    float64
}

// Stall is a stop of the data load: Partial holds StallPartialShare of its
// downloads, and the Days days from Start hold none at all.
type Stall struct {
	Partial time.Time
	Start   time.Time
	Days    int
}

// Last is the stall's last empty day.
func (s Stall) Last() time.Time { return s.Start.AddDate(0, 0, s.Days-1) }

// Holiday is a day of the Christmas and New Year dip: every package's
// downloads are multiplied by about Factor (its own power of it).
type Holiday struct {
	Date   time.Time
	Factor float64
}

// Events are the planted events of one data set.
type Events struct {
	// Drops are ordered by tier, package and start.
	Drops    []PlantedDrop
	Declines []Decline
	Stall    Stall
	Holidays []Holiday
}

// dropTier is a popularity band and the ranks its drop packages are taken
// from (the first normal package at or after each).
type dropTier struct {
	name  string
	ranks []int
}

func dropTiers() []dropTier {
	return []dropTier{
		{"top", []int{3, 5, 8, 11}},
		{"high", []int{22, 31, 43, 57}},
		{"mid", []int{150, 210, 270, 330}},
		{"low", []int{1100, 1300, 1500, 1700}},
	}
}

// levelEvent multiplies one package's level over [from, to] (day numbers).
type levelEvent struct {
	from, to int
	factor   func(d int) float64
}

// plan is the generator's view of the events: day numbers and per-package
// level changes.
type plan struct {
	events Events
	// byPkg holds each package's level events, by catalogue index.
	byPkg map[int][]levelEvent
	// partial is the partly loaded day; empty days are [stallFrom, stallTo].
	partial, stallFrom, stallTo int
	holiday                     map[int]float64
}

// planEvents lays out the events of cfg over the catalogue cat.
func planEvents(cfg Config, cat []pkg) *plan {
	start, end := dayNumber(cfg.Start()), dayNumber(cfg.End)
	pl := &plan{byPkg: map[int][]levelEvent{}, holiday: map[int]float64{}}
	factors := holidayFactors()
	for d := start; d <= end; d++ {
		t := dayDate(d)
		if f, ok := factors[[2]int{int(t.Month()), t.Day()}]; ok {
			pl.holiday[d] = f
			pl.events.Holidays = append(pl.events.Holidays, Holiday{t, f})
		}
	}
	pl.partial = stallDay(start)
	pl.stallFrom, pl.stallTo = pl.partial+1, pl.partial+StallDays
	pl.events.Stall = Stall{Partial: dayDate(pl.partial), Start: dayDate(pl.stallFrom), Days: StallDays}

	index := map[string]int{}
	for i := range cat {
		index[cat[i].name] = i
	}
	if i, ok := index[DeclinePackage]; ok {
		from := end - DeclineDaysBeforeEnd
		pl.events.Declines = append(pl.events.Declines, Decline{DeclinePackage, cat[i].rank, dayDate(from), DeclineRampDays, DeclineDepth})
		pl.byPkg[i] = append(pl.byPkg[i], levelEvent{from, end, func(d int) float64 {
			return 1 - DeclineDepth*min(1, float64(d-from+1)/DeclineRampDays)
		}})
	}

	// Zones a drop and its lookback must not touch: the holidays and the
	// stall, each with the two to four weeks around it whose baselines
	// would hold it.
	var zones [][2]int
	for d := range pl.holiday {
		zones = append(zones, [2]int{d - holidayLeadDays, d + stallClearDays})
	}
	zones = append(zones, [2]int{pl.partial - stallClearDays, pl.stallTo + stallClearDays})
	clear := func(s, days int) bool {
		lo, hi := s-dropLookbackDays, s+days+1
		if lo < start || hi > end-dropTailDays {
			return false
		}
		for _, z := range zones {
			if lo <= z[1] && z[0] <= hi {
				return false
			}
		}
		return true
	}
	// next is the first day from d a drop of days can start on; a package
	// pushed past a zone keeps its stagger behind the tier's first.
	next := func(d, days, j int) int {
		moved := false
		for d <= end && !clear(d, days) {
			d, moved = d+1, true
		}
		if moved && j > 0 {
			for d += j * dropStagger; d <= end && !clear(d, days); d++ {
			}
		}
		return d
	}

	depths, lengths := DropDepths(), DropLengths()
	used := map[int]bool{}
	for _, tier := range dropTiers() {
		for j, target := range tier.ranks {
			i := dropCandidate(cat, target-1, used)
			if i < 0 {
				continue
			}
			used[i] = true
			d := start + dropLookbackDays + j*dropStagger
			// Each package gets every length; depths rotate across the
			// tier's packages, so a tier holds each depth at each length.
			// Long histories get the grid twice.
			for k := 0; k < dropRounds*len(lengths); k++ {
				days, depth := lengths[k%len(lengths)], depths[(j+k)%len(depths)]
				if d = next(d, days, j); d > end {
					break
				}
				from, to, keep := d, d+days-1, 1-depth
				pl.events.Drops = append(pl.events.Drops, PlantedDrop{cat[i].name, cat[i].rank, tier.name, dayDate(from), days, depth})
				pl.byPkg[i] = append(pl.byPkg[i], levelEvent{from, to, func(int) float64 { return keep }})
				d = to + dropRecoverDays
			}
		}
	}
	return pl
}

// dropCandidate is the first package from catalogue index i on that has
// no shape of its own and no planted event yet.
func dropCandidate(cat []pkg, i int, used map[int]bool) int {
	for ; i < len(cat); i++ {
		if cat[i].kind == kindNormal && !used[i] && cat[i].name != DeclinePackage {
			return i
		}
	}
	return -1
}

// stallDay is the stall's partly loaded day: stallOffsetDays after start,
// or after New Year when its lookback or the weeks after it would hold
// holidays.
func stallDay(start int) int {
	d := start + stallOffsetDays
	factors := holidayFactors()
	for x := d - stallClearDays; x <= d+StallDays+stallClearDays; x++ {
		t := dayDate(x)
		if _, ok := factors[[2]int{int(t.Month()), t.Day()}]; ok {
			// Past the last holiday of that season, then its window.
			y := t.Year()
			if t.Month() == time.December {
				y++
			}
			return dayNumber(time.Date(y, 1, 2, 0, 0, 0, 0, time.UTC)) + stallClearDays + 1
		}
	}
	return d
}

// factor is what the events multiply package p's level by on day d: 0 on
// the stall's empty days.
func (pl *plan) factor(i int, p *pkg, d int) float64 {
	if d >= pl.stallFrom && d <= pl.stallTo {
		return 0
	}
	f := 1.0
	if d == pl.partial {
		f = StallPartialShare
	}
	if h, ok := pl.holiday[d]; ok {
		f *= math.Pow(h, p.holidaySens)
	}
	for _, e := range pl.byPkg[i] {
		if d >= e.from && d <= e.to {
			f *= e.factor(d)
		}
	}
	return f
}

// stalled reports whether day d holds no data at all.
func (pl *plan) stalled(d int) bool { return d >= pl.stallFrom && d <= pl.stallTo }

// firstVisible is the first day p can have downloads: its first release
// or start, whichever is later, moved past the stall's empty days.
func (pl *plan) firstVisible(p *pkg, start int) int {
	d := max(p.firstDay(), start)
	if pl.stalled(d) {
		d = pl.stallTo + 1
	}
	return d
}

// PlantedEvents returns the events planted in cfg's data.
func PlantedEvents(cfg Config) (Events, error) {
	if err := cfg.Validate(); err != nil {
		return Events{}, err
	}
	return planEvents(cfg, buildCatalog(cfg.Seed, dayNumber(cfg.End))).events, nil
}
