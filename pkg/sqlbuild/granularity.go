package sqlbuild

import (
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// ClickHouse's Date runs from 1970-01-01 to 2149-06-06; values outside are
// clamped here rather than left to the server's silent saturation.
func minDate() time.Time { return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }
func maxDate() time.Time { return time.Date(2149, 6, 6, 0, 0, 0, 0, time.UTC) }

// Day returns t's UTC calendar day at midnight, clamped to ClickHouse's
// Date range.
func Day(t time.Time) time.Time {
	u := t.UTC()
	d := time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case d.Before(minDate()):
		return minDate()
	case d.After(maxDate()):
		return maxDate()
	}
	return d
}

// BucketStart returns the first day of the bucket holding day d: d itself,
// its Monday (as toMonday) or the first of its month (as toStartOfMonth).
func BucketStart(g querymodel.Granularity, d time.Time) time.Time {
	d = Day(d)
	switch g {
	case querymodel.Week:
		back := (int(d.Weekday()) + 6) % 7
		return d.AddDate(0, 0, -back)
	case querymodel.Month:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// NextBucket returns the first day of the bucket after the one starting on
// start.
func NextBucket(g querymodel.Granularity, start time.Time) time.Time {
	switch g {
	case querymodel.Week:
		return start.AddDate(0, 0, 7)
	case querymodel.Month:
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// countBuckets is how many buckets of g the days from..to touch.
func countBuckets(g querymodel.Granularity, from, to time.Time) int64 {
	n := int64(0)
	for b := BucketStart(g, from); !b.After(to); b = NextBucket(g, b) {
		n++
	}
	return n
}

// widths are each granularity's nominal width, compared with Grafana's
// interval: a panel asking for 10-day points gets weeks, not days.
func width(g querymodel.Granularity) time.Duration {
	switch g {
	case querymodel.Week:
		return 7 * 24 * time.Hour
	case querymodel.Month:
		return 28 * 24 * time.Hour
	}
	return 24 * time.Hour
}

// ResolveGranularity turns auto into the finest of day, week and month
// whose bucket count fits maxDataPoints and whose width is at least the
// interval; month when none does. Zero hints do not constrain.
func ResolveGranularity(g querymodel.Granularity, from, to time.Time, interval time.Duration, maxDataPoints int64) querymodel.Granularity {
	if g != querymodel.Auto && g != "" {
		return g
	}
	for _, c := range []querymodel.Granularity{querymodel.Day, querymodel.Week} {
		if interval > width(c) {
			continue
		}
		if maxDataPoints > 0 && countBuckets(c, from, to) > maxDataPoints {
			continue
		}
		return c
	}
	return querymodel.Month
}

// bucketExpr is the SQL for the bucket a row's date falls in.
func bucketExpr(g querymodel.Granularity, col string) string {
	switch g {
	case querymodel.Week:
		return "toMonday(" + col + ")"
	case querymodel.Month:
		return "toStartOfMonth(" + col + ")"
	}
	return col
}
