package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Span is the first and last day with downloads; the zero Span holds none.
type Span struct {
	First, Last time.Time
}

// Empty tells whether the span holds no day.
func (s Span) Empty() bool { return s.First.IsZero() }

// Union is the smallest span holding both.
func (s Span) Union(o Span) Span {
	switch {
	case s.Empty():
		return o
	case o.Empty():
		return s
	}
	if o.First.Before(s.First) {
		s.First = o.First
	}
	if o.Last.After(s.Last) {
		s.Last = o.Last
	}
	return s
}

// Within tells whether the days from..to (UTC dates) hold the whole span.
func (s Span) Within(from, to time.Time) bool {
	return s.Empty() || !from.After(s.First) && !to.Before(s.Last)
}

// spanOf makes a span from a min and max date read from ClickHouse, where
// NULL or the zero date (1970-01-01, what max of no rows gives) mean none.
func spanOf(first, last *time.Time) Span {
	if first == nil || last == nil || last.Unix() <= 0 {
		return Span{}
	}
	return Span{First: day(*first), Last: day(*last)}
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// readDataSpan reads the first and last day of all the data, from the
// table Dates picks: max_min holds one row per package. Without it the
// read scans a dated summary, which a server's read cap may refuse; the
// catalogue then goes on without the span.
func (c *Catalog) readDataSpan(ctx context.Context, q Querier) error {
	d, err := c.Dates()
	if err != nil {
		c.DataNote = "no table holds download dates"
		return nil
	}
	var first, last *time.Time
	sql := fmt.Sprintf("SELECT minOrNull(%s), maxOrNull(%s) FROM %s.%s", d.First, d.Last, c.Database, d.Table)
	err = scanRows(ctx, q, "the days "+d.Table+" spans", func(scan func(...any) error) error {
		return scan(&first, &last)
	}, sql)
	if err != nil {
		if refused(err, chexception.TooManyRows, chexception.TooManyRowsOrBytes, chexception.TimeoutExceeded, chexception.AccessDenied) {
			c.DataNote = chexception.FirstLine(err.Error())
			return nil
		}
		return err
	}
	c.Data, c.DataKnown, c.DataFrom = spanOf(first, last), true, d.Table
	return nil
}

// SpansStatement is the query reading each of the packages' first and last
// day, one row per package with downloads (project, first, last), and its
// parameters: from max_min when present (one row per package), else the
// cheapest table holding date and project, read through its sorting key.
func (c *Catalog) SpansStatement(packages []string) (string, clickhouse.Parameters, error) {
	d, err := c.Dates("project")
	if err != nil {
		return "", nil, err
	}
	sql := fmt.Sprintf("SELECT project, minOrNull(%s), maxOrNull(%s)\nFROM %s.%s\nWHERE project IN {packages:Array(String)}\nGROUP BY project",
		d.First, d.Last, c.Database, d.Table)
	return sql, clickhouse.Parameters{"packages": schema.ArrayLiteral(packages)}, nil
}

// ReadSpans reads the first and last day of each package; a package
// without downloads gets the empty span. Only the named packages are read:
// ClickPy holds some 600,000.
func (c *Catalog) ReadSpans(ctx context.Context, q Querier, packages []string) (map[string]Span, error) {
	out := make(map[string]Span, len(packages))
	if len(packages) == 0 {
		return out, nil
	}
	sql, params, err := c.SpansStatement(packages)
	if err != nil {
		return nil, err
	}
	for _, p := range packages {
		out[p] = Span{}
	}
	err = scanRows(clickhouse.Context(ctx, clickhouse.WithParameters(params)), q, "the days of packages", func(scan func(...any) error) error {
		var project string
		var first, last *time.Time
		if err := scan(&project, &first, &last); err != nil {
			return err
		}
		out[project] = spanOf(first, last)
		return nil
	}, sql)
	if err != nil {
		return nil, err
	}
	return out, nil
}
