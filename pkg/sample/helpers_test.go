package sample

import (
	"context"
	"hash/fnv"
	"strconv"
	"testing"
	"time"
)

// testEnd is a mid-month End, so the last complete month is the previous
// calendar month.
func testEnd() time.Time { return time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC) }

// summary is what the tests read from one generation pass.
type summary struct {
	cfg    Config
	start  int
	rows   int64
	cells  int64
	hash   uint64
	byPkg  map[string]int64
	daily  map[string][]int64 // per project, indexed by day - start
	total  []int64            // all projects, by day
	dims   map[string]map[string][]int64
	firsts map[string]int // first day number with downloads
	// versionFirst is the first day each project==version was downloaded.
	versionFirst map[string]int
}

func generate(t testing.TB, cfg Config) *summary {
	t.Helper()
	s := &summary{
		cfg:          cfg,
		start:        dayNumber(cfg.Start()),
		byPkg:        map[string]int64{},
		daily:        map[string][]int64{},
		total:        make([]int64, cfg.Size.Days()),
		dims:         map[string]map[string][]int64{"installer": {}, "python": {}, "country": {}, "system": {}, "type": {}},
		firsts:       map[string]int{},
		versionFirst: map[string]int{},
	}
	h := fnv.New64a()
	add := func(dim, v string, i int, n int64) {
		m := s.dims[dim]
		if m[v] == nil {
			m[v] = make([]int64, cfg.Size.Days())
		}
		m[v][i] += n
	}
	err := Cells(context.Background(), cfg, func(batch []Cell) error {
		for _, c := range batch {
			d := dayNumber(c.Date)
			i := d - s.start
			n := int64(c.Count)
			s.rows += n
			s.cells++
			for _, f := range []string{c.Date.Format(time.DateOnly), c.CountryCode, c.Project, c.Type, c.Installer,
				c.PythonMinor, c.System, c.Version, strconv.Itoa(int(c.Count))} {
				h.Write([]byte(f))
				h.Write([]byte{0})
			}
			s.byPkg[c.Project] += n
			if s.daily[c.Project] == nil {
				s.daily[c.Project] = make([]int64, cfg.Size.Days())
			}
			s.daily[c.Project][i] += n
			s.total[i] += n
			add("installer", c.Installer, i, n)
			add("python", c.PythonMinor, i, n)
			add("country", c.CountryCode, i, n)
			add("system", c.System, i, n)
			add("type", c.Type, i, n)
			if f, ok := s.firsts[c.Project]; !ok || d < f {
				s.firsts[c.Project] = d
			}
			key := c.Project + "==" + c.Version
			if f, ok := s.versionFirst[key]; !ok || d < f {
				s.versionFirst[key] = d
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Cells(%+v): %v", cfg, err)
	}
	s.hash = h.Sum64()
	return s
}

// sumDays adds v over day indexes [from, to).
func sumDays(v []int64, from, to int) int64 {
	var n int64
	for i := max(0, from); i < min(len(v), to); i++ {
		n += v[i]
	}
	return n
}

// share is dim value v's share of downloads over day indexes [from, to).
func (s *summary) share(dim, v string, from, to int) float64 {
	return float64(sumDays(s.dims[dim][v], from, to)) / float64(sumDays(s.total, from, to))
}
