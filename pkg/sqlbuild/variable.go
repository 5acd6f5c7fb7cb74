package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Column names Grafana reads a variable's options from.
const (
	ColVarText  = "__text"
	ColVarValue = "__value"
)

// variable lists options for a template variable.
func (b *builder) variable() (Statement, error) {
	switch b.q.Variable {
	case querymodel.VarPackages:
		return b.varPackages()
	case querymodel.VarTopPackage:
		return b.varTopPackages()
	case querymodel.VarVersions:
		return b.varVersions()
	case querymodel.VarCountries:
		return b.varCountries()
	case querymodel.VarDimension:
		return b.varDimension()
	case querymodel.VarHot:
		return b.varHot()
	case querymodel.VarDependents:
		return b.varDependents()
	}
	return Statement{}, fmt.Errorf("variable: unknown kind %q", b.q.Variable)
}

// varPackages lists packages starting with the prefix, most downloaded of
// all time first, as a search box would.
func (b *builder) varPackages() (Statement, error) {
	src, err := b.source([]string{"project"})
	if err != nil {
		return Statement{}, err
	}
	var conds []string
	if b.q.Prefix != "" {
		// Project names are lower case; startsWith lets the primary key
		// narrow the read.
		conds = append(conds, "startsWith(project, "+b.p.str("prefix", strings.ToLower(b.q.Prefix))+")")
	}
	sql := fmt.Sprintf("SELECT project AS %s\nFROM %s%s\nGROUP BY project\nORDER BY %s DESC, %s\nLIMIT %s",
		ColVarValue, b.table(src.Table), where(conds), count(src), ColVarValue, b.limit())
	return tableStatement(sql, src), nil
}

// varTopPackages lists the most downloaded packages in the range.
func (b *builder) varTopPackages() (Statement, error) {
	f := filterSet{}
	src, err := b.countSource(f, "project")
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT project AS %s\nFROM %s%s\nGROUP BY project\nORDER BY %s DESC, %s\nLIMIT %s",
		ColVarValue, b.table(src.Table), where(b.conds(f, dated(src))), count(src), ColVarValue, b.limit())
	return tableStatement(sql, src), nil
}

// varVersions lists a package's versions, newest first by the day each
// was first downloaded.
func (b *builder) varVersions() (Statement, error) {
	src, err := b.source([]string{"date", "project", "version"})
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT version AS %s\nFROM %s\nWHERE project = %s\nGROUP BY version\nORDER BY min(date) DESC, %s DESC\nLIMIT %s",
		ColVarValue, b.table(src.Table), b.p.str("package", b.q.Packages[0]), ColVarValue, b.limit())
	return tableStatement(sql, src), nil
}

// varCountries lists countries as name (text) and code (value).
func (b *builder) varCountries() (Statement, error) {
	if b.cat.Has(schema.CountriesTable) {
		sql := fmt.Sprintf("SELECT any(name) AS %s, code AS %s\nFROM %s\nGROUP BY code\nORDER BY %s",
			ColVarText, ColVarValue, b.table(schema.CountriesTable), ColVarText)
		return tableStatement(sql, catalog.Source{}), nil
	}
	f := filterSet{packages: true}
	src, err := b.countSource(f, "country_code")
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT country_code AS %s, country_code AS %s\nFROM %s%s\nGROUP BY country_code\nORDER BY %s",
		ColVarText, ColVarValue, b.table(src.Table), where(b.conds(f, dated(src))), ColVarValue)
	return tableStatement(sql, src), nil
}

// varDimension lists a dimension's values in the range, for the query's
// packages when it names some, most downloaded first.
func (b *builder) varDimension() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	dim := string(b.q.Dimension)
	src, err := b.countSource(f, dim)
	if err != nil {
		return Statement{}, err
	}
	sql := fmt.Sprintf("SELECT %s AS %s\nFROM %s%s\nGROUP BY %s\nORDER BY %s DESC, %s\nLIMIT %s",
		dim, ColVarValue, b.table(src.Table), where(b.conds(f, dated(src))), dim, count(src), ColVarValue, b.limit())
	return tableStatement(sql, src), nil
}

// varDependents lists the dependents query's packages, the most
// downloaded in the range first: the lines a chart sets against the
// package's own downloads.
func (b *builder) varDependents() (Statement, error) {
	st, err := b.dependentCounts()
	if err != nil {
		return Statement{}, err
	}
	// Ordered again outside: a subquery's order is not promised to survive.
	st.SQL = fmt.Sprintf("SELECT package AS %s\nFROM (\n    %s\n)\nORDER BY downloads DESC, %s",
		ColVarValue, indent(st.SQL, 4), ColVarValue)
	return st, nil
}
