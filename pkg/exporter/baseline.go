package exporter

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Baseline is what the drop rule compares a package's last days with:
// the downloads expected on the last day and over the last two days, and
// the package's noise ratio on the last day (sqlbuild's baseline query,
// the data source's own).
type Baseline struct {
	ExpectedLastDay, ExpectedLast2Days, NoiseRatio float64
}

func noBaseline() Baseline { return Baseline{math.NaN(), math.NaN(), math.NaN()} }

// baselineJob is the baseline family: the data source's baseline query
// over the last two days for every tracked package, in one query.
func (l *Loader) baselineJob(cat *catalog.Catalog, snap *Snapshot, names []string,
	set func(string, func(*PackageStats))) (func(context.Context) error, error) {
	q := querymodel.Query{Type: querymodel.Baseline, Limit: querymodel.DefaultLimit, Granularity: querymodel.Day,
		Statistic: querymodel.StatExpected, Filters: querymodel.Filters{Packages: names, ExcludeMirrors: l.cfg.ExcludeMirrors}}
	last := snap.LastDay
	st, err := sqlbuild.Build(sqlbuild.Request{Query: q, From: last.AddDate(0, 0, -1), To: last,
		Database: l.cfg.Database, Catalog: cat})
	if err != nil {
		return nil, kindErr(KindSchema, fmt.Errorf("baseline: %w", err))
	}
	snap.Sources["baseline"] = st.Source.Table
	for _, n := range names {
		set(n, func(s *PackageStats) { s.Baseline = noBaseline() })
	}
	stmt := statement{sql: st.SQL, params: clickhouse.Parameters(st.Params)}
	return func(ctx context.Context) error {
		byDay := map[string]map[time.Time][2]float64{}
		err := l.run(ctx, "baseline", stmt, func(rows driver.Rows) error {
			r, err := scanNamed(rows)
			if err != nil {
				return err
			}
			day, _ := r[sqlbuild.ColTime].(time.Time)
			p, _ := r[sqlbuild.ColPackage].(string)
			e, _ := r[sqlbuild.ColExpected].(float64)
			n, _ := r[sqlbuild.ColNoise].(float64)
			if byDay[p] == nil {
				byDay[p] = map[time.Time][2]float64{}
			}
			byDay[p][calendarDay(day)] = [2]float64{e, n}
			return nil
		})
		if err != nil {
			return err
		}
		for p, days := range byDay {
			cur, ok := days[last]
			if !ok {
				continue
			}
			b := Baseline{ExpectedLastDay: cur[0], ExpectedLast2Days: math.NaN(), NoiseRatio: cur[1]}
			if prev, ok := days[last.AddDate(0, 0, -1)]; ok {
				b.ExpectedLast2Days = cur[0] + prev[0]
			}
			set(p, func(s *PackageStats) { s.Baseline = b })
		}
		return nil
	}, nil
}

// scanNamed reads one row into values by column name.
func scanNamed(rows driver.Rows) (map[string]any, error) {
	cts := rows.ColumnTypes()
	dest := make([]any, len(cts))
	for i, ct := range cts {
		dest[i] = reflect.New(ct.ScanType()).Interface()
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(cts))
	for i, ct := range cts {
		out[ct.Name()] = reflect.ValueOf(dest[i]).Elem().Interface()
	}
	return out, nil
}

// AsOf is a loader that takes day, when it is before the data's last day,
// as the last complete day: the windows and the baseline then count as
// the exporter would have on the morning after day (the totals and newest
// days still read all the data). The backtest checks its replay of the
// metrics with it.
func (l *Loader) AsOf(day time.Time) *Loader {
	c := *l
	c.asOf = calendarDay(day)
	return &c
}

// calendarDay is a Date column's day as a UTC midnight (zero for
// ClickHouse's 1970-01-01 default).
func calendarDay(d time.Time) time.Time {
	if d.Unix() <= 0 {
		return time.Time{}
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}
