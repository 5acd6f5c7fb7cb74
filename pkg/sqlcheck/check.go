// Package sqlcheck decides whether a viewer's SQL may run: the sql query
// type takes only statements that read, and no function that reaches
// outside the database's own tables. Any Grafana viewer can send any
// query, so this is judged on the whole statement by a lexer, not by its
// first word; the server's readonly=2 (see querylimits) stands behind it.
package sqlcheck

import (
	"fmt"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// Error says what in the statement is refused and what to do instead.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func refuse(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Check returns nil when sql is one statement that only reads.
func Check(sql string) error {
	toks := sqllex.All(sql)
	if len(toks) == 0 {
		return refuse("the query is empty: write a SELECT")
	}
	if err := single(sql, toks); err != nil {
		return err
	}
	first := firstWord(toks)
	if first < 0 || !readingStatement(toks[first].Text) {
		return refuse("the data source is read-only: the sql query type runs only SELECT, WITH ... SELECT, SHOW, DESCRIBE, EXPLAIN and EXISTS, not %s",
			querymodel.Quote(startText(sql, toks, first)))
	}
	if err := writes(sql, toks); err != nil {
		return err
	}
	return functions(sql, toks)
}

// single refuses a second statement after a ';' (one trailing ';' is
// fine): ClickHouse's HTTP interface refuses them too, but not every
// server path does.
func single(sql string, toks []sqllex.Token) error {
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct && t.Text == ";" && i+1 < len(toks) {
			return refuse("the query holds more than one statement (%s after the ';'): send one statement per query",
				querymodel.Quote(sql[toks[i+1].Pos:]))
		}
	}
	return nil
}

// firstWord skips the parentheses a statement may open with.
func firstWord(toks []sqllex.Token) int {
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct && t.Text == "(" {
			continue
		}
		if t.Kind == sqllex.TokWord {
			return i
		}
		return -1
	}
	return -1
}

func startText(sql string, toks []sqllex.Token, first int) string {
	if first < 0 {
		return sql
	}
	end := len(sql)
	if first+1 < len(toks) {
		end = toks[first+1].Pos
	}
	return strings.TrimSpace(sql[toks[first].Pos:end])
}

func readingStatement(word string) bool {
	switch strings.ToUpper(word) {
	case "SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "EXISTS":
		return true
	}
	return false
}

// writingKeywords start statements that write or change the server; inside
// a reading statement they can only follow a WITH clause (WITH ... INSERT)
// or an EXPLAIN, always outside parentheses.
const writingKeywords = " INSERT CREATE DROP ALTER RENAME TRUNCATE OPTIMIZE SYSTEM KILL GRANT REVOKE ATTACH" +
	" DETACH UNDROP DELETE UPDATE BACKUP RESTORE EXCHANGE MOVE SET USE CHECK "

func listed(list, word string) bool {
	return word != "" && strings.Contains(list, " "+word+" ")
}

// writes refuses a writing keyword outside parentheses where it is not a
// name: not qualified (t.delete), not called (set(...)), not an alias.
func writes(sql string, toks []sqllex.Token) error {
	depth := 0
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct {
			depth += t.Nesting()
			continue
		}
		if depth != 0 || t.Kind != sqllex.TokWord {
			continue
		}
		word := strings.ToUpper(t.Text)
		if word == "INTO" && i+1 < len(toks) && strings.EqualFold(toks[i+1].Text, "OUTFILE") {
			return refuse("the data source is read-only: INTO OUTFILE writes a file (at character %d); remove it", t.Pos+1)
		}
		if !listed(writingKeywords, word) {
			continue
		}
		if i > 0 && (toks[i-1].Text == "." || strings.EqualFold(toks[i-1].Text, "AS")) {
			continue
		}
		if i+1 < len(toks) && (toks[i+1].Text == "(" || toks[i+1].Text == ".") {
			continue
		}
		return refuse("the data source is read-only: the statement writes or changes the server (%s at character %d); the sql query type runs only statements that read",
			querymodel.Quote(strings.ToUpper(t.Text)), t.Pos+1)
	}
	return nil
}
