package catalog

import (
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// monthlyWholeMonths: pypi_downloads_per_month only receives rows dated
// after the start of the month six months before each insert, and the
// month on that edge lacks its first day; a month at most five months
// before the current one is whole whenever its data was loaded before now.
const monthlyWholeMonths = 5

// MonthlyWindowStart is the first month pypi_downloads_per_month holds
// whole at now: that month and every later one count every download.
func MonthlyWindowStart(now time.Time) time.Time {
	u := now.UTC()
	return time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -monthlyWholeMonths, 0)
}

// Monthly is pypi_downloads_per_month as a source of month buckets, when
// present. Its month column stands for date truncated to the month.
func (c *Catalog) Monthly() (Source, bool) {
	if !c.Has(schema.PerMonth) {
		return Source{}, false
	}
	return Source{Table: schema.PerMonth, Dimensions: []string{"date", "project"}, CountExpr: "sum(count)"}, true
}
