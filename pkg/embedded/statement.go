package embedded

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// Statement is what the engine and the HTTP front need to know about a query
// before handing it to chDB.
type Statement struct {
	// Keyword is the first keyword, upper-cased ("SELECT", "INSERT", ...);
	// empty when the text holds no statement at all.
	Keyword string
	// Multi is set when more than one statement follows (one trailing ';'
	// is fine). chDB would run them all; ClickHouse's HTTP interface refuses.
	Multi bool
	// Placeholders are the {name:Type} query parameters, in order of
	// appearance, possibly repeated.
	Placeholders []Placeholder
	// Format is the query's own FORMAT clause (not for INSERT, whose FORMAT
	// names the input format).
	Format string
	// IntoOutfile is set for SELECT ... INTO OUTFILE.
	IntoOutfile bool
	// FromInfile is set for INSERT ... FROM INFILE.
	FromInfile bool
	// Insert describes an INSERT whose data follows the statement text.
	Insert *InsertData
}

// Placeholder is one {name:Type} query parameter.
type Placeholder struct {
	Name string
	Type string
}

// InsertData locates the parts of "INSERT INTO t (cols) [SETTINGS ...]
// FORMAT X <data>" or "... VALUES <data>", so that the data can be moved
// to a file and read with FROM INFILE.
type InsertData struct {
	// TableEnd is the offset just after the table and its column list: where
	// FROM INFILE must go.
	TableEnd int
	// ClauseStart is the offset of the FORMAT or VALUES keyword.
	ClauseStart int
	// Format is the input format; "Values" for VALUES.
	Format string
	// DataStart is the offset where the inline data begins.
	DataStart int
}

// readOnlyKeywords may run for read-only users.
const readOnlyKeywords = " SELECT WITH SHOW DESCRIBE DESC EXISTS EXPLAIN "

// writingKeywords start the statements ClickHouse parses that may write or
// change the server's state; a read-only user gets READONLY for them.
const writingKeywords = " INSERT CREATE DROP ALTER RENAME TRUNCATE OPTIMIZE SET SYSTEM KILL GRANT REVOKE" +
	" USE ATTACH DETACH CHECK WATCH UNDROP DELETE UPDATE BACKUP RESTORE EXCHANGE MOVE REPLACE "

// IsReadOnly tells whether a statement starting with keyword only reads.
func IsReadOnly(keyword string) bool {
	return keyword != "" && strings.Contains(readOnlyKeywords, " "+keyword+" ")
}

// IsStatementKeyword tells whether ClickHouse's parser takes keyword as the
// start of a statement. Read-only requests check it first, so that a typo
// is a syntax error there as it is everywhere else, not READONLY.
func IsStatementKeyword(keyword string) bool {
	return IsReadOnly(keyword) || keyword != "" && strings.Contains(writingKeywords, " "+keyword+" ")
}

// Analyze lexes query and fills in a Statement.
func Analyze(query string) Statement {
	toks := tokensUntilData(query)
	var st Statement
	for _, t := range toks {
		if t.Kind == sqllex.TokPunct && t.Text == "(" {
			continue
		}
		if t.Kind == sqllex.TokWord {
			st.Keyword = strings.ToUpper(t.Text)
		}
		break
	}
	end := len(toks)
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct && t.Text == ";" {
			if i+1 < len(toks) {
				st.Multi = true
			}
			end = i
			break
		}
	}
	toks = toks[:end]
	st.Placeholders = placeholders(toks)
	switch st.Keyword {
	case "INSERT":
		st.Insert = insertData(query, toks)
		st.FromInfile = adjacentWords(toks, "FROM", "INFILE")
		if st.Insert != nil && strings.EqualFold(st.Insert.Format, "Values") {
			// Values data is SQL literals: a statement after it would look
			// like a second statement to ClickHouse, so refuse it the same.
			st.Multi = st.Multi || trailingStatement(query[st.Insert.DataStart:])
		}
	default:
		st.Format = formatClause(toks)
		st.IntoOutfile = intoOutfile(toks)
	}
	return st
}

// trailingStatement tells whether anything but one final ';' follows the
// first top-level ';' in s.
func trailingStatement(s string) bool {
	lx := sqllex.NewLexer(s)
	semi := false
	for {
		t, ok := lx.Next()
		if !ok {
			return false
		}
		if semi {
			return true
		}
		semi = t.Kind == sqllex.TokPunct && t.Text == ";"
	}
}

// tokensUntilData lexes query, stopping where an INSERT's inline data would
// begin: data is not SQL and must not be read as such.
func tokensUntilData(query string) []sqllex.Token {
	lx := sqllex.NewLexer(query)
	var toks []sqllex.Token
	isInsert := false
	for {
		t, ok := lx.Next()
		if !ok {
			return toks
		}
		toks = append(toks, t)
		if len(toks) == 1 {
			isInsert = t.Kind == sqllex.TokWord && strings.EqualFold(t.Text, "INSERT")
		}
		// Data can only start after VALUES or the name following FORMAT.
		if isInsert && t.Kind == sqllex.TokWord && (strings.EqualFold(t.Text, "VALUES") ||
			(len(toks) > 1 && strings.EqualFold(toks[len(toks)-2].Text, "FORMAT"))) &&
			insertData(query, toks) != nil {
			return toks
		}
	}
}

// insertData finds where an INSERT's data starts, or returns nil when the
// INSERT takes none (INSERT ... SELECT, FROM INFILE) or is incomplete.
func insertData(query string, toks []sqllex.Token) *InsertData {
	i := 1
	word := func(w string) bool {
		return i < len(toks) && toks[i].Kind == sqllex.TokWord && strings.EqualFold(toks[i].Text, w)
	}
	if !word("INTO") {
		return nil
	}
	i++
	if word("TABLE") {
		i++
	}
	if word("FUNCTION") {
		i++
		if i < len(toks) && toks[i].Kind == sqllex.TokWord {
			i++
		}
		if i = skipBalanced(toks, i); i < 0 {
			return nil
		}
	} else {
		if i = skipTableName(toks, i); i < 0 {
			return nil
		}
	}
	if i < len(toks) && toks[i].Text == "(" {
		if i = skipBalanced(toks, i); i < 0 {
			return nil
		}
	}
	if i == 0 || i > len(toks) {
		return nil
	}
	tableEnd := toks[i-1].End
	depth := 0
	for ; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == sqllex.TokPunct {
			depth += t.Nesting()
			continue
		}
		if t.Kind != sqllex.TokWord || depth != 0 {
			continue
		}
		switch strings.ToUpper(t.Text) {
		case "SELECT", "WITH", "FROM":
			return nil
		case "VALUES":
			return &InsertData{TableEnd: tableEnd, ClauseStart: t.Pos, Format: "Values", DataStart: t.End}
		case "FORMAT":
			if i+1 >= len(toks) || toks[i+1].Kind != sqllex.TokWord {
				return nil
			}
			name := toks[i+1]
			return &InsertData{TableEnd: tableEnd, ClauseStart: t.Pos, Format: name.Text, DataStart: dataStart(query, name.End)}
		}
	}
	return nil
}

// dataStart applies ClickHouse's rule: data begins after the first newline
// that follows the format name, or after all the whitespace when there is no
// newline in it.
func dataStart(query string, pos int) int {
	for pos < len(query) && sqllex.IsSpace(query[pos]) {
		if query[pos] == '\n' {
			return pos + 1
		}
		pos++
	}
	return pos
}

// skipTableName skips [db.]table, each part bare, quoted, or a placeholder.
func skipTableName(toks []sqllex.Token, i int) int {
	for {
		if i >= len(toks) {
			return -1
		}
		switch t := toks[i]; {
		case t.Kind == sqllex.TokWord || t.Kind == sqllex.TokQuotedIdent:
			i++
		case t.Text == "{":
			if i = skipBalanced(toks, i); i < 0 {
				return -1
			}
		default:
			return -1
		}
		if i < len(toks) && toks[i].Text == "." {
			i++
			continue
		}
		return i
	}
}

// skipBalanced skips from an opening bracket at toks[i] past its match and
// returns the next index, or -1 when the input ends first.
func skipBalanced(toks []sqllex.Token, i int) int {
	if i >= len(toks) || toks[i].Kind != sqllex.TokPunct {
		return -1
	}
	depth := 0
	for ; i < len(toks); i++ {
		if toks[i].Kind != sqllex.TokPunct {
			continue
		}
		step := toks[i].Nesting()
		depth += step
		if step < 0 && depth == 0 {
			return i + 1
		}
	}
	return -1
}

func placeholders(toks []sqllex.Token) []Placeholder {
	var out []Placeholder
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].Text != "{" || toks[i+1].Kind != sqllex.TokWord || toks[i+2].Text != ":" {
			continue
		}
		depth := 0
		for j := i + 3; j < len(toks); j++ {
			t := toks[j]
			if t.Kind != sqllex.TokPunct {
				continue
			}
			if t.Text == "(" || t.Text == "{" || t.Text == "[" {
				depth++
			} else if (t.Text == ")" || t.Text == "]") && depth > 0 {
				depth--
			} else if t.Text == "}" {
				if depth == 0 {
					out = append(out, Placeholder{Name: toks[i+1].Text, Type: strings.TrimSpace(tokSpan(toks, i+3, j))})
					i = j
					break
				}
				depth--
			}
		}
	}
	return out
}

// tokSpan is the text from toks[from] up to, not including, toks[to].
func tokSpan(toks []sqllex.Token, from, to int) string {
	if from >= to {
		return ""
	}
	var b strings.Builder
	for k := from; k < to; k++ {
		if k > from && toks[k].Pos > toks[k-1].End {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].Text)
	}
	return b.String()
}

// formatClause returns X from a top-level "FORMAT X" that ends the query or
// is followed by SETTINGS; a column or function named format does not match.
func formatClause(toks []sqllex.Token) string {
	depth := 0
	for i, t := range toks {
		if t.Kind == sqllex.TokPunct {
			depth += t.Nesting()
			continue
		}
		if depth != 0 || t.Kind != sqllex.TokWord || !strings.EqualFold(t.Text, "FORMAT") {
			continue
		}
		if i+1 >= len(toks) || toks[i+1].Kind != sqllex.TokWord {
			continue
		}
		if i+2 == len(toks) || (toks[i+2].Kind == sqllex.TokWord && strings.EqualFold(toks[i+2].Text, "SETTINGS")) {
			return toks[i+1].Text
		}
	}
	return ""
}

func intoOutfile(toks []sqllex.Token) bool { return adjacentWords(toks, "INTO", "OUTFILE") }

// adjacentWords tells whether the words a and b follow each other in toks.
func adjacentWords(toks []sqllex.Token, a, b string) bool {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind == sqllex.TokWord && toks[i+1].Kind == sqllex.TokWord &&
			strings.EqualFold(toks[i].Text, a) && strings.EqualFold(toks[i+1].Text, b) {
			return true
		}
	}
	return false
}

func unquoteIdent(t sqllex.Token) string {
	if t.Kind != sqllex.TokQuotedIdent || len(t.Text) < 2 {
		return t.Text
	}
	q := t.Text[0]
	inner := t.Text[1 : len(t.Text)-1]
	inner = strings.ReplaceAll(inner, string(q)+string(q), string(q))
	return strings.ReplaceAll(inner, `\`+string(q), string(q))
}
