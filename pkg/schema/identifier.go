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

// quoteString renders s as a ClickHouse string literal; used only for
// values inside DDL (dictionary credentials), never for query data.
func quoteString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}
