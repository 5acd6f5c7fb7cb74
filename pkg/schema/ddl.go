package schema

import (
	"context"
	"fmt"
	"strings"
)

// DefaultDatabase is ClickPy's database name.
const DefaultDatabase = "pypi"

// Options choose where the schema goes.
type Options struct {
	// Database defaults to DefaultDatabase.
	Database string
	// Cluster, when set, adds ON CLUSTER to every statement.
	Cluster string
	// Replicated uses the Replicated* table engines (with the server's
	// default replica path), which a cluster with replicas needs.
	Replicated bool
	// DictionaryUser and DictionaryPassword are written into the
	// dictionaries' ClickHouse source for servers whose default user
	// cannot read the source tables.
	DictionaryUser     string
	DictionaryPassword string
	// PublishedKeys sorts each summary as ClickPy's published DDL does,
	// where that differs from this schema: the installer-by-type table
	// then merges file types, as on the public instance.
	PublishedKeys bool
	// GitHubDatabase holds the GitHub event table and its repository map
	// (ClickPy keeps them in a database named github); empty means
	// Database. NoGitHub leaves the GitHub objects out.
	GitHubDatabase string
	NoGitHub       bool
}

func (o Options) withDefaults() (Options, error) {
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if err := ValidateIdentifier("database", o.Database); err != nil {
		return o, err
	}
	if o.Cluster != "" {
		if err := ValidateIdentifier("cluster", o.Cluster); err != nil {
			return o, err
		}
	}
	if o.GitHubDatabase == "" {
		o.GitHubDatabase = o.Database
	}
	if err := ValidateIdentifier("GitHub database", o.GitHubDatabase); err != nil {
		return o, err
	}
	return o, nil
}

// Statements returns the DDL that creates ClickPy's schema, in dependency
// order: database, raw table, summary tables and their views, projects,
// countries, dictionaries, then the GitHub objects unless NoGitHub.
func Statements(opts Options) ([]string, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	db := o.Database
	on := ""
	if o.Cluster != "" {
		on = " ON CLUSTER " + o.Cluster
	}
	engine := func(name string) string {
		if o.Replicated {
			return "Replicated" + name
		}
		return name
	}
	stmts := []string{fmt.Sprintf("CREATE DATABASE IF NOT EXISTS %s%s", db, on)}
	stmts = append(stmts, createTable(db, RawTable, on, rawColumns(), engine("MergeTree"), rawOrderBy()))
	for _, s := range Summaries() {
		eng := engine("SummingMergeTree")
		if s.Kind == MaxMin {
			eng = engine("AggregatingMergeTree")
		}
		orderBy := s.OrderBy
		if o.PublishedKeys && s.PublishedOrderBy != nil {
			orderBy = s.PublishedOrderBy
		}
		stmts = append(stmts,
			createTable(db, s.Table, on, s.Columns, eng, orderBy),
			createView(db, on, s))
	}
	stmts = append(stmts,
		createTable(db, ProjectsTable, on, projectsColumns(), engine("MergeTree"), []string{"name"}),
		createTable(db, CountriesTable, on, countriesColumns(), engine("MergeTree"), []string{"code"}),
		fmt.Sprintf("CREATE DICTIONARY IF NOT EXISTS %s.%s%s\n(\n    `name` String,\n    `code` String\n)\n"+
			"PRIMARY KEY code\nSOURCE(CLICKHOUSE(DATABASE '%s' TABLE '%s'%s))\n"+
			"LIFETIME(MIN 0 MAX 300)\nLAYOUT(COMPLEX_KEY_HASHED())",
			db, CountriesDict, on, db, CountriesTable, o.sourceAuth()),
		fmt.Sprintf("CREATE DICTIONARY IF NOT EXISTS %s.%s%s\n(\n    `name` String,\n    `last_update` DateTime64(3)\n)\n"+
			"PRIMARY KEY name\nSOURCE(CLICKHOUSE(QUERY 'SELECT name, max(upload_time) AS last_update FROM %s.%s GROUP BY name'%s))\n"+
			"LIFETIME(MIN 0 MAX 300)\nLAYOUT(COMPLEX_KEY_HASHED())",
			db, LastUpdateDict, on, db, ProjectsTable, o.sourceAuth()),
	)
	if !o.NoGitHub {
		stmts = append(stmts, o.githubStatements(db, o.GitHubDatabase, on, engine)...)
	}
	return stmts, nil
}

func (o Options) sourceAuth() string {
	if o.DictionaryUser == "" {
		return ""
	}
	return fmt.Sprintf(" USER %s PASSWORD %s", QuoteString(o.DictionaryUser), QuoteString(o.DictionaryPassword))
}

func columnList(cols []Column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("    `%s` %s", c.Name, c.Type)
	}
	return "(\n" + strings.Join(parts, ",\n") + "\n)"
}

func createTable(db, table, on string, cols []Column, engine string, orderBy []string) string {
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s\n%s\nENGINE = %s\nORDER BY (%s)",
		db, table, on, columnList(cols), engine, strings.Join(orderBy, ", "))
}

func createView(db, on string, s Summary) string {
	var sel string
	switch {
	case s.Kind == MaxMin:
		sel = fmt.Sprintf("SELECT project, maxSimpleState(date) AS max_date, minSimpleState(date) AS min_date\nFROM %s.%s\nGROUP BY project", db, RawTable)
	case s.Table == PerMonth:
		sel = fmt.Sprintf("SELECT toStartOfMonth(date) AS month, project, count() AS count\nFROM %s.%s\nWHERE %s\nGROUP BY month, project", db, RawTable, s.Where)
	default:
		dims := strings.Join(s.Dimensions, ", ")
		sel = fmt.Sprintf("SELECT %s, count() AS count\nFROM %s.%s\nGROUP BY %s", dims, db, RawTable, dims)
	}
	return fmt.Sprintf("CREATE MATERIALIZED VIEW IF NOT EXISTS %s.%s%s TO %s.%s\n%s\nAS %s",
		db, s.View, on, db, s.Table, columnList(s.Columns), sel)
}

// Execer runs one statement; clickhouse-go's Conn.Exec (through ExecWith)
// and the embedded engine both fit with a small adapter.
type Execer func(ctx context.Context, sql string) error

// ExecWith adapts a clickhouse-go connection (anything with its Exec) to
// an Execer.
func ExecWith(conn interface {
	Exec(ctx context.Context, query string, args ...any) error
}) Execer {
	return func(ctx context.Context, sql string) error { return conn.Exec(ctx, sql) }
}

// Apply runs every statement of the schema in order.
func Apply(ctx context.Context, exec Execer, opts Options) error {
	stmts, err := Statements(opts)
	if err != nil {
		return fmt.Errorf("schema options: %w", err)
	}
	for _, s := range stmts {
		if err := exec(ctx, s); err != nil {
			first := strings.SplitN(s, "\n", 2)[0]
			return fmt.Errorf("applying %q: %w", first, err)
		}
	}
	return nil
}
