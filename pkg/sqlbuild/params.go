package sqlbuild

import (
	"fmt"
	"strconv"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// params collects a statement's query parameters and hands out the
// placeholders that refer to them.
type params struct {
	values map[string]string
	// literals are the same values as SQL literals, for the runnable text
	// (Statement.Runnable).
	literals map[string]string
	// err records a name bound twice to different values, a bug in this
	// package that Build reports instead of sending a wrong query.
	err error
}

func newParams() *params {
	return &params{values: map[string]string{}, literals: map[string]string{}}
}

// bind records a parameter's text (what the server is sent) and literal
// (the same value written in SQL, of the same type).
func (p *params) bind(name, typ, text, literal string) string {
	if old, ok := p.values[name]; ok && old != text && p.err == nil {
		p.err = fmt.Errorf("sqlbuild: parameter %s bound twice with different values", name)
	}
	p.values[name] = text
	p.literals[name] = literal
	return "{" + name + ":" + typ + "}"
}

// str binds a String parameter.
func (p *params) str(name, v string) string {
	return p.bind(name, "String", EscapeText(v), schema.QuoteString(v))
}

// strs binds an Array(String) parameter. An empty array literal would be
// Array(Nothing), so that one is cast.
func (p *params) strs(name string, vs []string) string {
	lit := ArrayLiteral(vs)
	if len(vs) == 0 {
		lit = "CAST([], 'Array(String)')"
	}
	return p.bind(name, "Array(String)", ArrayLiteral(vs), lit)
}

// date binds a Date parameter; t is taken as a UTC calendar day.
func (p *params) date(name string, t time.Time) string {
	d := t.UTC().Format(time.DateOnly)
	return p.bind(name, "Date", d, "toDate("+schema.QuoteString(d)+")")
}

// uint binds a UInt64 parameter. Its literal is the bare number: the
// builders use these in LIMIT and comparisons, where its narrower type
// reads the same.
func (p *params) uint(name string, n uint64) string {
	s := strconv.FormatUint(n, 10)
	return p.bind(name, "UInt64", s, s)
}

// dateTime binds a DateTime64(3, 'UTC') parameter, so the server's own time
// zone never shifts it, clamped to the years DateTime64 holds.
func (p *params) dateTime(name string, t time.Time) string {
	t = t.UTC()
	if lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); t.Before(lo) {
		t = lo
	}
	if hi := time.Date(2299, 12, 31, 23, 59, 59, 999e6, time.UTC); t.After(hi) {
		t = hi
	}
	text := t.Format("2006-01-02 15:04:05.000")
	return p.bind(name, "DateTime64(3, 'UTC')", text, "toDateTime64("+schema.QuoteString(text)+", 3, 'UTC')")
}

// EscapeText renders a string in the escaped text form ClickHouse reads a
// String query parameter in (the server applies TabSeparated unescaping to
// the whole value): backslashes and the control characters that would end a
// field are escaped, everything else is sent as is.
func EscapeText(s string) string { return schema.EscapeText(s) }

// ArrayLiteral renders strings as the text of an Array(String) query
// parameter: a ClickHouse array literal of quoted strings. Inside quotes the
// server unescapes once, so backslashes and quotes are escaped there, and
// control characters too so the value stays on one line.
func ArrayLiteral(vs []string) string { return schema.ArrayLiteral(vs) }
