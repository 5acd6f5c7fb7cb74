package schema

import (
	"fmt"
	"strings"
)

// maxIdentifierLen keeps names well inside ClickHouse's own limits and out
// of file-system trouble, since database names become directory names.
const maxIdentifierLen = 64

// ValidateIdentifier accepts the names this project splices into SQL
// (database and cluster names): ASCII letters, digits and underscores, not
// starting with a digit. Anything else is refused rather than quoted so a
// hostile name can never reach a statement.
func ValidateIdentifier(kind, name string) error {
	if name == "" {
		return fmt.Errorf("%s name is empty", kind)
	}
	if len(name) > maxIdentifierLen {
		return fmt.Errorf("%s name %q is longer than %d characters", kind, name, maxIdentifierLen)
	}
	for i, r := range name {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return fmt.Errorf("%s name %q may hold only ASCII letters, digits and underscores and must not start with a digit", kind, name)
		}
	}
	return nil
}

// QuoteString renders s as a ClickHouse string literal that reads back as
// exactly s. Control characters are escaped too, so the literal stays on
// one line, and NUL because chDB takes a query as a C string. It serves
// DDL values, the embedded engine's SET statements and array parameters;
// query data itself travels as bound parameters.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	escapeInto(&b, s, true)
	b.WriteByte('\'')
	return b.String()
}

// ArrayLiteral renders strings as the text of an Array(String) query
// parameter: an array literal of quoted strings, which the server unescapes
// once, on one line.
func ArrayLiteral(vs []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(QuoteString(v))
	}
	b.WriteByte(']')
	return b.String()
}

// EscapeText renders s in ClickHouse's escaped text form (TabSeparated's):
// backslashes and the control characters that would end a field are
// escaped, everything else is kept.
func EscapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	escapeInto(&b, s, false)
	return b.String()
}

// escapeInto writes s with backslash escapes for backslash, tab, newline,
// carriage return and NUL, and for the single quote when quoted.
func escapeInto(b *strings.Builder, s string, quoted bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\'' && quoted:
			b.WriteString(`\'`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
}
