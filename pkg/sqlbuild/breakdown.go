package sqlbuild

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// breakdown totals downloads over the range by a dimension: the top limit
// values, then one "other" row for the rest, each with its share of all.
func (b *builder) breakdown() (Statement, error) {
	f := filterSet{packages: true, versions: true}
	dims := []string{string(b.q.Dimension)}
	if b.q.Dimension == querymodel.InstallerType {
		dims = []string{"installer", "type"}
	}
	src, err := b.countSource(f, dims...)
	if err != nil {
		return Statement{}, err
	}
	conds := b.conds(f, dated(src))
	lim := b.limit()
	// Level 1 ranks each value; level 2 folds those past the limit into
	// "other"; level 3 names the columns and adds country names. Inner
	// names (k*, n, t, rn) differ from outer aliases because ClickHouse
	// resolves aliases across a whole SELECT.
	var inner, keys, folded, outer []string
	for i, d := range dims {
		k := fmt.Sprintf("k%d", i+1)
		v := fmt.Sprintf("v%d", i+1)
		inner = append(inner, fmt.Sprintf("CAST(%s, 'String') AS %s", d, k))
		keys = append(keys, k)
		folded = append(folded, fmt.Sprintf("if(rn <= %s, %s, '%s') AS %s", lim, k, otherLabel, v))
		outer = append(outer, fmt.Sprintf("b.%s AS %s", v, d))
	}
	level1 := fmt.Sprintf("SELECT\n    %s,\n    %s AS n,\n    row_number() OVER (ORDER BY n DESC, %s) AS rn,\n    sum(n) OVER () AS t\nFROM %s%s\nGROUP BY %s",
		strings.Join(inner, ",\n    "), count(src), strings.Join(keys, ", "), b.table(src.Table), where(conds), strings.Join(keys, ", "))
	vs := make([]string, len(dims))
	for i := range dims {
		vs[i] = fmt.Sprintf("v%d", i+1)
	}
	level2 := fmt.Sprintf("SELECT\n    %s,\n    sum(n) AS downloads,\n    sum(n) / any(t) AS share,\n    min(rn) AS pos\nFROM (\n    %s\n)\nGROUP BY %s",
		strings.Join(folded, ",\n    "), indent(level1, 4), strings.Join(vs, ", "))
	join := ""
	if b.q.Dimension == querymodel.Country {
		name, j := b.countryName("b.v1")
		outer = append(outer, name+" AS country")
		join = j
	}
	outer = append(outer, "b.downloads AS downloads", "b.share AS share")
	sql := fmt.Sprintf("SELECT\n    %s\nFROM (\n    %s\n) AS b%s\nORDER BY b.pos",
		strings.Join(outer, ",\n    "), indent(level2, 4), join)
	return Statement{SQL: sql, Source: src, Shape: Shape{Kind: KindTable}}, nil
}

// countryName is SQL for the name of the country whose code is expr: from
// the dictionary when present, else a join on the countries table, else
// the code itself. join is the JOIN clause the second way needs.
func (b *builder) countryName(expr string) (name, join string) {
	switch {
	case b.cat.Has(schema.CountriesDict):
		return fmt.Sprintf("dictGetOrDefault('%s', 'name', tuple(%s), %s)", b.table(schema.CountriesDict), expr, expr), ""
	case b.cat.Has(schema.CountriesTable):
		return fmt.Sprintf("ifNull(nullIf(c.name, ''), %s)", expr),
			fmt.Sprintf("\nLEFT JOIN (\n    SELECT code, any(name) AS name\n    FROM %s\n    GROUP BY code\n) AS c ON c.code = %s", b.table(schema.CountriesTable), expr)
	}
	return expr, ""
}
