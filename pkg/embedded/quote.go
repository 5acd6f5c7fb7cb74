package embedded

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/sqllex"
)

// QuoteIdent renders name as a backquoted identifier.
func QuoteIdent(name string) string {
	var b strings.Builder
	b.WriteByte('`')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '`':
			b.WriteString("\\`")
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('`')
	return b.String()
}

// validName tells whether s can be a setting or parameter name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || sqllex.IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return !sqllex.IsDigit(s[0])
}
