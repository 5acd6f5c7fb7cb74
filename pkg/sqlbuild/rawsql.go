package sqlbuild

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlcheck"
)

// Macros of the sql query type. The user's SQL is sent as written apart
// from these; the values they stand for are parameters.
const (
	MacroTimeFilter = "$__timeFilter" // (col): col within the range, to the millisecond
	MacroDateFilter = "$__dateFilter" // (col): col's date within the range's dates
	MacroTable      = "$__table"      // (col, ...): the smallest table holding the columns
	MacroFromTime   = "$__fromTime"   // the range's start as DateTime64(3, 'UTC')
	MacroToTime     = "$__toTime"     // the range's end as DateTime64(3, 'UTC')
	MacroFromDate   = "$__fromDate"   // the range's first date
	MacroToDate     = "$__toDate"     // the range's last date
)

// userSQL expands the macros of the user's SQL.
func (b *builder) userSQL() (Statement, error) {
	var src catalog.Source
	out, err := expandMacros(b.q.RawSQL, func(name string, args []string) (string, error) {
		switch name {
		case MacroTimeFilter, MacroDateFilter:
			if len(args) != 1 || args[0] == "" {
				return "", fmt.Errorf("rawSql: %s takes one column, as %s(date)", name, name)
			}
			if name == MacroTimeFilter {
				return fmt.Sprintf("(%s >= %s AND %s <= %s)", args[0], b.p.dateTime("__from", b.req.From), args[0], b.p.dateTime("__to", b.req.To)), nil
			}
			return fmt.Sprintf("(%s >= %s AND %s <= %s)", args[0], b.p.date("__from_date", b.from), args[0], b.p.date("__to_date", b.to)), nil
		case MacroTable:
			if len(args) == 0 || (len(args) == 1 && args[0] == "") {
				return "", fmt.Errorf("rawSql: %s needs the columns the query reads, as %s(date, project)", name, name)
			}
			for _, a := range args {
				if !isRawColumn(a) {
					return "", fmt.Errorf("rawSql: %s: %s is not a column of the %s table; use %s", name, querymodel.Quote(a), schema.RawTable, rawColumnNames())
				}
			}
			s, err := b.source(args)
			if err != nil {
				return "", err
			}
			src = s
			return b.table(s.Table), nil
		case MacroFromTime:
			return b.p.dateTime("__from", b.req.From), nil
		case MacroToTime:
			return b.p.dateTime("__to", b.req.To), nil
		case MacroFromDate:
			return b.p.date("__from_date", b.from), nil
		case MacroToDate:
			return b.p.date("__to_date", b.to), nil
		}
		return "", errUnknownMacro
	})
	if err != nil {
		return Statement{}, err
	}
	if err := sqlcheck.Check(out); err != nil {
		return Statement{}, fmt.Errorf("rawSql: %w", err)
	}
	return Statement{SQL: out, Source: src, Shape: Shape{Kind: KindUserSQL}}, nil
}

type macroError string

func (e macroError) Error() string { return string(e) }

// errUnknownMacro tells expandMacros to leave a $__name as written: it may
// be Grafana's to interpolate, or text the user meant.
const errUnknownMacro = macroError("unknown macro")

// macroTakesArgs lists the macros written with parentheses.
func macroTakesArgs(name string) bool {
	return name == MacroTimeFilter || name == MacroDateFilter || name == MacroTable
}

// expandMacros replaces each $__name, and its (args) for the macros that
// take them, outside quotes and comments.
func expandMacros(sql string, expand func(name string, args []string) (string, error)) (string, error) {
	var out strings.Builder
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := skipQuoted(sql, i)
			out.WriteString(sql[i:j])
			i = j
			continue
		case c == '-' && strings.HasPrefix(sql[i:], "--"), c == '#' && strings.HasPrefix(sql[i:], "#!"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			out.WriteString(sql[i : i+j])
			i += j
			continue
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			end := len(sql)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			out.WriteString(sql[i:end])
			i = end
			continue
		case c == '$' && strings.HasPrefix(sql[i:], "$__"):
			j := i + 3
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			name := sql[i:j]
			var args []string
			end := j
			if macroTakesArgs(name) {
				k := j
				for k < len(sql) && (sql[k] == ' ' || sql[k] == '\t') {
					k++
				}
				if k < len(sql) && sql[k] == '(' {
					close, err := matchParen(sql, k)
					if err != nil {
						return "", fmt.Errorf("rawSql: %s: %w", name, err)
					}
					args = splitArgs(sql[k+1 : close])
					end = close + 1
				} else {
					return "", fmt.Errorf("rawSql: %s needs its arguments in parentheses", name)
				}
			}
			rep, err := expand(name, args)
			if err == errUnknownMacro {
				out.WriteString(sql[i:j])
				i = j
				continue
			}
			if err != nil {
				return "", err
			}
			out.WriteString(rep)
			i = end
			continue
		}
		out.WriteByte(c)
		i++
	}
	return out.String(), nil
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// skipQuoted returns the index just past the quoted text starting at i;
// backslash escapes and doubled quotes stay inside.
func skipQuoted(s string, i int) int {
	q := s[i]
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			j += 2
			continue
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		}
		j++
	}
	return len(s)
}

// matchParen returns the index of the parenthesis closing the one at open.
func matchParen(s string, open int) (int, error) {
	depth := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '\'', '"', '`':
			j = skipQuoted(s, j) - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j, nil
			}
		}
	}
	return 0, fmt.Errorf("unclosed parenthesis")
}

// splitArgs splits at commas outside parentheses and quotes.
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\'', '"', '`':
			j = skipQuoted(s, j) - 1
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:j]))
				start = j + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func isRawColumn(name string) bool {
	return slices.Contains(rawColumnList(), name)
}

func rawColumnList() []string {
	var out []string
	for _, c := range schema.RawColumns() {
		out = append(out, c.Name)
	}
	return out
}

func rawColumnNames() string { return strings.Join(rawColumnList(), ", ") }
