package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// History spans: real and popular projects start their sample history
// about three years before End (older releases are not modelled); smaller
// ones may be older or appear during the data span, but never later than
// lateDebutDays before End so that only designated packages are emerging.
const (
	historyDays     = 1095
	maxHistoryDays  = 2500
	lateDebutDays   = 120
	activeGuardDays = 90
	hotDebutDays    = 300
	// preSpanSlowdown stretches release gaps before the two-year window:
	// only recent history matters for downloads, and it keeps projects
	// to tens of thousands of rows.
	preSpanSlowdown = 3
)

// dailyReleasers publish nearly every weekday, like the real AWS SDKs.
func dailyReleasers() map[string]bool {
	return map[string]bool{"boto3": true, "botocore": true, "awscli": true}
}

// meanReleaseGap is the mean number of days between releases: popular
// projects release often.
func meanReleaseGap(r *rand.Rand, e entry) float64 {
	switch {
	case dailyReleasers()[e.name]:
		return 1.4
	case e.kind == kindHot:
		return 9
	case e.kind == kindEmerging:
		return 8
	case e.kind == kindDrop:
		return 25
	case e.rank <= 30:
		return 12
	case e.rank <= 100:
		return 20
	case e.rank <= 300:
		return 35
	}
	return 60 + 60*r.Float64()
}

func historyStart(r *rand.Rand, e entry, end int) int {
	switch {
	case e.kind == kindEmerging:
		return end - e.emergeOffset
	case e.kind == kindHot:
		return end - hotDebutDays - r.IntN(30)
	case e.isReal || e.rank <= 300 || e.kind != kindNormal:
		return end - historyDays - r.IntN(90)
	case r.Float64() < 0.85:
		return end - (trendDays + 30) - r.IntN(maxHistoryDays-trendDays-30)
	}
	return end - lateDebutDays - r.IntN(trendDays-lateDebutDays-30)
}

// genReleases draws a package's release days and version strings.
func genReleases(r *rand.Rand, e entry, end int) []release {
	start := historyStart(r, e, end)
	gap := meanReleaseGap(r, e)
	stop := end
	if e.kind == kindRefresh {
		stop = end - RefreshMinAgeDays - r.IntN(150)
	}
	daily := dailyReleasers()[e.name]
	var days []int
	for d := start; d <= stop; {
		days = append(days, d)
		g := gap
		if d < end-trendDays {
			g *= preSpanSlowdown
		}
		d += max(1, int(math.Round(-g*math.Log(1-r.Float64()))))
		if daily {
			// Weekend releases move to Monday, like a team's working week.
			switch weekday(d) {
			case 6:
				d += 2
			case 0:
				d++
			}
		}
	}
	last := days[len(days)-1]
	if e.kind != kindRefresh && e.rank <= refreshGuardRank && last < end-activeGuardDays {
		days = append(days, end-5-r.IntN(activeGuardDays-10))
	}

	var start0 string
	if e.head != nil {
		start0 = e.head.start
	}
	v := newVersioner(r, start0, gap)
	out := make([]release, len(days))
	for i, d := range days {
		ms := int64(d)*86400_000 + r.Int64N(86400_000)
		out[i] = release{version: v.next(r, dayDate(d)), day: d, at: ms}
	}
	return out
}

// versioner numbers releases: semantic versions with mostly patch bumps,
// year-based versions (pytz style) or full calendar versions (certifi).
type versioner struct {
	style          int // 0 semver, 1 year.N, 2 calver date
	parts          []int
	pMajor, pMinor float64
	first          bool
}

const (
	styleSemver = iota
	styleYearN
	styleCalver
)

func newVersioner(r *rand.Rand, start string, gap float64) *versioner {
	// Bump odds scale with the release gap so that, whatever the cadence,
	// a minor version lasts about a quarter and a major one several years.
	v := &versioner{first: true, pMajor: gap / 2000, pMinor: min(0.4, gap/90)}
	switch {
	case start == calver:
		v.style = styleCalver
		return v
	case start != "":
		for _, s := range strings.Split(start, ".") {
			n, _ := strconv.Atoi(s)
			v.parts = append(v.parts, n)
		}
		if v.parts[0] >= 2000 {
			v.style = styleYearN
		}
		return v
	}
	switch x := r.Float64(); {
	case x < 0.45:
		v.parts = []int{0, 1 + r.IntN(12), r.IntN(5)}
	case x < 0.80:
		v.parts = []int{1, r.IntN(8), r.IntN(5)}
	default:
		v.parts = []int{2 + r.IntN(4), r.IntN(6), r.IntN(5)}
	}
	if r.IntN(8) == 0 {
		v.parts = v.parts[:2]
	}
	return v
}

func (v *versioner) next(r *rand.Rand, day time.Time) string {
	first := v.first
	v.first = false
	switch v.style {
	case styleCalver:
		return fmt.Sprintf("%d.%d.%d", day.Year(), int(day.Month()), day.Day())
	case styleYearN:
		// The major number is the release year, whatever the start said.
		switch {
		case first:
			v.parts[0] = day.Year()
		case v.parts[0] != day.Year():
			v.parts[0], v.parts[1] = day.Year(), 1
		default:
			v.parts[1]++
		}
		return fmt.Sprintf("%d.%d", v.parts[0], v.parts[1])
	}
	if !first {
		v.bump(r)
	}
	s := make([]string, len(v.parts))
	for i, n := range v.parts {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}

func (v *versioner) bump(r *rand.Rand) {
	x := r.Float64()
	last := len(v.parts) - 1
	switch {
	case x < v.pMajor && v.parts[0] >= 1:
		v.parts[0]++
		for i := 1; i <= last; i++ {
			v.parts[i] = 0
		}
	case x < v.pMajor+v.pMinor || last == 1:
		v.parts[1]++
		if last == 2 {
			v.parts[2] = 0
		}
	default:
		v.parts[2]++
	}
}
