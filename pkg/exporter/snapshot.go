package exporter

import (
	"cmp"
	"slices"
	"time"
)

// Snapshot is one refresh's result: everything a scrape publishes about
// the data. It is never modified once built, so scrapes read it without
// locks.
type Snapshot struct {
	// LastDay is the newest date with data in the database, taken as the
	// last complete day; zero when the database holds no downloads.
	LastDay time.Time
	// Packages are the tracked packages, explicit ones first in config
	// order, then the top packages by rank.
	Packages []PackageStats
	// Sources names the table each query family read, for the debug log
	// and tests.
	Sources map[string]string
	// CapWarning says, when the ClickHouse user may not turn the server's
	// own read or result caps into errors, what they risk; "" otherwise.
	CapWarning string
}

// PackageStats are one package's counts. Windows end at the snapshot's
// LastDay, so all packages are counted over the same days.
type PackageStats struct {
	Name       string
	Total      uint64
	LastDay    uint64
	Last7Days  uint64
	Last30Days uint64
	Prior7Days uint64
	Last2Days  uint64
	// Baseline holds the drop rule's baseline of the last two days; its
	// values are NaN where the package has none.
	Baseline   Baseline
	NewestDay  time.Time // zero when the package has no downloads
	Breakdowns []BreakdownValues
}

// BreakdownValues are one dimension's published values for a package over
// the last 30 days: at most the breakdown's Top values plus Other.
type BreakdownValues struct {
	Dimension Dimension
	Values    []LabelCount
}

// LabelCount is one series: a label value and its downloads.
type LabelCount struct {
	Label     string
	Downloads uint64
}

// capValues enforces a breakdown's cap whatever the query returned: the
// Top largest values stay (ties broken by label, as the SQL does),
// everything else, including values equal to the other label, is summed
// under other, and the other series is only published when non-zero. The
// query already caps; this makes the cap a property of the exporter
// rather than of one SQL statement.
func capValues(in []LabelCount, top int, other string) []LabelCount {
	merged := map[string]uint64{}
	for _, v := range in {
		merged[v.Label] += v.Downloads
	}
	var rest uint64
	if n, ok := merged[other]; ok {
		rest = n
		delete(merged, other)
	}
	vals := make([]LabelCount, 0, len(merged))
	for l, n := range merged {
		vals = append(vals, LabelCount{l, n})
	}
	slices.SortFunc(vals, func(a, b LabelCount) int {
		if c := cmp.Compare(b.Downloads, a.Downloads); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	if len(vals) > top {
		for _, v := range vals[top:] {
			rest += v.Downloads
		}
		vals = vals[:top]
	}
	if rest > 0 {
		vals = append(vals, LabelCount{other, rest})
	}
	return vals
}
