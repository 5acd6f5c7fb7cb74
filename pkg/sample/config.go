package sample

import (
	"errors"
	"fmt"
	"time"
)

// Config selects one data set. The generated data is a pure function of it.
type Config struct {
	// Seed varies noise, release histories and the synthetic long tail;
	// the designated packages and their shapes hold for every seed.
	Seed uint64
	// End is the last day with data. Only its calendar date (in End's own
	// location) matters.
	End time.Time
	// Size chooses the volume and the history length.
	Size Size
}

// Bounds on End keep release histories, which reach back a dozen years,
// inside ordinary calendar arithmetic.
const (
	minEndYear = 2010
	maxEndYear = 2200
)

// Validate reports whether the generator accepts c.
func (c Config) Validate() error {
	if c.End.IsZero() {
		return errors.New("sample config: End is not set")
	}
	if y := c.End.Year(); y < minEndYear || y > maxEndYear {
		return fmt.Errorf("sample config: End year %d outside %d..%d", y, minEndYear, maxEndYear)
	}
	if err := c.Size.validate(); err != nil {
		return fmt.Errorf("sample config: %w", err)
	}
	return nil
}

// EndDate returns End as a UTC midnight.
func (c Config) EndDate() time.Time { return DateOf(c.End) }

// Start returns the first day with data.
func (c Config) Start() time.Time {
	return c.EndDate().AddDate(0, 0, -(c.Size.Days() - 1))
}

// DateOf returns t's calendar date as a UTC midnight, the form every date
// in this package takes.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DefaultEnd is the default last day of sample data: yesterday in UTC,
// the newest complete day as ClickPy would have it.
func DefaultEnd() time.Time { return DateOf(time.Now().UTC()).AddDate(0, 0, -1) }

// day numbers count days since 1970-01-01 so the hot loops do integer
// arithmetic instead of time.Time calls.
func dayNumber(t time.Time) int { return int(DateOf(t).Unix() / 86400) }

func dayDate(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }
