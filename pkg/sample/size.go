package sample

import (
	"fmt"
	"strings"
)

// Size names a data volume profile.
type Size string

// The profiles. Test keeps every shape at a size unit tests can afford;
// demo looks like real ClickPy in dashboards; bench stresses loaders.
const (
	SizeTest  Size = "test"
	SizeDemo  Size = "demo"
	SizeBench Size = "bench"
)

// Target raw-row counts and history lengths of the profiles. The test
// profile keeps 400 days because the hot, emerging and refresh shapes need
// at least six months of history to be visible.
const (
	TestRows  = 300_000
	TestDays  = 400
	DemoRows  = 5_000_000
	DemoDays  = 730
	BenchRows = 50_000_000
	BenchDays = 730
)

// Sizes lists the profiles from smallest to largest.
func Sizes() []Size { return []Size{SizeTest, SizeDemo, SizeBench} }

// ParseSize accepts a profile name, case-insensitively.
func ParseSize(s string) (Size, error) {
	sz := Size(strings.ToLower(strings.TrimSpace(s)))
	if err := sz.validate(); err != nil {
		return "", err
	}
	return sz, nil
}

func (s Size) validate() error {
	switch s {
	case SizeTest, SizeDemo, SizeBench:
		return nil
	}
	return fmt.Errorf("unknown sample size %q (want test, demo or bench)", string(s))
}

// String returns the profile name.
func (s Size) String() string { return string(s) }

// Set lets a Size be a flag.Value.
func (s *Size) Set(v string) error {
	p, err := ParseSize(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// TargetRows is the profile's approximate number of raw download rows; the
// generator scales volumes so the total lands within a few percent of it.
func (s Size) TargetRows() int64 {
	switch s {
	case SizeTest:
		return TestRows
	case SizeDemo:
		return DemoRows
	case SizeBench:
		return BenchRows
	}
	return 0
}

// Days is the number of days with data, End included.
func (s Size) Days() int {
	switch s {
	case SizeTest:
		return TestDays
	case SizeDemo:
		return DemoDays
	case SizeBench:
		return BenchDays
	}
	return 0
}
