package sqlbuild

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// Runnable is the statement as text that runs on its own, in clickhouse
// client or the play page: every bound {name:Type} placeholder replaced by
// its value written as a literal of the same type (strings quoted by
// schema.QuoteString, as the DDL's are). It is what frames show as the
// executed query; the statement itself still travels with parameters.
func (st Statement) Runnable() string { return Inline(st.SQL, st.Literals) }

// Inline replaces each {name:Type} placeholder of sql whose name has a
// literal. Placeholders are found by the lexer, so text inside strings,
// quoted names and comments stays as written, and a literal, being one
// quoted token, cannot end the statement or open another.
func Inline(sql string, literals map[string]string) string {
	if len(literals) == 0 {
		return sql
	}
	toks := sqllex.All(sql)
	var b strings.Builder
	last := 0
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].Text != "{" || toks[i+1].Kind != sqllex.TokWord || toks[i+2].Text != ":" {
			continue
		}
		end := closing(toks, i+3)
		if end < 0 {
			break
		}
		lit, ok := literals[toks[i+1].Text]
		if !ok {
			continue
		}
		b.WriteString(sql[last:toks[i].Pos])
		b.WriteString(lit)
		last = toks[end].End
		i = end
	}
	if last == 0 {
		return sql
	}
	b.WriteString(sql[last:])
	return b.String()
}

// closing is the index of the "}" ending a placeholder whose type starts
// at toks[from], or -1: the type may hold brackets of its own, as
// DateTime64(3, 'UTC') does.
func closing(toks []sqllex.Token, from int) int {
	depth := 0
	for j := from; j < len(toks); j++ {
		switch toks[j].Text {
		case "(", "[", "{":
			if toks[j].Kind == sqllex.TokPunct {
				depth++
			}
		case ")", "]":
			if toks[j].Kind == sqllex.TokPunct && depth > 0 {
				depth--
			}
		case "}":
			if toks[j].Kind != sqllex.TokPunct {
				continue
			}
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return -1
}
