// Package catalog is the view catalogue: which of ClickPy's tables exist in
// the live database, how each is sorted and how many rows it holds, the
// days the data spans, and which table answers a query most cheaply. It is
// read from system tables, so a database lacking some views still works,
// through a larger view or the raw table.
package catalog

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

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
	// Merged are raw columns it holds but sums across: a SummingMergeTree
	// whose sorting key lacks them merges rows that differ only there and
	// keeps one value arbitrarily. It still answers counts that do not
	// split or filter by them.
	Merged []string
	// CountExpr adds up downloads: sum(count) on a summary, count() on raw.
	CountExpr string
	// Raw is true for the raw pypi table.
	Raw bool
	// Rows is the table's live row count (its active parts), when
	// RowsKnown.
	Rows      uint64
	RowsKnown bool
}

// CountIf adds up the downloads of rows where cond holds: summaries hold a
// count column, the raw table one row per download.
func (s Source) CountIf(cond string) string {
	if s.Raw {
		return "countIf(" + cond + ")"
	}
	return "sumIf(" + schema.CountColumn + ", " + cond + ")"
}

// columns is how many raw columns the table holds.
func (s Source) columns() int { return len(s.Dimensions) + len(s.Merged) }

// Catalog is what one database holds.
type Catalog struct {
	Database string
	// Sources are the usable summaries, cheapest first (fewest live rows,
	// else fewest columns), then the raw table when it exists.
	Sources []Source
	// RowCounts tells whether Sources are ordered by live rows; false
	// when system.parts could not be read for every summary.
	RowCounts bool
	// Present and Missing name ClickPy's tables and dictionaries found and
	// not found.
	Present []string
	Missing []string
	// Data is the first and last day with downloads (empty when none),
	// read from DataFrom; DataKnown is false when it could not be read,
	// and DataNote then says why.
	Data      Span
	DataKnown bool
	DataFrom  string
	DataNote  string
	ReadAt    time.Time
	// GitHub is what the database holds of ClickPy's GitHub data.
	GitHub GitHub
}

// Snapshot is what Read gathers from the system tables of one database;
// Build turns it into a catalogue.
type Snapshot struct {
	// Columns are each table's column names (system.columns).
	Columns map[string][]string
	// Tables are each table's engine and sorting key (system.tables).
	Tables map[string]Table
	// Rows are each table's live rows (system.parts); nil when they could
	// not be read.
	Rows map[string]uint64
}

// Table is one table's engine and sorting key, as system.tables gives them.
type Table struct {
	Engine     string
	SortingKey string
}

// Read builds the catalogue of one database from its system tables and
// reads the days its data spans.
func Read(ctx context.Context, q Querier, database string) (*Catalog, error) {
	if err := schema.ValidateIdentifier("database", database); err != nil {
		return nil, err
	}
	snap, err := readSnapshot(ctx, q, database)
	if err != nil {
		return nil, err
	}
	c := Build(database, snap)
	if err := c.readDataSpan(ctx, q); err != nil {
		return nil, err
	}
	return c, nil
}

// Build is Read without the database, so the choice rules are testable on
// any mix of tables, keys and row counts.
func Build(database string, snap Snapshot) *Catalog {
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
	rawOK := hasAll(snap.Columns[schema.RawTable], rawCols)
	mark(schema.RawTable, rawOK)
	c.RowCounts = snap.Rows != nil
	for _, s := range schema.Summaries() {
		want := make([]string, 0, len(s.Columns))
		for _, col := range s.Columns {
			want = append(want, col.Name)
		}
		ok := hasAll(snap.Columns[s.Table], want)
		mark(s.Table, ok)
		// The monthly table only holds recent months and max_min holds no
		// counts, so neither can stand in for the raw table in general.
		if !ok || s.Kind != schema.Sum || s.Where != "" {
			continue
		}
		t := snap.Tables[s.Table]
		merged := mergedColumns(t, s.Dimensions)
		src := Source{Table: s.Table, Merged: merged, CountExpr: "sum(count)",
			Dimensions: slices.DeleteFunc(slices.Clone(s.Dimensions), func(d string) bool { return slices.Contains(merged, d) })}
		src.Rows, src.RowsKnown = rowsOf(snap, s.Table)
		c.RowCounts = c.RowCounts && src.RowsKnown
		c.Sources = append(c.Sources, src)
	}
	mark(schema.ProjectsTable, len(snap.Columns[schema.ProjectsTable]) > 0)
	mark(schema.CountriesTable, len(snap.Columns[schema.CountriesTable]) > 0)
	mark(schema.CountriesDict, snap.Tables[schema.CountriesDict].Engine == dictionaryEngine)
	mark(schema.LastUpdateDict, snap.Tables[schema.LastUpdateDict].Engine == dictionaryEngine)
	c.GitHub = gitHubOf(database, snap, snap)
	sort.SliceStable(c.Sources, func(i, j int) bool {
		a, b := c.Sources[i], c.Sources[j]
		if c.RowCounts && a.Rows != b.Rows {
			return a.Rows < b.Rows
		}
		return a.columns() < b.columns()
	})
	if rawOK {
		raw := Source{Table: schema.RawTable, Dimensions: rawCols, CountExpr: "count()", Raw: true}
		raw.Rows, raw.RowsKnown = rowsOf(snap, schema.RawTable)
		c.Sources = append(c.Sources, raw)
	}
	return c
}

// rowsOf is a table's live rows: known for a MergeTree-family table when
// system.parts was read (a table with no part holds 0 rows), unknown for
// other engines (a Distributed table keeps its parts elsewhere).
func rowsOf(snap Snapshot, table string) (uint64, bool) {
	if snap.Rows == nil || !strings.Contains(snap.Tables[table].Engine, "MergeTree") {
		return 0, false
	}
	return snap.Rows[table], true
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

// Choose returns the cheapest source covering every needed column: the
// summary with the fewest live rows (fewest columns when rows are
// unknown) that neither lacks nor merges one, else the raw table.
func (c *Catalog) Choose(need []string) (Source, error) {
	s, _, err := c.Pick(need)
	return s, err
}

// Pick is Choose, and says why: the rule that decided and the summaries
// passed over because they merge a needed column.
func (c *Catalog) Pick(need []string) (Source, string, error) {
	var covering []Source
	var merged []string
	for _, s := range c.Sources {
		if hasAll(s.Dimensions, need) {
			covering = append(covering, s)
			continue
		}
		lost := slices.DeleteFunc(slices.Clone(s.Merged), func(m string) bool { return !slices.Contains(need, m) })
		if len(lost) > 0 && hasAll(append(slices.Clone(s.Dimensions), s.Merged...), need) {
			merged = append(merged, fmt.Sprintf("%s, whose sorting key lacks %s so its rows are merged across it", s.Table, strings.Join(lost, ", ")))
		}
	}
	if len(covering) == 0 {
		return Source{}, "", fmt.Errorf("no table in database %s holds columns %v: the raw %s table is missing and no summary covers them",
			c.Database, need, schema.RawTable)
	}
	best := covering[0]
	cols := strings.Join(need, ", ")
	if cols == "" {
		cols = "no column"
	}
	summaries := len(covering)
	if covering[len(covering)-1].Raw {
		summaries--
	}
	var why string
	switch {
	case best.Raw:
		why = "no summary holds " + cols
	case summaries == 1:
		why = "the only summary holding " + cols
	case c.RowCounts:
		why = fmt.Sprintf("fewest live rows (%d) of the %d summaries holding %s", best.Rows, summaries, cols)
	default:
		why = fmt.Sprintf("fewest columns of the %d summaries holding %s (row counts unreadable)", summaries, cols)
	}
	if len(merged) > 0 {
		why += "; not " + strings.Join(merged, "; not ")
	}
	return best, why, nil
}

// MergedTable is a summary that sums across columns it holds.
type MergedTable struct {
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
}

// MergedTables lists the summaries whose sorting keys lack some of their
// dimension columns.
func (c *Catalog) MergedTables() []MergedTable {
	var out []MergedTable
	for _, s := range c.Sources {
		if len(s.Merged) > 0 {
			out = append(out, MergedTable{Table: s.Table, Columns: s.Merged})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out
}

// Dates is where download dates are cheapest to read.
type Dates struct {
	Table string
	// First and Last are the columns whose min and max are the first and
	// the newest day with downloads.
	First, Last string
}

// Dates returns pypi_downloads_max_min, one row per package with its first
// and last day, when present; else the cheapest table holding date and
// the extra columns (project, to group by package). No filter applies to
// a date read, so extra names only what the read itself needs.
func (c *Catalog) Dates(extra ...string) (Dates, error) {
	if c.Has(schema.MaxMinDates) {
		return Dates{Table: schema.MaxMinDates, First: "min_date", Last: "max_date"}, nil
	}
	src, err := c.Choose(append([]string{"date"}, extra...))
	if err != nil {
		return Dates{}, err
	}
	return Dates{Table: src.Table, First: "date", Last: "date"}, nil
}
