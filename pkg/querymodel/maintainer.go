package querymodel

import (
	"strconv"
	"strings"
)

// ParseMinor reads a Python minor version ("3.10") as its two numbers.
func ParseMinor(s string) (major, minor uint64, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), ".")
	if !found {
		return 0, 0, false
	}
	major, err1 := strconv.ParseUint(a, 10, 32)
	minor, err2 := strconv.ParseUint(b, 10, 32)
	return major, minor, err1 == nil && err2 == nil
}

func (q *Query) checkPythonSupport() error {
	if len(q.Packages) == 0 {
		return fieldErr("packages", "python_support queries need at least one package: one series per package")
	}
	if _, _, ok := ParseMinor(q.MinPython); !ok {
		return fieldErr("minPython", "want a Python minor version such as 3.10, got %s", Quote(q.MinPython))
	}
	return nil
}
