package sample

import (
	"fmt"
	"slices"
	"time"
)

// PackageCount is the number of distinct projects in the sample.
const PackageCount = 2000

// The hot package: its daily level grows HotMonthlyGrowth-fold every 30
// days during the last HotRiseDays days, reaching the level of popularity
// rank HotRank on End. Its growth between the last two complete calendar
// months is the largest of all packages whose previous month held at least
// HotMinShare of all downloads.
const (
	HotPackage       = "llmkit"
	HotRank          = 15
	HotRiseDays      = 150
	HotMonthlyGrowth = 3.0
	HotMinShare      = 0.0005
)

// The drop package: downloads at the level of rank DropRank until End
// minus DropDaysBeforeEnd, then DropKeep of that level from that day on.
// Its total on the drop day is at least 70% below the mean of the seven
// days before.
const (
	DropPackage       = "httplegacy"
	DropRank          = 20
	DropDaysBeforeEnd = 10
	DropKeep          = 0.05
)

// Emerging packages are first released, and first downloaded, within the
// last EmergingWindowDays days; no other package is first seen that late.
const EmergingWindowDays = 90

// Packages needing a refresh rank within the top RefreshTopN by downloads
// and have had no release for at least RefreshMinAgeDays days, which is
// more than six months. Every other package ranked within
// refreshGuardRank released within the last 90 days, so no other popular
// package looks stale.
const (
	RefreshTopN       = 100
	RefreshMinAgeDays = 240
	refreshGuardRank  = 1000
)

// WeekendFactor scales Saturday and Sunday volumes.
const WeekendFactor = 0.7

// Emerging returns the emerging packages, earliest first.
func Emerging() []string {
	return []string{"agentflow", "mcp-toolbox", "ragstack", "vecstore-lite", "polars-geo", "tokenwise"}
}

// emergingSchedule gives each emerging package's first release as days
// before End and its popularity rank at full level; low ranks would let a
// package that started mid-month outgrow the hot one.
func emergingSchedule() (daysBeforeEnd, ranks []int) {
	return []int{84, 72, 60, 46, 31, 17}, []int{640, 700, 760, 820, 880, 940}
}

// NeedingRefresh returns the popular packages that stopped releasing.
func NeedingRefresh() []string {
	return []string{"python-dateutil", "six", "pycparser", "jmespath", "colorama"}
}

// Hot returns the hot package's name.
func Hot() string { return HotPackage }

// Drop returns the drop package's name and the first day of its drop for
// a data set ending on end.
func Drop(end time.Time) (name string, day time.Time) {
	return DropPackage, DateOf(end).AddDate(0, 0, -DropDaysBeforeEnd)
}

// Truth describes what a generated data set is known to contain, so tests
// can check queries without reading the database.
type Truth struct {
	Start, End time.Time
	// Rows is the target row count; the generated total is within a few
	// percent of it.
	Rows int64
	// Packages lists every project by popularity rank at End, most
	// popular first.
	Packages []string
	Hot      string
	// HotRiseStart is the first day of the hot package's rise.
	HotRiseStart time.Time
	Drop         string
	DropDay      time.Time
	Emerging     []EmergingPackage
	Refresh      []RefreshPackage
	// FirstSeen is each package's first day with downloads: its first
	// release or Start, whichever is later, moved past the stall's empty
	// days. Every package has downloads on that day.
	FirstSeen map[string]time.Time
	// Events are the planted drops, decline, holidays and stall.
	Events Events
}

// EmergingPackage is an emerging package and its first day of downloads.
type EmergingPackage struct {
	Name     string
	FirstDay time.Time
}

// RefreshPackage is a package needing refresh and its last release.
type RefreshPackage struct {
	Name        string
	LastRelease time.Time
}

// Expect returns the truth for cfg.
func Expect(cfg Config) (Truth, error) {
	if err := cfg.Validate(); err != nil {
		return Truth{}, err
	}
	cat := buildCatalog(cfg.Seed, dayNumber(cfg.End))
	start := dayNumber(cfg.Start())
	pl := planEvents(cfg, cat)
	t := Truth{
		Start:        cfg.Start(),
		End:          cfg.EndDate(),
		Rows:         cfg.Size.TargetRows(),
		Hot:          HotPackage,
		HotRiseStart: cfg.EndDate().AddDate(0, 0, -HotRiseDays),
		FirstSeen:    make(map[string]time.Time, len(cat)),
		Events:       pl.events,
	}
	t.Drop, t.DropDay = Drop(cfg.End)
	for i := range cat {
		p := &cat[i]
		t.Packages = append(t.Packages, p.name)
		t.FirstSeen[p.name] = dayDate(pl.firstVisible(p, start))
		switch p.kind {
		case kindEmerging:
			t.Emerging = append(t.Emerging, EmergingPackage{p.name, dayDate(p.firstDay())})
		case kindRefresh:
			last := p.releases[len(p.releases)-1]
			t.Refresh = append(t.Refresh, RefreshPackage{p.name, time.UnixMilli(last.at).UTC()})
		}
	}
	slices.SortFunc(t.Emerging, func(a, b EmergingPackage) int { return a.FirstDay.Compare(b.FirstDay) })
	if len(t.Emerging) != len(Emerging()) || len(t.Refresh) != len(NeedingRefresh()) {
		return t, fmt.Errorf("sample catalog lost designated packages (%d emerging, %d refresh)", len(t.Emerging), len(t.Refresh))
	}
	return t, nil
}
