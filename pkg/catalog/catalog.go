// Package catalog is the view catalogue: which of ClickPy's tables exist in
// the live database, and which one answers a query most cheaply. It is read
// from system tables, so a database lacking some views still works, through
// a larger view or the raw table.
package catalog

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Querier is the part of a clickhouse-go connection the catalogue uses.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Source is a table a query can count downloads from.
type Source struct {
	Table string
	// Dimensions are the raw columns it can filter and group by.
	Dimensions []string
	// CountExpr adds up downloads: sum(count) on a summary, count() on raw.
	CountExpr string
	// Raw is true for the raw pypi table.
	Raw bool
}

// CountIf adds up the downloads of rows where cond holds: summaries hold a
// count column, the raw table one row per download.
func (s Source) CountIf(cond string) string {
	if s.Raw {
		return "countIf(" + cond + ")"
	}
	return "sumIf(" + schema.CountColumn + ", " + cond + ")"
}

// Catalog is what one database holds.
type Catalog struct {
	Database string
	// Sources are the usable summaries, fewest dimensions first, then the
	// raw table when it exists.
	Sources []Source
	// Present and Missing name ClickPy's tables and dictionaries found and
	// not found.
	Present []string
	Missing []string
	ReadAt  time.Time
}

// Read builds the catalogue of one database from system.columns.
func Read(ctx context.Context, q Querier, database string) (*Catalog, error) {
	if err := schema.ValidateIdentifier("database", database); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx,
		"SELECT table, groupArray(name) FROM system.columns WHERE database = {db:String} GROUP BY table",
		clickhouse.Named("db", database))
	if err != nil {
		return nil, fmt.Errorf("reading system.columns of %s: %w", database, err)
	}
	defer rows.Close()
	live := map[string][]string{}
	for rows.Next() {
		var table string
		var cols []string
		if err := rows.Scan(&table, &cols); err != nil {
			return nil, fmt.Errorf("reading system.columns of %s: %w", database, err)
		}
		live[table] = cols
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading system.columns of %s: %w", database, err)
	}
	dicts, err := readDictionaries(ctx, q, database)
	if err != nil {
		return nil, err
	}
	return build(database, live, dicts), nil
}

func readDictionaries(ctx context.Context, q Querier, database string) (map[string]bool, error) {
	rows, err := q.Query(ctx, "SELECT name FROM system.tables WHERE database = {db:String} AND engine = 'Dictionary'",
		clickhouse.Named("db", database))
	if err != nil {
		return nil, fmt.Errorf("reading dictionaries of %s: %w", database, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("reading dictionaries of %s: %w", database, err)
		}
		out[name] = true
	}
	return out, rows.Err()
}

// build is Read without the database, so the choice rules are testable on
// any mix of present and missing tables.
func build(database string, live map[string][]string, dicts map[string]bool) *Catalog {
	c := &Catalog{Database: database, ReadAt: time.Now()}
	mark := func(name string, ok bool) {
		if ok {
			c.Present = append(c.Present, name)
		} else {
			c.Missing = append(c.Missing, name)
		}
	}
	rawCols := []string{}
	for _, col := range schema.RawColumns() {
		rawCols = append(rawCols, col.Name)
	}
	rawOK := hasAll(live[schema.RawTable], rawCols)
	mark(schema.RawTable, rawOK)
	for _, s := range schema.Summaries() {
		want := make([]string, 0, len(s.Columns))
		for _, col := range s.Columns {
			want = append(want, col.Name)
		}
		ok := hasAll(live[s.Table], want)
		mark(s.Table, ok)
		// The monthly table only holds recent months and max_min holds no
		// counts, so neither can stand in for the raw table in general.
		if ok && s.Kind == schema.Sum && s.Where == "" {
			c.Sources = append(c.Sources, Source{Table: s.Table, Dimensions: s.Dimensions, CountExpr: "sum(count)"})
		}
	}
	mark(schema.ProjectsTable, len(live[schema.ProjectsTable]) > 0)
	mark(schema.CountriesTable, len(live[schema.CountriesTable]) > 0)
	mark(schema.CountriesDict, dicts[schema.CountriesDict])
	mark(schema.LastUpdateDict, dicts[schema.LastUpdateDict])
	sort.SliceStable(c.Sources, func(i, j int) bool { return len(c.Sources[i].Dimensions) < len(c.Sources[j].Dimensions) })
	if rawOK {
		c.Sources = append(c.Sources, Source{Table: schema.RawTable, Dimensions: rawCols, CountExpr: "count()", Raw: true})
	}
	return c
}

func hasAll(have, want []string) bool {
	if len(have) == 0 {
		return false
	}
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Has tells whether a ClickPy table or dictionary is present.
func (c *Catalog) Has(name string) bool { return slices.Contains(c.Present, name) }

// Choose returns the smallest source covering every needed column: the
// summary with the fewest dimensions, else the raw table.
func (c *Catalog) Choose(need []string) (Source, error) {
	for _, s := range c.Sources {
		if hasAll(s.Dimensions, need) {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("no table in database %s holds columns %v: the raw %s table is missing and no summary covers them",
		c.Database, need, schema.RawTable)
}

// Dates is where the newest download dates are cheapest to read.
type Dates struct {
	Table string
	// Last is the column whose max is the newest day with downloads.
	Last string
}

// Dates returns pypi_downloads_max_min, one row per package with its last
// day, when present; else the smallest table holding date and the extra
// columns (project, to group by package). No filter applies to a date
// read, so extra names only what the read itself needs.
func (c *Catalog) Dates(extra ...string) (Dates, error) {
	if c.Has(schema.MaxMinDates) {
		return Dates{Table: schema.MaxMinDates, Last: "max_date"}, nil
	}
	src, err := c.Choose(append([]string{"date"}, extra...))
	if err != nil {
		return Dates{}, err
	}
	return Dates{Table: src.Table, Last: "date"}, nil
}
