package embedded

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// Exception is a ClickHouse error: its numeric code, symbolic name and
// message, as chDB reports them in "Code: N. DB::Exception: ... (NAME)".
type Exception struct {
	Code    int
	Name    string
	Message string
	// Cause is the Go error behind an exception the engine made up itself,
	// such as context.Canceled for QUERY_WAS_CANCELLED.
	Cause error
}

// Error renders the exception the way ClickHouse prints it.
func (e *Exception) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("Code: %d. DB::Exception: %s.", e.Code, e.Message)
	}
	return fmt.Sprintf("Code: %d. DB::Exception: %s. (%s)", e.Code, e.Message, e.Name)
}

// Unwrap exposes Cause to errors.Is and errors.As.
func (e *Exception) Unwrap() error { return e.Cause }

// NewException builds an exception whose name is known for code.
func NewException(code int, format string, args ...any) *Exception {
	return &Exception{Code: code, Name: CodeName(code), Message: fmt.Sprintf(format, args...)}
}

// ParseException reads chDB's error text. Text that does not start with
// "Code: N." becomes a STD_EXCEPTION carrying the whole text, so callers
// always get a code to report.
func ParseException(text string) *Exception {
	s := strings.TrimSpace(text)
	s = strings.TrimPrefix(s, "Error: ")
	code, rest, ok := cutCode(s)
	if !ok {
		return &Exception{Code: CodeStdException, Name: CodeName(CodeStdException), Message: strings.TrimSuffix(s, ".")}
	}
	ex := &Exception{Code: code}
	for {
		rest = stripExceptionClass(rest)
		rest, ex.Name = cutName(rest, ex.Name)
		rest = cutVersion(rest)
		// chDB sometimes wraps the same exception in itself:
		// "Code: 108. DB::Exception: Code: 108. DB::Exception: ... (NAME) (version ...). (NAME)".
		inner, innerRest, ok := cutCode(rest)
		if !ok || inner != code {
			break
		}
		rest = innerRest
	}
	rest, ex.Name = cutName(rest, ex.Name)
	ex.Message = strings.TrimSuffix(strings.TrimSpace(rest), ".")
	if ex.Name == "" {
		ex.Name = CodeName(code)
	}
	return ex
}

// cutCode splits "Code: 60. rest" into 60 and "rest".
func cutCode(s string) (int, string, bool) {
	after, ok := strings.CutPrefix(s, "Code:")
	if !ok {
		return 0, s, false
	}
	after = strings.TrimLeft(after, " ")
	digits, rest, ok := strings.Cut(after, ".")
	if !ok {
		return 0, s, false
	}
	code, err := strconv.Atoi(digits)
	if err != nil || code <= 0 {
		return 0, s, false
	}
	return code, strings.TrimLeft(rest, " "), true
}

// stripExceptionClass drops a leading "DB::Exception: " (or another class
// ending in Exception).
func stripExceptionClass(s string) string {
	class, rest, ok := strings.Cut(s, ": ")
	if ok && !strings.ContainsAny(class, " \t\n") && strings.HasSuffix(class, "Exception") {
		return rest
	}
	return s
}

// cutName removes a trailing "(NAME)" of upper-case letters, digits and
// underscores, keeping known when nothing is found.
func cutName(s, known string) (string, string) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return s, known
	}
	open := strings.LastIndex(s, " (")
	if open < 0 {
		return s, known
	}
	name := s[open+2 : len(s)-1]
	if name == "" {
		return s, known
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || (c >= 'A' && c <= 'Z') || sqllex.IsDigit(c)) {
			return s, known
		}
	}
	return strings.TrimSuffix(strings.TrimSpace(s[:open]), "."), name
}

// cutVersion removes a trailing " (version 26.7.2.1)" or
// " (version 26.7.2.1 (official build))".
func cutVersion(s string) string {
	s = strings.TrimSpace(s)
	i := strings.LastIndex(s, " (version ")
	if i < 0 || !strings.HasSuffix(s, ")") {
		return s
	}
	return strings.TrimSuffix(strings.TrimSpace(s[:i]), ".")
}
