// Package droprule is the downloads drop rule: its thresholds and its
// decision, the one definition the provisioned Grafana rule's expression
// is written from and the Prometheus rule and the backtest are checked
// against.
//
// A package's day is measured against what it was expected to have (the
// baseline query: the median of the same weekday over the four weeks
// before, moved with the market), with a margin that scales with the
// package's own day-to-day noise:
//
//   - one day: downloads below DayShare of expected, and short of it by
//     more than DayNoise times the noise ratio;
//   - two days (the sustained drop): the last two days below TwoDayShare
//     of their expected sum, and short of it by more than TwoDayNoise
//     noise ratios;
//
// and only where the two days' expected sum is at least MinExpected, so a
// package downloaded a few times a day is never judged.
//
// The noise margins are z-scores: a day's ratio to its expectation spreads
// by about 1.16 noise ratios (its own noise and the baseline's, a median
// of four), two days' by about 0.82, so 3 and 1.5 put an ordinary day
// about 2.6 and 1.8 spreads from firing; the two-day check fires rarely all
// the same, as a package's two days rarely both fall far. They were set
// with the backtest (README, Alerting, has its figures): 2 on two days
// missed half-drops of packages whose noise read 0.25, and 1.5 stays far
// under one false alarm a year; 3 rather than 3.5 lets a day without a download fire for a package expected 4.4 or more (the noise never reads below 0.7/sqrt(expected)). MinExpected (3 a day) is the old rule's
// floor; raise it to your packages' scale.
package droprule

import (
	"fmt"
	"math"
)

// Thresholds; README, Alerting, gives the backtest's figures for them.
const (
	DayShare    = 0.4
	DayNoise    = 3.0
	TwoDayShare = 0.65
	TwoDayNoise = 1.5
	MinExpected = 6.0
)

// Input is what the rule reads about one package on one evaluation: the
// newest day's downloads and expectation, the same over the newest two
// days (Days says how many days the two-day sums hold: a late load
// leaves one), and the noise ratio of the newest day.
type Input struct {
	Last, Expected   float64
	Last2, Expected2 float64
	Days             int
	Noise            float64
}

// Fires is the rule's decision. Anything not a number (no baseline yet)
// never fires.
func Fires(in Input) bool {
	for _, x := range []float64{in.Last, in.Expected, in.Last2, in.Expected2, in.Noise} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	if in.Expected2 < MinExpected {
		return false
	}
	day := in.Last < DayShare*in.Expected && in.Expected-in.Last > DayNoise*in.Noise*in.Expected
	two := in.Days == 2 && in.Last2 < TwoDayShare*in.Expected2 && in.Expected2-in.Last2 > TwoDayNoise*in.Noise*in.Expected2
	return day || two
}

// GrafanaExpression is the rule as a Grafana math expression over reduced
// values: last day and two-day downloads (last, two), their expectations
// (exp, exp2), the two-day window's day count (days) and the noise ratio
// (noise), each the refID of a reduce step. is_number comes first because
// Grafana makes a NaN condition Alerting, and NaN || anything is 1 there:
// only 0 && anything is cut short to 0.
func GrafanaExpression(last, two, days, exp, exp2, noise string) string {
	return fmt.Sprintf("is_number($%[1]s) && is_number($%[2]s) && is_number($%[4]s) && is_number($%[5]s) && is_number($%[6]s) && $%[5]s >= %[7]g && "+
		"(($%[1]s < %[8]g * $%[4]s && $%[4]s - $%[1]s > %[9]g * $%[6]s * $%[4]s) || "+
		"($%[3]s == 2 && $%[2]s < %[10]g * $%[5]s && $%[5]s - $%[2]s > %[11]g * $%[6]s * $%[5]s))",
		last, two, days, exp, exp2, noise, MinExpected, DayShare, DayNoise, TwoDayShare, TwoDayNoise)
}
