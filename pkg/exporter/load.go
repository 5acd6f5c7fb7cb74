package exporter

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"golang.org/x/sync/errgroup"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/failover"
	"github.com/clickpy/clickpy-grafana/pkg/querylimits"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Querier is the part of a clickhouse-go connection the loader uses.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// maxResultRows stops a runaway result; the largest legitimate one is a
// breakdown of MaxPackages packages at MaxBreakdownTop values.
const maxResultRows = MaxPackages * (MaxBreakdownTop + 1)

// maxResultBytes is the data source's default answer cap: the largest
// legitimate result, maxResultRows short rows, is about half of it.
const maxResultBytes = 64 << 20

// parallelQueries is how many family queries of one refresh run at once:
// enough to overlap round trips, few enough not to crowd the server.
const parallelQueries = 3

// Loader builds snapshots from ClickHouse: one query per metric family for
// all tracked packages, each on the smallest table holding its columns.
type Loader struct {
	q      Querier
	cfg    Config
	logger *slog.Logger
	now    func() time.Time
	limits *querylimits.Limits
	// asOf, when set, stands in for the data's last day (AsOf).
	asOf time.Time
}

// NewLoader returns a loader for cfg, which must have passed Validate and
// name its database.
func NewLoader(q Querier, cfg Config, logger *slog.Logger) *Loader {
	return &Loader{q: q, cfg: cfg, logger: logger, now: time.Now, limits: querylimits.New(cfg.QueryTimeout, maxResultRows, maxResultBytes, nil)}
}

// Load runs one refresh.
func (l *Loader) Load(ctx context.Context) (*Snapshot, error) {
	cat, err := l.catalog(ctx)
	if err != nil {
		return nil, err
	}
	qb := queryBuilder{db: l.cfg.Database, excludeMirrors: l.cfg.ExcludeMirrors}
	snap := &Snapshot{Sources: map[string]string{}}

	// The catalogue read the data's last day with the tables.
	if !cat.DataKnown {
		return nil, kindErr(KindQuery, fmt.Errorf("last day: the days the data spans could not be read: %s", cat.DataNote))
	}
	snap.LastDay, snap.Sources["last_day"] = cat.Data.Last, cat.DataFrom
	if !l.asOf.IsZero() && (snap.LastDay.IsZero() || l.asOf.Before(snap.LastDay)) {
		snap.LastDay = l.asOf
	}

	names, err := l.tracked(ctx, cat, qb, snap)
	if err != nil {
		return nil, err
	}
	stats := make([]PackageStats, len(names))
	index := make(map[string]int, len(names))
	for i, n := range names {
		stats[i] = PackageStats{Name: n, Breakdowns: l.emptyBreakdowns()}
		index[n] = i
	}
	snap.Packages = stats
	if len(names) == 0 {
		l.noteCaps(snap)
		return snap, nil
	}

	// Each family writes only its own fields of stats, but a package's
	// struct is shared, so writes go through one lock.
	var mu sync.Mutex
	set := func(project string, f func(*PackageStats)) {
		if i, ok := index[project]; ok {
			mu.Lock()
			f(&stats[i])
			mu.Unlock()
		}
	}
	jobs, err := l.familyQueries(cat, qb, snap, names, set)
	if err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelQueries)
	for _, job := range jobs {
		g.Go(func() error { return job(gctx) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	l.finishBreakdowns(stats)
	for _, s := range stats[:len(l.cfg.Packages)] {
		if s.Total == 0 && s.NewestDay.IsZero() {
			l.logger.Warn("tracked package has no downloads in the database; check its name as ClickPy stores it (PyPI's normalized, lower-case form)",
				"package", s.Name, "database", l.cfg.Database)
		}
	}
	l.noteCaps(snap)
	l.logger.Debug("snapshot loaded", "packages", len(stats), "last_day", snap.LastDay.Format(time.DateOnly), "sources", snap.Sources)
	return snap, nil
}

// noteCaps puts on the snapshot what the server's own caps risk, when the
// user may not turn them into errors, and logs it with every refresh.
func (l *Loader) noteCaps(snap *Snapshot) {
	snap.CapWarning = l.limits.Warning()
	if snap.CapWarning != "" {
		l.logger.Warn("counts may come back low", "reason", snap.CapWarning)
	}
}

func (l *Loader) catalog(ctx context.Context) (*catalog.Catalog, error) {
	var cat *catalog.Catalog
	err := l.limits.Do(ctx, l.q, func(ctx context.Context) (err error) {
		cat, err = catalog.Read(ctx, l.q, l.cfg.Database)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(cat.Sources) == 0 {
		return nil, kindErr(KindSchema, fmt.Errorf("database %s holds neither the raw %s table nor a summary of it (missing: %v)",
			l.cfg.Database, schema.RawTable, cat.Missing))
	}
	return cat, nil
}

// choose picks the smallest table for a family and records it.
func (l *Loader) choose(cat *catalog.Catalog, snap *Snapshot, family string, cols []string) (catalog.Source, error) {
	src, err := cat.Choose(cols)
	if err != nil {
		return src, kindErr(KindSchema, fmt.Errorf("%s: %w", family, err))
	}
	snap.Sources[family] = src.Table
	return src, nil
}

// dates is choose for a read of download dates.
func (l *Loader) dates(cat *catalog.Catalog, snap *Snapshot, family string, extra ...string) (catalog.Dates, error) {
	d, err := cat.Dates(extra...)
	if err != nil {
		return d, kindErr(KindSchema, fmt.Errorf("%s: %w", family, err))
	}
	snap.Sources[family] = d.Table
	return d, nil
}

// tracked is the explicit packages followed by the top ones not already
// listed.
func (l *Loader) tracked(ctx context.Context, cat *catalog.Catalog, qb queryBuilder, snap *Snapshot) ([]string, error) {
	names := append([]string(nil), l.cfg.Packages...)
	if l.cfg.TopPackages == 0 || snap.LastDay.IsZero() {
		return names, nil
	}
	src, err := l.choose(cat, snap, "top_packages", qb.need("date", "project"))
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		seen[n] = true
	}
	err = l.run(ctx, "top packages", qb.topPackages(src, snap.LastDay, l.cfg.TopPackages), func(rows driver.Rows) error {
		var project string
		var n uint64
		if err := rows.Scan(&project, &n); err != nil {
			return err
		}
		if !seen[project] {
			seen[project] = true
			names = append(names, project)
		}
		return nil
	})
	return names, err
}

// familyQueries chooses a table for each per-package family and returns
// the queries to run, so that a missing table fails the refresh before any
// query starts.
func (l *Loader) familyQueries(cat *catalog.Catalog, qb queryBuilder, snap *Snapshot, names []string,
	set func(string, func(*PackageStats))) ([]func(context.Context) error, error) {
	var jobs []func(context.Context) error
	totalSrc, err := l.choose(cat, snap, "total", qb.need("project"))
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, func(ctx context.Context) error {
		return l.run(ctx, "totals", qb.totals(totalSrc, names), func(rows driver.Rows) error {
			var project string
			var n uint64
			if err := rows.Scan(&project, &n); err != nil {
				return err
			}
			set(project, func(s *PackageStats) { s.Total = n })
			return nil
		})
	})

	if _, err := l.dates(cat, snap, "newest_day", "project"); err != nil {
		return nil, err
	}
	jobs = append(jobs, func(ctx context.Context) error {
		var spans map[string]catalog.Span
		err := failover.Do(ctx, failoverAttempts, func(ctx context.Context) error {
			return l.limits.Do(ctx, l.q, func(ctx context.Context) (err error) {
				spans, err = cat.ReadSpans(ctx, l.q, names)
				return err
			})
		})
		if err != nil {
			return fmt.Errorf("querying newest days: %w", err)
		}
		for project, s := range spans {
			set(project, func(st *PackageStats) { st.NewestDay = s.Last })
		}
		return nil
	})

	if snap.LastDay.IsZero() {
		return jobs, nil
	}
	winSrc, err := l.choose(cat, snap, "windows", qb.need("date", "project"))
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, func(ctx context.Context) error {
		return l.run(ctx, "windows", qb.windows(winSrc, names, snap.LastDay), func(rows driver.Rows) error {
			var project string
			var day, d7, d30, prior, d2 uint64
			if err := rows.Scan(&project, &day, &d7, &d30, &prior, &d2); err != nil {
				return err
			}
			set(project, func(s *PackageStats) {
				s.LastDay, s.Last7Days, s.Last30Days, s.Prior7Days, s.Last2Days = day, d7, d30, prior, d2
			})
			return nil
		})
	})

	job, err := l.baselineJob(cat, snap, names, set)
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, job)

	for bi, b := range l.cfg.Breakdowns {
		src, err := l.choose(cat, snap, "by_"+string(b.Dimension), qb.need("date", "project", string(b.Dimension)))
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, func(ctx context.Context) error {
			return l.run(ctx, "breakdown by "+string(b.Dimension), qb.breakdown(src, b.Dimension, names, snap.LastDay, b.Top),
				func(rows driver.Rows) error {
					var project, label string
					var other bool
					var n uint64
					if err := rows.Scan(&project, &other, &label, &n); err != nil {
						return err
					}
					switch {
					case other:
						label = b.Other
					case label == "":
						label = unknownValue
					}
					set(project, func(s *PackageStats) {
						s.Breakdowns[bi].Values = append(s.Breakdowns[bi].Values, LabelCount{label, n})
					})
					return nil
				})
		})
	}
	return jobs, nil
}

// emptyBreakdowns names every configured breakdown, so a package's shape
// does not depend on the data; nil when none is configured.
func (l *Loader) emptyBreakdowns() []BreakdownValues {
	if len(l.cfg.Breakdowns) == 0 {
		return nil
	}
	out := make([]BreakdownValues, len(l.cfg.Breakdowns))
	for bi, b := range l.cfg.Breakdowns {
		out[bi].Dimension = b.Dimension
	}
	return out
}

// finishBreakdowns applies the caps.
func (l *Loader) finishBreakdowns(stats []PackageStats) {
	for i := range stats {
		for bi, b := range l.cfg.Breakdowns {
			v := &stats[i].Breakdowns[bi].Values
			*v = capValues(*v, b.Top, b.Other)
		}
	}
}

// failoverAttempts is how often a query is sent again when its connection
// broke: clickhouse-go's default idle pool (5) of connections to a server
// that went, then a new one to the next address of the URL.
const failoverAttempts = 6

// run executes one statement and hands each row to scan. A query whose
// connection broke is sent again: it only reads.
func (l *Loader) run(ctx context.Context, what string, st statement, scan func(driver.Rows) error) error {
	start := l.now()
	err := failover.Do(ctx, failoverAttempts, func(ctx context.Context) error { return l.runOnce(ctx, what, st, scan) })
	if err != nil {
		return err
	}
	l.logger.Debug("query done", "family", what, "duration", l.now().Sub(start))
	return nil
}

func (l *Loader) runOnce(ctx context.Context, what string, st statement, scan func(driver.Rows) error) error {
	return l.limits.Do(ctx, l.q, func(qctx context.Context) error {
		if st.params != nil {
			qctx = clickhouse.Context(qctx, clickhouse.WithParameters(st.params))
		}
		rows, err := l.q.Query(qctx, st.sql)
		if err != nil {
			return fmt.Errorf("querying %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return kindErr(KindQuery, fmt.Errorf("reading %s: %w", what, err))
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		return nil
	})
}
