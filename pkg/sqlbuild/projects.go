package sqlbuild

import (
	"fmt"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// requirementName is SQL for the normalized project name a PEP 508
// requirement string names: the leading run of name characters, which
// ends where a space, "(", ";", a version operator, "[", "," or "@" starts.
func requirementName(expr string) string {
	return normName("extract(" + expr + ", '^[ ]*([A-Za-z0-9._-]+)')")
}

// latestRequirements is SQL for the distinct names in the latest upload's
// requires_dist, inside a query grouped by project name.
func latestRequirements() string {
	return "arrayDistinct(arrayFilter(x -> x != '', arrayMap(r -> " + requirementName("r") +
		", argMax(requires_dist, upload_time))))"
}

// projectMatch is the condition selecting the query's package in projects,
// whose names are written as in the package's metadata.
func (b *builder) projectMatch() string {
	return normName("name") + " = " + b.p.str("package_norm", NormalizeName(b.q.Packages[0]))
}

// recentReleases counts releases (distinct name and version) per month:
// one series per listed package (labelled with its normalized name, as
// downloads name packages), or the total when none is listed.
func (b *builder) recentReleases() (Statement, error) {
	if err := b.requireTable(schema.ProjectsTable); err != nil {
		return Statement{}, err
	}
	conds := []string{"toDate(upload_time) >= " + b.p.date("from", b.from), "toDate(upload_time) <= " + b.p.date("to", b.to)}
	shape := Shape{Kind: KindTimeSeries, TimeColumn: ColTime, ValueColumn: ColValue, ValueName: "releases",
		Expected: []map[string]string{{}}, Start: b.from, End: b.to, Granularity: querymodel.Month}
	cols, keys := "toDate(toStartOfMonth(upload_time)) AS "+ColTime, ColTime
	if len(b.q.Packages) > 0 {
		norm := make([]string, len(b.q.Packages))
		shape.Expected = nil
		for i, p := range b.q.Packages {
			norm[i] = NormalizeName(p)
			shape.Expected = append(shape.Expected, map[string]string{"package": norm[i]})
		}
		conds = append(conds, normName("name")+" IN "+b.p.strs("packages_norm", norm))
		cols += ",\n    " + normName("name") + " AS " + ColPackage
		keys += ", " + ColPackage
		shape.Labels = []Label{{Column: ColPackage, Name: "package"}}
		shape.Packages = norm
	}
	sql := fmt.Sprintf("SELECT\n    %s,\n    toInt64(uniqExact(name, version)) AS %s\nFROM %s%s\nGROUP BY %s\nORDER BY %s",
		cols, ColValue, b.table(schema.ProjectsTable), where(conds), keys, keys)
	return Statement{SQL: sql, Granularity: querymodel.Month, Shape: shape}, nil
}

// releases lists a package's versions uploaded in the range, for
// annotations: time, title and text.
func (b *builder) releases() (Statement, error) {
	if err := b.requireTable(schema.ProjectsTable); err != nil {
		return Statement{}, err
	}
	conds := []string{b.projectMatch(), "toDate(upload_time) >= " + b.p.date("from", b.from),
		"toDate(upload_time) <= " + b.p.date("to", b.to)}
	if len(b.q.Versions) > 0 {
		conds = append(conds, "version IN "+b.p.strs("versions", b.q.Versions))
	}
	sql := fmt.Sprintf(`SELECT
    min(upload_time) AS time,
    version AS title,
    concat(%s, ' ', version, ' released') AS text
FROM %s%s
GROUP BY version
ORDER BY time, title`, b.p.str("package", b.q.Packages[0]), b.table(schema.ProjectsTable), where(conds))
	return tableStatement(sql, catalog.Source{}), nil
}

// dependencies lists the packages the package's latest upload requires,
// with their downloads in the range (0 for none).
func (b *builder) dependencies() (Statement, error) {
	src, f, err := b.projectsWithCounts()
	if err != nil {
		return Statement{}, err
	}
	deps := fmt.Sprintf("SELECT arrayJoin(%s) AS package\n    FROM %s\n    WHERE %s",
		latestRequirements(), b.table(schema.ProjectsTable), b.projectMatch())
	conds := append(b.conds(f, dated(src)), "project IN (\n    "+indent(deps, 4)+"\n)")
	sql := fmt.Sprintf(`SELECT
    r.package AS package,
    ifNull(d.downloads, 0) AS downloads
FROM (
    %s
) AS r
LEFT JOIN (
    SELECT project AS package, %s AS downloads
    FROM %s%s
    GROUP BY project
) AS d ON d.package = r.package
ORDER BY downloads DESC, package
LIMIT %s`, deps, count(src), b.table(src.Table), indent(where(conds), 4), b.limit())
	return tableStatement(b.withStars(sql), src), nil
}

// dependents lists packages whose latest upload requires the package,
// most downloaded in the range first, with their stars.
func (b *builder) dependents() (Statement, error) {
	st, err := b.dependentCounts()
	if err != nil {
		return Statement{}, err
	}
	st.SQL = b.withStars(st.SQL)
	return st, nil
}

// dependentCounts is the dependents query without stars, columns package
// and downloads: the dependents table and the dependents variable both
// list exactly these packages in this order.
func (b *builder) dependentCounts() (Statement, error) {
	src, f, err := b.projectsWithCounts()
	if err != nil {
		return Statement{}, err
	}
	// has() on each row's names, then the value of the latest row: cheaper
	// than keeping every project's latest array.
	users := fmt.Sprintf(`SELECT %s
    FROM %s
    GROUP BY name
    HAVING argMax(has(arrayMap(r -> %s, requires_dist), %s), upload_time)`,
		normName("name"), b.table(schema.ProjectsTable), requirementName("r"),
		b.p.str("package_norm", NormalizeName(b.q.Packages[0])))
	conds := append(b.conds(f, dated(src)), "project IN (\n    "+indent(users, 4)+"\n)")
	sql := fmt.Sprintf("SELECT\n    project AS package,\n    %s AS downloads\nFROM %s%s\nGROUP BY project\nORDER BY downloads DESC, package\nLIMIT %s",
		count(src), b.table(src.Table), where(conds), b.limit())
	return tableStatement(sql, src), nil
}

// projectsWithCounts starts the queries that join projects to each
// package's downloads in the range: projects must exist, and the counts
// come from the smallest table holding project and date, unfiltered but
// for the range.
func (b *builder) projectsWithCounts() (catalog.Source, filterSet, error) {
	if err := b.requireTable(schema.ProjectsTable); err != nil {
		return catalog.Source{}, filterSet{}, err
	}
	f := filterSet{}
	src, err := b.countSource(f, "project")
	return src, f, err
}
