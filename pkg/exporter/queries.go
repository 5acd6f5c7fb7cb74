package exporter

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// statement is one query and its server-side parameters. The database name
// is the only identifier spliced into the text; it is checked by
// schema.ValidateIdentifier when the config is loaded.
type statement struct {
	sql    string
	params clickhouse.Parameters
}

// windowDays is the span of the longest window and of breakdowns.
const windowDays = 30

// queryBuilder writes the SQL of each metric family for one refresh.
type queryBuilder struct {
	db             string
	excludeMirrors bool
}

// need adds the installer column when mirrors are filtered out, since the
// filter needs a table that holds it.
func (b queryBuilder) need(cols ...string) []string {
	if b.excludeMirrors {
		cols = append(cols, "installer")
	}
	return cols
}

func (b queryBuilder) table(src catalog.Source) string { return b.db + "." + src.Table }

// conds are the WHERE conditions shared by a family's query; the params
// they use are added to p.
func (b queryBuilder) conds(p clickhouse.Parameters, packages []string, last time.Time, days int) []string {
	var c []string
	if packages != nil {
		p["packages"] = sqlbuild.ArrayLiteral(packages)
		c = append(c, "project IN {packages:Array(String)}")
	}
	if days > 0 {
		p["last"] = last.Format(time.DateOnly)
		p["days"] = strconv.Itoa(days)
		c = append(c, "date > {last:Date} - {days:UInt16}", "date <= {last:Date}")
	}
	if b.excludeMirrors {
		p["mirrors"] = sqlbuild.ArrayLiteral(mirrorInstallers())
		c = append(c, "installer NOT IN {mirrors:Array(String)}")
	}
	return c
}

func where(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\nWHERE " + strings.Join(conds, "\n    AND ")
}

// topPackages ranks all packages by downloads in the 30 days ending on the
// last day.
func (b queryBuilder) topPackages(src catalog.Source, last time.Time, n int) statement {
	p := clickhouse.Parameters{"top": strconv.Itoa(n)}
	sql := fmt.Sprintf("SELECT project, toUInt64(%s) AS n\nFROM %s%s\nGROUP BY project\nORDER BY n DESC, project\nLIMIT {top:UInt32}",
		src.CountExpr, b.table(src), where(b.conds(p, nil, last, windowDays)))
	return statement{sql: sql, params: p}
}

// totals counts every download of each package, all time.
func (b queryBuilder) totals(src catalog.Source, packages []string) statement {
	p := clickhouse.Parameters{}
	sql := fmt.Sprintf("SELECT project, toUInt64(%s)\nFROM %s%s\nGROUP BY project",
		src.CountExpr, b.table(src), where(b.conds(p, packages, time.Time{}, 0)))
	return statement{sql: sql, params: p}
}

// windows counts the last day, the last 7 and 30 days, the 7 days
// before the last day and the last 2 days in one pass over the last 30
// days. The last 2 days are what the drop rule's two-day check reads.
func (b queryBuilder) windows(src catalog.Source, packages []string, last time.Time) statement {
	p := clickhouse.Parameters{}
	conds := b.conds(p, packages, last, windowDays)
	sql := fmt.Sprintf(`SELECT
    project,
    toUInt64(%s),
    toUInt64(%s),
    toUInt64(%s),
    toUInt64(%s),
    toUInt64(%s)
FROM %s%s
GROUP BY project`,
		src.CountIf("date = {last:Date}"),
		src.CountIf("date > {last:Date} - 7"),
		src.CountExpr,
		src.CountIf("date >= {last:Date} - 7 AND date < {last:Date}"),
		src.CountIf("date > {last:Date} - 2"),
		b.table(src), where(conds))
	return statement{sql: sql, params: p}
}

// breakdown ranks each package's values of one dimension over the last 30
// days and folds all but the top n into one row flagged is_other, so the
// result holds at most n+1 rows per package whatever the dimension's
// cardinality (versions can run into thousands).
func (b queryBuilder) breakdown(src catalog.Source, dim Dimension, packages []string, last time.Time, n int) statement {
	p := clickhouse.Parameters{"top": strconv.Itoa(n)}
	conds := b.conds(p, packages, last, windowDays)
	sql := fmt.Sprintf(`SELECT project, is_other, label, toUInt64(sum(n))
FROM (
    SELECT project, n, is_other, if(is_other, '', value) AS label
    FROM (
        SELECT project, value, n,
            row_number() OVER (PARTITION BY project ORDER BY n DESC, value ASC) > {top:UInt32} AS is_other
        FROM (
            SELECT project, toString(%s) AS value, %s AS n
            FROM %s%s
            GROUP BY project, value
        )
    )
)
GROUP BY project, is_other, label`,
		dim, src.CountExpr, b.table(src), indent(where(conds), 12))
	return statement{sql: sql, params: p}
}

func indent(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}
