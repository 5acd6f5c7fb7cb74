package sample

import (
	"slices"
	"sort"
	"testing"
	"time"
)

// shapeConfigs cover a mid-month End, a month-end End, a year boundary
// and several seeds, because every shape must hold for any of them.
func shapeConfigs(short bool) []Config {
	cfgs := []Config{
		{Seed: 1, End: testEnd(), Size: SizeTest},
		{Seed: 2, End: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Size: SizeTest},
		{Seed: 99, End: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Size: SizeTest},
		{Seed: 12345, End: time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC), Size: SizeTest},
	}
	if !short {
		cfgs = append(cfgs, Config{Seed: 7, End: time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC), Size: SizeDemo})
	}
	return cfgs
}

func TestShapes(t *testing.T) {
	for _, cfg := range shapeConfigs(testing.Short()) {
		t.Run(cfg.Size.String()+"/"+cfg.EndDate().Format(time.DateOnly), func(t *testing.T) {
			s := generate(t, cfg)
			truth, err := Expect(cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkPackages(t, s, truth)
			checkEmerging(t, s, truth)
			checkDrop(t, s, truth)
			checkHot(t, s)
			checkRefresh(t, s, truth)
			checkSeasonality(t, s)
			checkDimensions(t, s)
			checkReleases(t, s)
		})
	}
}

func checkPackages(t *testing.T, s *summary, truth Truth) {
	if len(s.byPkg) != PackageCount || len(truth.Packages) != PackageCount {
		t.Errorf("%d packages downloaded, %d in truth, want %d", len(s.byPkg), len(truth.Packages), PackageCount)
	}
	ranked := rankByDownloads(s.byPkg)
	want := []string{"boto3", "urllib3", "botocore", "requests"}
	if !slices.Equal(ranked[:len(want)], want) {
		t.Errorf("head of ranking = %v, want %v", ranked[:len(want)], want)
	}
	for name, first := range truth.FirstSeen {
		if got := s.firsts[name]; got != dayNumber(first) {
			t.Errorf("%s first seen %s, truth says %s", name, dayDate(got).Format(time.DateOnly), first.Format(time.DateOnly))
		}
	}
}

func checkEmerging(t *testing.T, s *summary, truth Truth) {
	end := dayNumber(truth.End)
	emerging := map[string]bool{}
	for _, e := range truth.Emerging {
		emerging[e.Name] = true
	}
	got, want := mapsKeys(emerging), Emerging()
	slices.Sort(got)
	slices.Sort(want)
	if len(got) < 3 || !slices.Equal(got, want) {
		t.Fatalf("truth emerging = %v, Emerging() = %v", truth.Emerging, Emerging())
	}
	for name, first := range s.firsts {
		recent := first > end-EmergingWindowDays
		if recent != emerging[name] {
			t.Errorf("%s first seen %s (%d days before End), emerging=%v", name,
				dayDate(first).Format(time.DateOnly), end-first, emerging[name])
		}
	}
}

func checkDrop(t *testing.T, s *summary, truth Truth) {
	name, day := Drop(truth.End)
	if name != truth.Drop || !day.Equal(truth.DropDay) {
		t.Fatalf("Drop() = %s %v, truth %s %v", name, day, truth.Drop, truth.DropDay)
	}
	v := s.daily[name]
	i := dayNumber(day) - s.start
	before := float64(sumDays(v, i-7, i)) / 7
	if v[i] > int64(0.3*before) {
		t.Errorf("%s on %s: %d downloads vs %.1f/day the week before, want a drop of at least 70%%", name, day.Format(time.DateOnly), v[i], before)
	}
	after := float64(sumDays(v, i, len(v))) / float64(len(v)-i)
	if after > 0.3*before {
		t.Errorf("%s averages %.1f/day after the drop vs %.1f before: it must stay low", name, after, before)
	}
	t.Logf("%s: %.1f/day the week before %s, %d that day, %.2f/day after", name, before, day.Format(time.DateOnly), v[i], after)
	if before < 3 {
		t.Errorf("%s has only %.1f downloads/day before the drop, too few to alert on", name, before)
	}
}

// lastCompleteMonth returns the first days of the last complete calendar
// month of data ending on end and of the month before it.
func lastCompleteMonth(end time.Time) (last, prev time.Time) {
	last = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC)
	if end.AddDate(0, 0, 1).Month() == end.Month() {
		last = last.AddDate(0, -1, 0)
	}
	return last, last.AddDate(0, -1, 0)
}

func checkHot(t *testing.T, s *summary) {
	last, prev := lastCompleteMonth(s.cfg.EndDate())
	li, pi := dayNumber(last)-s.start, dayNumber(prev)-s.start
	le := dayNumber(last.AddDate(0, 1, 0)) - s.start
	prevTotal := sumDays(s.total, pi, li)
	best, bestGrowth := "", 0.0
	for name, v := range s.daily {
		p := sumDays(v, pi, li)
		if float64(p) < HotMinShare*float64(prevTotal) || p == 0 {
			continue
		}
		if g := float64(sumDays(v, li, le)) / float64(p); g > bestGrowth {
			best, bestGrowth = name, g
		}
	}
	t.Logf("largest growth %s→%s: %s ×%.2f", prev.Format("2006-01"), last.Format("2006-01"), best, bestGrowth)
	if best != Hot() || bestGrowth < 2 {
		t.Errorf("largest month-over-month growth %s→%s: %s ×%.2f, want %s ×>2", prev.Format("2006-01"), last.Format("2006-01"), best, bestGrowth, Hot())
	}
}

func checkRefresh(t *testing.T, s *summary, truth Truth) {
	ranked := rankByDownloads(s.byPkg)
	top := map[string]bool{}
	for _, n := range ranked[:RefreshTopN] {
		top[n] = true
	}
	lastRelease := map[string]time.Time{}
	for _, r := range Projects(s.cfg) {
		if r.UploadTime.After(lastRelease[r.Name]) {
			lastRelease[r.Name] = r.UploadTime
		}
	}
	stale := truth.End.AddDate(0, -6, 0)
	want := map[string]bool{}
	for _, r := range truth.Refresh {
		want[r.Name] = true
		if !r.LastRelease.Equal(lastRelease[r.Name]) {
			t.Errorf("%s: truth last release %v, projects say %v", r.Name, r.LastRelease, lastRelease[r.Name])
		}
	}
	for _, n := range NeedingRefresh() {
		if !want[n] {
			t.Errorf("%s missing from truth", n)
		}
		if !top[n] {
			t.Errorf("%s needs refresh but is not in the top %d", n, RefreshTopN)
		}
		if lastRelease[n].After(stale) {
			t.Errorf("%s released %v, within six months of End", n, lastRelease[n])
		}
	}
	for n := range top {
		if !want[n] && lastRelease[n].Before(stale) {
			t.Errorf("%s is in the top %d and stale (%v) but not designated", n, RefreshTopN, lastRelease[n])
		}
	}
}

func checkSeasonality(t *testing.T, s *summary) {
	var weekend, weekdays float64
	var nWeekend, nWeekday int
	for i, n := range s.total {
		if wd := weekday(s.start + i); wd == 0 || wd == 6 {
			weekend += float64(n)
			nWeekend++
		} else {
			weekdays += float64(n)
			nWeekday++
		}
	}
	ratio := (weekend / float64(nWeekend)) / (weekdays / float64(nWeekday))
	if ratio > 0.85 || ratio < 0.55 {
		t.Errorf("weekend/weekday volume ratio %.2f, want about %.2f", ratio, WeekendFactor)
	}
}

func checkDimensions(t *testing.T, s *summary) {
	days := len(s.total)
	for _, dim := range []struct {
		name string
		vals []string
	}{{"installer", Installers()}, {"python", PythonMinors()}, {"system", Systems()}, {"type", FileTypes()}} {
		for v := range s.dims[dim.name] {
			if !slices.Contains(dim.vals, v) {
				t.Errorf("unexpected %s %q", dim.name, v)
			}
		}
	}
	countries := s.dims["country"]
	for _, c := range Countries() {
		if sumDays(countries[c.Code], 0, days) < 3 {
			t.Errorf("country %s has %d downloads, want a few", c.Code, sumDays(countries[c.Code], 0, days))
		}
	}
	if len(countries) != CountryCount {
		t.Errorf("%d distinct country codes, want %d", len(countries), CountryCount)
	}
	if us, cn := s.share("country", "US", 0, days), s.share("country", "CN", 0, days); us < 0.35 || cn > us || cn < 0.04 {
		t.Errorf("US share %.3f, CN share %.3f", us, cn)
	}
	if pip := s.share("installer", "pip", 0, days); pip < 0.5 {
		t.Errorf("pip share %.2f, want dominant", pip)
	}
	if linux := s.share("system", "Linux", 0, days); linux < 0.7 {
		t.Errorf("Linux share %.2f, want dominant", linux)
	}
	if wheel := s.share("type", "bdist_wheel", 0, days); wheel < 0.85 {
		t.Errorf("bdist_wheel share %.2f, want dominant", wheel)
	}
	for _, grow := range []struct{ dim, v string }{{"installer", "uv"}, {"python", "3.13"}, {"python", "3.12"}} {
		early, late := s.share(grow.dim, grow.v, 0, 30), s.share(grow.dim, grow.v, days-30, days)
		if late <= early*1.3 {
			t.Errorf("%s %s share %.4f in the first 30 days, %.4f in the last: want growth", grow.dim, grow.v, early, late)
		}
	}
	if early, late := s.share("python", "3.8", 0, 30), s.share("python", "3.8", days-30, days); late >= early {
		t.Errorf("python 3.8 share %.3f → %.3f, want decline", early, late)
	}
}

// checkReleases verifies no version is downloaded before its upload day
// and new releases take over downloads.
func checkReleases(t *testing.T, s *summary) {
	upload := map[string]time.Time{}
	for _, r := range Projects(s.cfg) {
		upload[r.Name+"=="+r.Version] = r.UploadTime
	}
	for key, first := range s.versionFirst {
		up, ok := upload[key]
		if !ok {
			t.Errorf("downloaded %s is not in projects", key)
			continue
		}
		if dayDate(first).Before(DateOf(up)) {
			t.Errorf("%s downloaded on %s, uploaded %v", key, dayDate(first).Format(time.DateOnly), up)
		}
	}
}

func rankByDownloads(m map[string]int64) []string {
	names := mapsKeys(m)
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	return names
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
