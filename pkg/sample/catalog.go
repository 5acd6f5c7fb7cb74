package sample

import (
	"math"
	"math/rand/v2"
)

type kind uint8

const (
	kindNormal kind = iota
	kindHot
	kindDrop
	kindEmerging
	kindRefresh
)

// entry is a package's identity, which does not depend on the seed.
type entry struct {
	name   string
	rank   int // 1-based popularity rank at End
	kind   kind
	head   *realPackage // nil unless one of headPackages
	isReal bool
	// emergeOffset is days before End of an emerging package's debut.
	emergeOffset int
}

// pkg is a package with its seed-dependent volume model and releases.
type pkg struct {
	entry
	hash uint64
	// weight is the relative daily level at End before shape factors.
	weight float64
	// trend is the log growth per year of the level.
	trend    float64
	releases []release // oldest first, at least one
	// holidaySens is the power of the holiday dip this package follows.
	holidaySens float64
}

type release struct {
	version string
	day     int
	at      int64 // upload time, Unix milliseconds
}

func (p *pkg) firstDay() int { return p.releases[0].day }

// Zipf-Mandelbrot popularity: the offset keeps the head from swallowing
// the whole volume, as the real top project holds only a few percent.
const (
	zipfOffset   = 1.5
	zipfExponent = 1.0
	// tailJitter roughens the ranking below the real head so neighbouring
	// synthetic packages do not have perfectly ordered volumes.
	tailJitter = 0.15
)

func zipfWeight(rank int) float64 {
	return math.Pow(float64(rank)+zipfOffset, -zipfExponent)
}

// rankedEntries lays out the PackageCount packages by rank: real projects
// in real order, the designated packages at their ranks, synthetic names
// for the rest.
func rankedEntries() []entry {
	designated := map[int]entry{
		HotRank:  {name: HotPackage, kind: kindHot},
		DropRank: {name: DropPackage, kind: kindDrop},
	}
	offsets, ranks := emergingSchedule()
	for i, name := range Emerging() {
		designated[ranks[i]] = entry{name: name, kind: kindEmerging, emergeOffset: offsets[i]}
	}
	refresh := map[string]bool{}
	for _, n := range NeedingRefresh() {
		refresh[n] = true
	}

	heads := headPackages()
	var reals []entry
	taken := map[string]bool{}
	for i := range heads {
		reals = append(reals, entry{name: heads[i].name, head: &heads[i], isReal: true})
		taken[heads[i].name] = true
	}
	for _, n := range moreRealPackages() {
		if !taken[n] {
			reals = append(reals, entry{name: n, isReal: true})
			taken[n] = true
		}
	}
	for _, e := range designated {
		taken[e.name] = true
	}
	synth := syntheticNames(PackageCount, taken)

	out := make([]entry, 0, PackageCount)
	for rank := 1; rank <= PackageCount; rank++ {
		var e entry
		switch d, ok := designated[rank]; {
		case ok:
			e = d
		case len(reals) > 0:
			e, reals = reals[0], reals[1:]
		default:
			e = entry{name: synth[0]}
			synth = synth[1:]
		}
		e.rank = rank
		if refresh[e.name] {
			e.kind = kindRefresh
		}
		out = append(out, e)
	}
	return out
}

// buildCatalog returns every package's model for seed and the day number
// end. It does not depend on the size profile, so projects and
// release-based truths agree across profiles.
func buildCatalog(seed uint64, end int) []pkg {
	entries := rankedEntries()
	headCount := len(headPackages())
	out := make([]pkg, len(entries))
	for i, e := range entries {
		h := hashName(e.name)
		r := newRand(seed, h, saltCatalog)
		p := pkg{entry: e, hash: h, weight: zipfWeight(e.rank)}
		if e.rank > headCount && e.kind == kindNormal {
			p.weight *= math.Exp(tailJitter * r.NormFloat64())
		}
		p.trend = packageTrend(r, e)
		p.releases = genReleases(newRand(seed, h, saltReleases), e, end)
		p.holidaySens = 1 + holidaySpread*(2*newRand(seed, h, saltEvents).Float64()-1)
		out[i] = p
	}
	return out
}

// packageTrend keeps the real head's order stable (small positive growth)
// and lets the rest grow or decline gently.
func packageTrend(r *rand.Rand, e entry) float64 {
	switch {
	case e.kind == kindEmerging:
		return 0
	case e.kind == kindHot, e.kind == kindDrop:
		return 0.1
	case e.kind == kindRefresh:
		return -0.05 + 0.05*r.Float64()
	case e.rank <= 30:
		return 0.05 + 0.1*r.Float64()
	}
	return min(0.6, max(-0.4, 0.15+0.25*r.NormFloat64()))
}

// emergingRampDays is how fast a new package reaches its full level.
const emergingRampDays = 10

// level is a package's expected daily downloads on day d, before scale,
// weekly seasonality and noise.
func (p *pkg) level(d, end int) float64 {
	first := p.firstDay()
	if d < first {
		return 0
	}
	t := float64(d - end)
	l := p.weight * math.Exp(p.trend*t/365)
	switch p.kind {
	case kindHot:
		l *= math.Exp(math.Log(HotMonthlyGrowth) * max(t, -HotRiseDays) / 30)
	case kindDrop:
		if d >= end-DropDaysBeforeEnd {
			l *= DropKeep
		}
	case kindEmerging:
		l *= 1 - math.Exp(-float64(d-first+1)/emergingRampDays)
	}
	return l
}

// weekday returns 0 for Sunday .. 6 for Saturday; day 0 was a Thursday.
func weekday(d int) int { return ((d+4)%7 + 7) % 7 }

func weeklyFactor(d int) float64 {
	if wd := weekday(d); wd == 0 || wd == 6 {
		return WeekendFactor
	}
	return 1
}
