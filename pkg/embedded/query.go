package embedded

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// DefaultFormat is the output format when neither the request nor the query
// names one, as in ClickHouse's HTTP interface.
const DefaultFormat = "TabSeparated"

// Request is one query with everything ClickHouse's HTTP interface attaches
// to it.
type Request struct {
	// Query is a single statement. An INSERT may carry inline data after its
	// FORMAT clause or VALUES keyword.
	Query string
	// Format is the output format unless the query has a FORMAT clause.
	Format string
	// Database is the current database for this query ("" means default).
	Database string
	// Profile is the user's: readonly level and settings before the
	// request's own.
	Profile Profile
	// Settings are the request's own (URL parameters, a driver's settings):
	// checked against Profile as ClickHouse checks a client's, then applied
	// to this query only. readonly among them is enforced by the engine.
	Settings []Setting
	// Params hold the values of {name:Type} placeholders, in the escaped
	// text form ClickHouse reads query parameters in.
	Params map[string]string
	// Idempotent marks an HTTP GET or HEAD: as in ClickHouse, it runs with
	// readonly=2 when its settings leave readonly at 0.
	Idempotent bool
	// HostAccess lets the query reach the host's files, the network and
	// programs (file(), url(), remote(), s3(), File engines and the like).
	// Without it, and whenever readonly or constant settings apply, every
	// statement is checked as ClickHouse's formatter reads it.
	HostAccess bool
	// Input is more data for an INSERT whose text ends in FORMAT X (or
	// VALUES): it follows any inline data.
	Input io.Reader
}

// Setting is one name = value pair; the value is text, as in a URL.
type Setting struct {
	Name  string
	Value string
}

// Result is a query's output and what chDB counted for it.
type Result struct {
	Data []byte
	// Format is the output format Data is in.
	Format string
	// ResultRows and ResultBytes describe the result.
	ResultRows  uint64
	ResultBytes uint64
	// ReadRows and ReadBytes are what the query read, ClickHouse's own
	// read_rows and read_bytes; valid only when ReadCounted.
	ReadRows    uint64
	ReadBytes   uint64
	ReadCounted bool
	// WritesNothing is set for statements that cannot write (SELECT, SHOW,
	// ...), whose written rows are known to be 0.
	WritesNothing bool
	Elapsed       time.Duration
}

// Exec runs a statement and discards its output.
func (e *Engine) Exec(ctx context.Context, sql string) error {
	_, err := e.Query(ctx, Request{Query: sql})
	return err
}

// Query runs req on a session of its own. Errors from ClickHouse are
// *Exception.
func (e *Engine) Query(ctx context.Context, req Request) (*Result, error) {
	st := Analyze(req.Query)
	eff, err := resolveSettings(req.Profile, req.Settings, req.Idempotent)
	if err != nil {
		return nil, err
	}
	acc := access{eff: eff, hostAccess: req.HostAccess}
	if err := checkStatement(req, st, acc); err != nil {
		return nil, err
	}
	format := req.Format
	if st.Format != "" {
		format = st.Format
	}
	if format == "" {
		format = DefaultFormat
	}
	query, head := req.Query, req.Query
	if st.Insert != nil {
		// The statement without its data, which is not SQL.
		head = req.Query[:st.Insert.ClauseStart] + " FORMAT " + st.Insert.Format
		// Spool before taking the engine: reading a client's body can be
		// slow and must not hold up other queries.
		path, cleanup, err := spoolInsertData(req.Query[st.Insert.DataStart:], req.Input)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		query = insertFromFile(req.Query, st.Insert, path)
	}

	if err := e.acquire(ctx); err != nil {
		return nil, err
	}
	defer e.release()
	s, err := e.openSession()
	if err != nil {
		return nil, err
	}
	defer s.close()

	if req.Database != "" && req.Database != "default" {
		if _, err := s.run(ctx, "USE "+QuoteIdent(req.Database), DefaultFormat); err != nil {
			return nil, err
		}
	}
	raised := false
	if acc.checked() {
		if raised, err = e.checkCanonical(ctx, s, head, acc); err != nil {
			return nil, err
		}
	}
	if assign := assignments(st.Placeholders, req.Params, eff, raised, !req.HostAccess); len(assign) > 0 {
		if _, err := s.run(ctx, "SET "+strings.Join(assign, ", "), DefaultFormat); err != nil {
			return nil, err
		}
	}
	res, err := s.run(ctx, query, format)
	if err != nil {
		return nil, err
	}
	res.Format = format
	// WITH may start an INSERT; a readonly session writes nothing anyway.
	res.WritesNothing = eff.readonly > 0 || IsReadOnly(st.Keyword) && st.Keyword != "WITH"
	return res, nil
}

// maxNestedSQL bounds how deep SQL hidden in strings (a dictionary
// source's QUERY) is followed before the statement is refused.
const maxNestedSQL = 3

// checkCanonical checks the statement, and the SQL it carries in strings,
// as ClickHouse's formatter reads them; raised is canonical's.
func (e *Engine) checkCanonical(ctx context.Context, s *session, statement string, acc access) (raised bool, err error) {
	pending := []string{statement}
	for depth := 0; len(pending) > 0; depth++ {
		if depth > maxNestedSQL {
			return raised, NewException(CodeAccessDenied, "Not enough privileges: SQL nested in strings more than %d deep", maxNestedSQL)
		}
		var next []string
		for _, stmt := range pending {
			canon, r, err := s.canonical(ctx, stmt)
			raised = raised || r
			if err != nil {
				return raised, err
			}
			nested, err := e.policy.check(canon, acc)
			if err != nil {
				return raised, err
			}
			next = append(next, nested...)
		}
		pending = next
	}
	return raised, nil
}

// checkStatement applies what ClickHouse's HTTP interface checks before
// running a query, and what chDB would otherwise get wrong. For readonly
// requests it is a first line that answers early with ClickHouse's codes;
// the checks of the canonical statement and the session's own readonly
// are what hold.
func checkStatement(req Request, st Statement, acc access) error {
	head := req.Query
	if st.Insert != nil {
		head = head[:st.Insert.DataStart]
	}
	if st.Keyword == "" {
		return NewException(CodeSyntaxError, "Empty query")
	}
	if strings.IndexByte(head, 0) >= 0 {
		// chDB takes the query as a C string and would cut it there.
		return NewException(CodeSyntaxError, "Query text contains a NUL byte; pass such values as query parameters")
	}
	if st.Multi {
		return NewException(CodeSyntaxError, "Multi-statements are not allowed")
	}
	if req.Input != nil && st.Insert == nil {
		return NewException(CodeBadArguments, "Input data given for a query that is not an INSERT with FORMAT or VALUES")
	}
	readOnly := acc.eff.readonly > 0
	if readOnly && !IsStatementKeyword(st.Keyword) {
		// A typo is a syntax error for a read-only user too, as in ClickHouse.
		return NewException(CodeSyntaxError, "Syntax error: failed at position 1 (%s): unknown statement. Expected one of: SELECT, WITH, SHOW, DESCRIBE, EXISTS, EXPLAIN", st.Keyword)
	}
	if readOnly && !IsReadOnly(st.Keyword) && st.Keyword != "SET" && st.Keyword != "USE" {
		return NewException(CodeReadonly, "Cannot execute query in readonly mode")
	}
	if st.IntoOutfile {
		return NewException(CodeIntoOutfileNotAllowed, "INTO OUTFILE is not allowed")
	}
	if st.FromInfile {
		return NewException(CodeUnknownTypeOfQuery, "Query has infile and was send directly to server")
	}
	for _, p := range st.Placeholders {
		if _, ok := req.Params[p.Name]; !ok {
			return NewException(CodeUnknownQueryParameter, "Substitution `%s` is not set", p.Name)
		}
	}
	if acc.checked() {
		return acc.checkSettings()
	}
	return nil
}

// assignments builds the SET list of a session: the used parameters, the
// effective settings, Values literals only when the session has no host
// access (see valuesExpressionSettings), readonly last. One SET checks
// every change against the fresh session (readonly 0) before applying any,
// so settings and readonly=1 apply together.
func assignments(used []Placeholder, params map[string]string, eff effective, restoreQuerySize, literalValues bool) []string {
	var assign []string
	seen := map[string]bool{}
	for _, p := range used {
		if seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		assign = append(assign, QuoteIdent("param_"+p.Name)+" = "+schema.QuoteString(params[p.Name]))
	}
	setsQuerySize := false
	for _, s := range eff.settings {
		assign = append(assign, QuoteIdent(s.Name)+" = "+schema.QuoteString(s.Value))
		setsQuerySize = setsQuerySize || s.Name == "max_query_size"
	}
	if restoreQuerySize && !setsQuerySize {
		assign = append(assign, "max_query_size = DEFAULT")
	}
	if literalValues {
		for _, name := range strings.Fields(valuesExpressionSettings) {
			assign = append(assign, name+" = 0")
		}
	}
	if eff.readonly > 0 {
		assign = append(assign, "readonly = "+strconv.Itoa(eff.readonly))
	}
	return assign
}
