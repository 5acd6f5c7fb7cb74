package sqlbuild

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// builder holds one Build call's state.
type builder struct {
	req      Request
	q        querymodel.Query
	db       string
	cat      *catalog.Catalog
	p        *params
	from, to time.Time
	notices  []string
	// reasons say why each count's table was chosen, in choice order.
	reasons []string
}

// Build writes the statement for one query.
func Build(req Request) (Statement, error) {
	if err := schema.ValidateIdentifier("database", req.Database); err != nil {
		return Statement{}, fmt.Errorf("data source settings: %w", err)
	}
	if req.Catalog == nil {
		return Statement{}, errors.New("sqlbuild: no view catalogue; read one with catalog.Read before building queries")
	}
	if err := validate(req.Query); err != nil {
		return Statement{}, err
	}
	from, to := Day(req.From), Day(req.To)
	if to.Before(from) {
		return Statement{}, fmt.Errorf("time range: end %s is before start %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	b := &builder{req: req, q: req.Query, db: req.Database, cat: req.Catalog, p: newParams(), from: from, to: to}
	if b.q.AllTime {
		b.from, b.to = b.allTimeRange()
	}
	st, err := b.build()
	if err != nil {
		return Statement{}, err
	}
	if b.p.err != nil {
		return Statement{}, b.p.err
	}
	st.Params = b.p.values
	st.Literals = b.p.literals
	st.Notices = append(st.Notices, b.notices...)
	if n := ignoredNotice(b.q); n != "" {
		st.Notices = append(st.Notices, n)
	}
	if st.Source.Table != "" {
		st.Reason = strings.Join(slices.Compact(b.reasons), "; then ")
	}
	return st, nil
}

func (b *builder) build() (Statement, error) {
	switch b.q.Type {
	case querymodel.TimeSeries:
		return b.timeSeries()
	case querymodel.Breakdown:
		return b.breakdown()
	case querymodel.Summary:
		return b.summary()
	case querymodel.Ranking:
		return b.ranking()
	case querymodel.TopPackages:
		return b.topPackages()
	case querymodel.Totals:
		return b.totals()
	case querymodel.Emerging:
		return b.emerging()
	case querymodel.NeedingRefresh:
		return b.needingRefresh()
	case querymodel.Hot:
		return b.hot()
	case querymodel.RecentReleases:
		return b.recentReleases()
	case querymodel.Releases:
		return b.releases()
	case querymodel.Dependencies:
		return b.dependencies()
	case querymodel.Dependents:
		return b.dependents()
	case querymodel.Details:
		return b.details()
	case querymodel.GitHubStats, querymodel.GitHubStars, querymodel.TopContributors:
		return b.github()
	case querymodel.SQL:
		return b.userSQL()
	case querymodel.VariableQuery:
		return b.variable()
	case querymodel.Baseline:
		return b.baseline()
	case querymodel.Adoption:
		return b.adoption()
	case querymodel.PythonSupport:
		return b.pythonSupport()
	}
	return Statement{}, fmt.Errorf("queryType: %q has no SQL builder", b.q.Type)
}

// table names one of ClickPy's tables in the configured database.
func (b *builder) table(name string) string { return b.db + "." + name }

// tableStatement is a statement whose rows are a table to pass on.
func tableStatement(sql string, src catalog.Source) Statement {
	return Statement{SQL: sql, Source: src, Shape: Shape{Kind: KindTable}}
}

// source picks the table for a count over cols and notes a raw scan.
func (b *builder) source(cols []string) (catalog.Source, error) {
	src, why, err := b.cat.Pick(cols)
	if err != nil {
		return src, fmt.Errorf("%s query: %w", b.q.Type, err)
	}
	b.reasons = append(b.reasons, src.Table+": "+why)
	if src.Raw {
		b.notices = append(b.notices, fmt.Sprintf(
			"scanned the raw %s table: no summary view in database %s holds columns %s; expect a slow query",
			schema.RawTable, b.db, strings.Join(cols, ", ")))
	}
	return src, nil
}

// countSource is source for a count over f's filters and extra columns,
// and says when the range made the date unneeded.
func (b *builder) countSource(f filterSet, extra ...string) (catalog.Source, error) {
	need := b.need(f, extra...)
	src, err := b.source(need)
	if err != nil {
		return src, err
	}
	if covered, note := b.covers(f); covered && !dated(src) {
		b.reasons[len(b.reasons)-1] = src.Table + ": " + note + ", so the date is not needed; " +
			strings.TrimPrefix(b.reasons[len(b.reasons)-1], src.Table+": ")
	}
	return src, nil
}

// dated tells whether counts over src can be bounded by date.
func dated(src catalog.Source) bool { return slices.Contains(src.Dimensions, "date") }

// count is the download count over src, always Int64 so frames get one
// field type whichever table answered.
func count(src catalog.Source) string { return "toInt64(" + src.CountExpr + ")" }

// countIf is the download count over src of rows where cond holds.
func countIf(src catalog.Source, cond string) string { return "toInt64(" + src.CountIf(cond) + ")" }

// where joins conditions into a WHERE clause, or nothing.
func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\nWHERE " + strings.Join(conds, "\n  AND ")
}

// requireTable fails when the catalogue lacks a table the query needs.
func (b *builder) requireTable(name string) error {
	if b.cat.Has(name) {
		return nil
	}
	return fmt.Errorf("%s query: database %s has no %s table; create it with clickpy-schema or pick another query type",
		b.q.Type, b.db, name)
}

// now is the request's wall clock.
func (b *builder) now() time.Time {
	if b.req.Now.IsZero() {
		return time.Now()
	}
	return b.req.Now
}

// limit binds the query's row limit.
func (b *builder) limit() string { return b.p.uint("row_limit", uint64(b.q.Limit)) }
