package embedded

import (
	"context"
	"io"
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
	// Settings apply to this query only.
	Settings []Setting
	// Params hold the values of {name:Type} placeholders, in the escaped
	// text form ClickHouse reads query parameters in.
	Params map[string]string
	// ReadOnly admits only statements that read.
	ReadOnly bool
	// Input is more data for an INSERT whose text ends in FORMAT X (or
	// VALUES): it follows any inline data.
	Input io.Reader
}

// Setting is one name = value pair; the value is text, as in a URL.
type Setting struct {
	Name  string
	Value string
}

// Result is a query's output and chDB's counters for it.
type Result struct {
	Data []byte
	// Format is the output format Data is in.
	Format      string
	ResultRows  uint64
	ResultBytes uint64
	Elapsed     time.Duration
}

// Exec runs a statement and discards its output.
func (e *Engine) Exec(ctx context.Context, sql string) error {
	_, err := e.Query(ctx, Request{Query: sql})
	return err
}

// Query runs req. Errors from ClickHouse are *Exception.
func (e *Engine) Query(ctx context.Context, req Request) (*Result, error) {
	st := Analyze(req.Query)
	settings, readOnly, err := splitSettings(req.Settings)
	if err != nil {
		return nil, err
	}
	if err := checkStatement(req, st, readOnly || req.ReadOnly); err != nil {
		return nil, err
	}
	format := req.Format
	if st.Format != "" {
		format = st.Format
	}
	if format == "" {
		format = DefaultFormat
	}
	query := req.Query
	if st.Insert != nil {
		// Spool before taking the engine: reading a client's body can be
		// slow and must not hold up other queries.
		path, cleanup, err := spoolInsertData(req.Query[st.Insert.DataStart:], req.Input)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		query = insertFromFile(req.Query, st.Insert, path)
	}
	if st.Keyword == "SET" && containsFold(st.SetNames, "readonly") {
		// readonly can never be lowered again in a session, and a SET in a
		// stateless request has no lasting effect anyway.
		return &Result{Format: format}, nil
	}

	if err := e.acquire(ctx); err != nil {
		return nil, err
	}
	defer e.release()

	if err := e.useDatabase(ctx, req.Database); err != nil {
		return nil, err
	}
	assign, reset := assignments(st.Placeholders, req.Params, settings)
	if len(assign) > 0 {
		if _, err := e.run(ctx, "SET "+strings.Join(assign, ", "), DefaultFormat); err != nil {
			e.resetSettings(reset)
			return nil, err
		}
	}
	res, err := e.run(ctx, query, format)
	e.resetSettings(reset)
	switch st.Keyword {
	case "USE":
		e.curDB = ""
	case "SET":
		e.resetSettings(withoutParams(st.SetNames))
	}
	if err != nil {
		return nil, err
	}
	res.Format = format
	return res, nil
}

// checkStatement applies what ClickHouse's HTTP interface checks before
// running a query, and what chDB would otherwise get wrong.
func checkStatement(req Request, st Statement, readOnly bool) error {
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
	if readOnly && !IsStatementKeyword(st.Keyword) {
		// Never handed to chDB: a read-only request must not run what the
		// lists above do not know.
		return NewException(CodeSyntaxError, "Syntax error: failed at position 1 (%s): unknown statement. Expected one of: SELECT, WITH, SHOW, DESCRIBE, EXISTS, EXPLAIN", st.Keyword)
	}
	if readOnly && !IsReadOnly(st.Keyword) {
		return NewException(CodeReadonly, "Cannot execute query in readonly mode")
	}
	for _, p := range st.Placeholders {
		if _, ok := req.Params[p.Name]; !ok {
			return NewException(CodeUnknownQueryParameter, "Substitution `%s` is not set", p.Name)
		}
	}
	return nil
}

// splitSettings validates names and takes out readonly, which the engine
// enforces itself: set in the session, it could never be reset.
func splitSettings(in []Setting) ([]Setting, bool, error) {
	var out []Setting
	readOnly := false
	for _, s := range in {
		if !validName(s.Name) {
			return nil, false, NewException(CodeUnknownSetting, "Unknown setting '%s'", s.Name)
		}
		if s.Name == "readonly" {
			readOnly = readOnly || (s.Value != "" && s.Value != "0")
			continue
		}
		out = append(out, s)
	}
	return out, readOnly, nil
}

// assignments builds the SET list for the used parameters and the settings,
// and the setting names to reset afterwards. Parameters cannot be unset in
// chDB (SET param_x = DEFAULT stores the word DEFAULT); checkStatement makes
// sure a stale one is never read.
func assignments(used []Placeholder, params map[string]string, settings []Setting) (assign, reset []string) {
	seen := map[string]bool{}
	for _, p := range used {
		if seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		assign = append(assign, QuoteIdent("param_"+p.Name)+" = "+schema.QuoteString(params[p.Name]))
	}
	for _, s := range settings {
		assign = append(assign, QuoteIdent(s.Name)+" = "+schema.QuoteString(s.Value))
		reset = append(reset, s.Name)
	}
	return assign, reset
}

func (e *Engine) useDatabase(ctx context.Context, db string) error {
	if db == "" {
		db = "default"
	}
	if db == e.curDB {
		return nil
	}
	e.curDB = ""
	if _, err := e.run(ctx, "USE "+QuoteIdent(db), DefaultFormat); err != nil {
		return err
	}
	e.curDB = db
	return nil
}

// resetSettings puts settings back to their defaults. It runs even when the
// request's context has ended, since the next request must not see them.
func (e *Engine) resetSettings(names []string) {
	if len(names) == 0 {
		return
	}
	ctx := context.Background()
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, QuoteIdent(n)+" = DEFAULT")
	}
	if _, err := e.run(ctx, "SET "+strings.Join(parts, ", "), DefaultFormat); err == nil {
		return
	}
	// One unknown name fails the whole statement; reset the rest one by one.
	for _, p := range parts {
		_, _ = e.run(ctx, "SET "+p, DefaultFormat)
	}
}

func withoutParams(names []string) []string {
	var out []string
	for _, n := range names {
		if !strings.HasPrefix(n, "param_") && n != "readonly" {
			out = append(out, n)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
