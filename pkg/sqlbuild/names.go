package sqlbuild

import "strings"

// normName is SQL normalizing a project name per PEP 503, so names written
// in metadata ("PyYAML", "zope.interface") match download project names.
func normName(expr string) string {
	return "lower(replaceRegexpAll(" + expr + ", '[-_.]+', '-'))"
}

// NormalizeName is PEP 503 normalization as normName does it in SQL, where
// lower() changes ASCII letters only.
func NormalizeName(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}
