package embedded

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// The checks in this file read a statement as ClickHouse's own formatter
// writes it (formatQuery, see session.go), not as the client typed it:
// one statement, no comments, every SETTINGS clause spelled
// "SETTINGS name = value, ...", names unquoted where they can be, string
// literals in one quoting style. What is checked is then the statement
// chDB runs, whatever tricks its text played on a lexer.

// settingChange is one "name = value" of a SET statement or of a SETTINGS
// clause at any depth.
type settingChange struct {
	Name string
	// Value is the literal as written, "DEFAULT" for DEFAULT.
	Value   string
	Default bool
}

// policy holds what the checks look names up in.
type policy struct {
	hostSources map[string]string
}

func newPolicy() policy { return policy{hostSources: hostSources()} }

// access is what a request may do, once its settings are resolved.
type access struct {
	eff        effective
	hostAccess bool
}

// checked tells whether a request needs the statement checks at all: only a
// user with host access, readonly 0 and no constant settings may run
// anything the admin of a real server could, and Query skips the checks
// (and their formatQuery) for it.
func (a access) checked() bool {
	return !a.hostAccess || a.eff.readonly > 0 || len(a.eff.constant) > 0
}

// check applies, to the canonical text of a statement, ClickHouse's
// readonly and constraint rules for every setting the statement changes
// (a real server checks nested SETTINGS clauses too; chDB 26.7 applies a
// subquery's "SETTINGS readonly = 0" without any check, and lets "readonly
// = DEFAULT" lift readonly=1), and keeps what reaches outside the database
// to users with host access. nested are statements hidden in string
// literals that run later (a dictionary source's QUERY): each must pass
// the same checks.
func (p policy) check(canon string, a access) (nested []string, err error) {
	toks := sqllex.All(canon)
	keyword := ""
	for _, t := range toks {
		if t.Kind == sqllex.TokWord {
			keyword = strings.ToUpper(t.Text)
			break
		}
	}
	if a.eff.readonly > 0 && !IsReadOnly(keyword) && keyword != "SET" && keyword != "USE" {
		return nil, NewException(CodeReadonly, "Cannot execute query in readonly mode")
	}
	if err := fileClauses(toks); err != nil {
		return nil, err
	}
	for _, c := range settingChanges(toks, keyword == "SET") {
		if err := a.checkChange(c); err != nil {
			return nil, err
		}
	}
	if !a.hostAccess && keyword == "ATTACH" && attachFromPath(toks) {
		return nil, hostAccessDenied("ATTACH ... FROM a path", "FILE")
	}
	for _, n := range calledNames(toks) {
		name := strings.ToLower(n.name)
		if strings.Contains(runsBuiltSQL, " "+name+" ") && a.checked() {
			return nil, builtSQLDenied(n.name)
		}
		if a.hostAccess {
			continue
		}
		if src, ok := p.hostSources[name]; ok {
			return nil, hostAccessDenied(n.name, src)
		}
		if name == "clickhouse" && n.args != nil {
			if containsWord(n.args, remoteSourceWords) {
				return nil, hostAccessDenied("a CLICKHOUSE dictionary source with HOST or PORT", "REMOTE")
			}
			sql, err := sourceSQL(n.args)
			if err != nil {
				return nil, err
			}
			nested = append(nested, sql...)
		}
	}
	return nested, nil
}

// sourceSQL returns the SQL a CLICKHOUSE dictionary source runs from its
// string arguments, as statements to check. Any other string argument
// with a bracket in it is refused: names of databases, tables and columns
// have none, and the source splices some of them into its SQL.
func sourceSQL(args []sqllex.Token) ([]string, error) {
	var out []string
	for i, t := range args {
		if t.Kind != sqllex.TokString {
			continue
		}
		v := unquoteString(t.Text)
		prev := ""
		if i > 0 && args[i-1].Kind == sqllex.TokWord {
			prev = strings.ToLower(args[i-1].Text)
		}
		switch {
		case prev == "where":
			out = append(out, "SELECT 1 WHERE "+v)
		case strings.Contains(sourceSQLWords, " "+prev+" "):
			out = append(out, v)
		case strings.ContainsAny(v, "()"):
			return nil, NewException(CodeAccessDenied,
				"Not enough privileges: the dictionary source's %s value %s looks like SQL, which this server cannot check there", strings.ToUpper(prev), t.Text)
		}
	}
	return out, nil
}

// checkChange applies the rules to one setting a statement changes.
func (a access) checkChange(c settingChange) error {
	if strings.HasPrefix(c.Name, "param_") {
		// Query parameters, not settings: SET param_x is not checked by
		// ClickHouse's constraints either.
		return nil
	}
	if !a.hostAccess && strings.Contains(hostSettings, " "+c.Name+" ") {
		return hostSettingDenied(c.Name)
	}
	if !a.hostAccess && strings.Contains(valuesExpressionSettings, " "+c.Name+" ") {
		return valuesExpressionsDenied(c.Name)
	}
	if c.Name == "dialect" && !c.Default && !sameValue(c.Value, "clickhouse") && a.checked() {
		return dialectDenied()
	}
	if cur, ok := a.eff.value(c.Name); ok && !c.Default && sameValue(cur, c.Value) {
		// An unchanged value is no change, for ClickHouse too.
		return nil
	}
	if a.eff.readonly == 0 && len(a.eff.constant) == 0 {
		return nil
	}
	return changeAllowed(a.eff.readonly, a.eff.constant, c.Name)
}

// checkSettings applies the request-level rules that do not depend on the
// statement: no host paths in settings, and SQL as the only dialect, since
// the checks read the statement as ClickHouse SQL.
func (a access) checkSettings() error {
	for _, s := range a.eff.settings {
		if !a.hostAccess && strings.Contains(hostSettings, " "+s.Name+" ") {
			return hostSettingDenied(s.Name)
		}
		if !a.hostAccess && strings.Contains(valuesExpressionSettings, " "+s.Name+" ") {
			return valuesExpressionsDenied(s.Name)
		}
		if s.Name == "dialect" && !sameValue(s.Value, "clickhouse") && a.checked() {
			return dialectDenied()
		}
	}
	return nil
}

func dialectDenied() *Exception {
	return NewException(CodeBadArguments,
		"Setting dialect must stay 'clickhouse' here: this server checks statements as ClickHouse SQL before running them")
}

// fileClauses refuses what a real server never runs: INTO OUTFILE, whose
// file a client writes, and FROM INFILE, whose file a client reads.
func fileClauses(toks []sqllex.Token) error {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind != sqllex.TokWord || toks[i+1].Kind != sqllex.TokWord {
			continue
		}
		a, b := strings.ToUpper(toks[i].Text), strings.ToUpper(toks[i+1].Text)
		switch {
		case a == "INTO" && b == "OUTFILE":
			return NewException(CodeIntoOutfileNotAllowed, "INTO OUTFILE is not allowed")
		case a == "FROM" && b == "INFILE":
			// A server's own words for an INSERT ... FROM INFILE sent to it.
			return NewException(CodeUnknownTypeOfQuery, "Query has infile and was send directly to server")
		}
	}
	return nil
}

// settingChanges returns the assignments of the SET statement (isSet) and
// of every SETTINGS clause, at any depth.
func settingChanges(toks []sqllex.Token, isSet bool) []settingChange {
	var out []settingChange
	if isSet {
		out = append(out, assignmentList(toks, 1)...)
	}
	for i, t := range toks {
		if t.Kind == sqllex.TokWord && strings.EqualFold(t.Text, "SETTINGS") {
			out = append(out, assignmentList(toks, i+1)...)
		}
	}
	return out
}

// assignmentList reads "name = value, name = value ..." from toks[i:].
func assignmentList(toks []sqllex.Token, i int) []settingChange {
	var out []settingChange
	for i+2 < len(toks) {
		name := toks[i]
		if (name.Kind != sqllex.TokWord && name.Kind != sqllex.TokQuotedIdent) || toks[i+1].Text != "=" {
			break
		}
		end := valueEnd(toks, i+2)
		if end < 0 {
			break
		}
		v := tokSpan(toks, i+2, end)
		out = append(out, settingChange{
			Name:    unquoteIdent(name),
			Value:   v,
			Default: end == i+3 && toks[i+2].Kind == sqllex.TokWord && strings.EqualFold(v, "DEFAULT"),
		})
		if end >= len(toks) || toks[end].Text != "," {
			break
		}
		i = end + 1
	}
	return out
}

// valueEnd returns the index after the value starting at toks[i]: an
// optionally signed literal, DEFAULT or another word, a function call
// (disk(...)), a bracketed literal or a {name:Type} substitution; -1 when
// none starts there.
func valueEnd(toks []sqllex.Token, i int) int {
	if i >= len(toks) {
		return -1
	}
	if t := toks[i]; t.Kind == sqllex.TokPunct && (t.Text == "-" || t.Text == "+") {
		i++
		if i >= len(toks) {
			return -1
		}
	}
	t := toks[i]
	switch {
	case t.Kind == sqllex.TokPunct && t.Nesting() > 0:
		return skipBalanced(toks, i)
	case t.Kind == sqllex.TokPunct:
		return -1
	case (t.Kind == sqllex.TokWord || t.Kind == sqllex.TokQuotedIdent) && i+1 < len(toks) && toks[i+1].Text == "(":
		return skipBalanced(toks, i+1)
	}
	return i + 1
}

// calledName is a name followed by an argument list, or named as an
// ENGINE; args holds the tokens of the arguments.
type calledName struct {
	name string
	args []sqllex.Token
}

// calledNames finds every function, table function, engine, dictionary
// source and backup destination a statement names. Only a name after INTO
// or a dot followed by "(" is known to be a table and its column list (a
// table function after INTO needs FUNCTION); after TABLE it may be either
// (DESCRIBE TABLE file(...) reads the file to infer its columns), so a
// table named like a host function is refused unless qualified.
func calledNames(toks []sqllex.Token) []calledName {
	var out []calledName
	for i, t := range toks {
		if t.Kind != sqllex.TokWord && t.Kind != sqllex.TokQuotedIdent {
			continue
		}
		name := unquoteIdent(t)
		if i+1 < len(toks) && toks[i+1].Text == "(" {
			if i > 0 && (toks[i-1].Text == "." || isWordIn(toks[i-1], " INTO ")) {
				continue
			}
			end := skipBalanced(toks, i+1)
			if end < 0 {
				end = len(toks)
			}
			out = append(out, calledName{name: name, args: toks[i+1 : end]})
			continue
		}
		if i >= 2 && toks[i-1].Text == "=" && isWordIn(toks[i-2], " ENGINE ") {
			out = append(out, calledName{name: name})
		}
	}
	return out
}

// attachFromPath tells whether an ATTACH reads its table from a directory
// named in the statement (ATTACH TABLE t FROM '/path' ...).
func attachFromPath(toks []sqllex.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if isWordIn(toks[i], " FROM ") && toks[i+1].Kind == sqllex.TokString {
			return true
		}
	}
	return false
}

func isWordIn(t sqllex.Token, list string) bool {
	return t.Kind == sqllex.TokWord && strings.Contains(list, " "+strings.ToUpper(t.Text)+" ")
}

func containsWord(toks []sqllex.Token, lowerList string) bool {
	for _, t := range toks {
		if t.Kind == sqllex.TokWord && strings.Contains(lowerList, " "+strings.ToLower(t.Text)+" ") {
			return true
		}
	}
	return false
}
