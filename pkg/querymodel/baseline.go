package querymodel

import "slices"

// Statistic is one of the baseline query's per-day numbers.
type Statistic string

// The baseline statistics (README, Alerting, defines them).
const (
	// StatExpected is the downloads a day was expected to have: the same
	// weekday's median of the four weeks before, moved with the market.
	StatExpected Statistic = "expected"
	// StatNoise is the package's own day-to-day spread, as a ratio.
	StatNoise Statistic = "noise"
)

// Statistics lists the baseline statistics.
func Statistics() []Statistic { return []Statistic{StatExpected, StatNoise} }

// ReferencePackages are the large, steady packages whose days measure how
// PyPI as a whole did (the baseline's market factor): the median of their
// days against their own baselines, so one of them dropping moves it
// little. A database without them gets no market factor (1).
func ReferencePackages() []string {
	return []string{"boto3", "urllib3", "botocore", "requests", "setuptools", "certifi",
		"charset-normalizer", "idna", "typing-extensions", "python-dateutil", "s3transfer",
		"packaging", "six", "numpy", "pyyaml", "pip", "cryptography"}
}

func (q *Query) checkBaseline() error {
	if len(q.Packages) == 0 {
		return fieldErr("packages", "baseline queries need at least one package: one series per package")
	}
	switch {
	case q.Statistic == "":
		q.Statistic = StatExpected
	case !slices.Contains(Statistics(), q.Statistic):
		return fieldErr("statistic", "unknown statistic %s; use expected or noise", Quote(string(q.Statistic)))
	}
	if q.Granularity != Auto && q.Granularity != Day {
		return fieldErr("granularity", "baseline queries are daily; leave granularity at auto or day")
	}
	return nil
}
