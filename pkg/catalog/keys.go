package catalog

import (
	"slices"
	"strings"
)

// mergedColumns are the dimensions a summing table sums across: those its
// sorting key does not name as a plain column. SummingMergeTree (also
// Replicated and Shared) merges rows with equal keys, so a dimension
// outside the key keeps an arbitrary value of the rows merged. A key
// element that is an expression (toStartOfMonth(date)) does not keep its
// column apart either. Other engines, and tables whose key is unknown (a
// Distributed table reports none), merge nothing here.
func mergedColumns(t Table, dims []string) []string {
	if !strings.Contains(t.Engine, "SummingMergeTree") {
		return nil
	}
	key := sortingKey(t.SortingKey)
	if len(key) == 0 {
		return nil
	}
	var out []string
	for _, d := range dims {
		if !slices.Contains(key, d) {
			out = append(out, d)
		}
	}
	return out
}

// sortingKey splits system.tables' sorting_key ("project, version, date"
// or "(project)") into its elements, unquoting plain column names.
func sortingKey(s string) []string {
	s = strings.TrimSpace(s)
	if wrapped(s) {
		s = s[1 : len(s)-1]
	}
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(', '[':
				depth++
				continue
			case ')', ']':
				depth--
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		if e := strings.Trim(strings.TrimSpace(s[start:i]), "`"); e != "" {
			out = append(out, e)
		}
		start = i + 1
	}
	return out
}

// wrapped tells whether s is one parenthesised expression: "(a, b)", not
// "(a), (b)" nor "f(a)".
func wrapped(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(s)-1 {
				return false
			}
		}
	}
	return true
}
