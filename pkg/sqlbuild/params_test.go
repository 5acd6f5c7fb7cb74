package sqlbuild_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

func TestEscapeText(t *testing.T) {
	cases := map[string]string{
		"requests":               "requests",
		`'; DROP TABLE pypi; --`: `'; DROP TABLE pypi; --`,
		`a\b`:                    `a\\b`,
		"a\tb\nc\rd\x00e":        `a\tb\nc\rd\0e`,
		`{x:String}`:             `{x:String}`,
	}
	for in, want := range cases {
		if got := sqlbuild.EscapeText(in); got != want {
			t.Errorf("EscapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArrayLiteral(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{nil, `[]`},
		{[]string{"requests", "numpy"}, `['requests','numpy']`},
		{[]string{`'; DROP TABLE pypi; --`}, `['\'; DROP TABLE pypi; --']`},
		{[]string{`\'`, "a\nb"}, `['\\\'','a\nb']`},
	}
	for _, c := range cases {
		if got := sqlbuild.ArrayLiteral(c.in); got != c.want {
			t.Errorf("ArrayLiteral(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// TestParamRoundTrip reads the parameters back the way ClickHouse does (a
// quoted-string array parser; TabSeparated unescaping for a String) and
// checks every hostile value survives. The integration test does the same
// on the real engine.
func TestParamRoundTrip(t *testing.T) {
	vals := append(hostileStrings(), "", `\`, `'`, `\\'`, "ü\x7f", strings.Repeat("ك🙂\\'\n", 2000))
	got, err := parseArrayLiteral(sqlbuild.ArrayLiteral(vals))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(vals) {
		t.Fatalf("%d values back, want %d", len(got), len(vals))
	}
	for i := range vals {
		if got[i] != vals[i] {
			t.Errorf("array element %d: got %q, want %q", i, got[i], vals[i])
		}
		back, err := unescapeText(sqlbuild.EscapeText(vals[i]))
		if err != nil || back != vals[i] {
			t.Errorf("string %d: got %q (%v), want %q", i, back, err, vals[i])
		}
	}
}

// parseArrayLiteral parses ['a','b'] as ClickHouse reads an Array(String)
// text value.
func parseArrayLiteral(s string) ([]string, error) {
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil, errors.New("not bracketed")
	}
	s = s[1 : len(s)-1]
	var out []string
	for len(s) > 0 {
		if s[0] != '\'' {
			return nil, errors.New("element not quoted")
		}
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '\''; i++ {
			if s[i] == '\\' {
				i++
				if i == len(s) {
					return nil, errors.New("dangling backslash")
				}
				b.WriteByte(unescapeByte(s[i]))
				continue
			}
			b.WriteByte(s[i])
		}
		if i == len(s) {
			return nil, errors.New("unterminated element")
		}
		out = append(out, b.String())
		s = s[i+1:]
		if strings.HasPrefix(s, ",") {
			s = s[1:]
		} else if s != "" {
			return nil, errors.New("junk after element")
		}
	}
	return out, nil
}

// unescapeText undoes TabSeparated escaping, refusing the raw tab and
// newline ClickHouse would stop at.
func unescapeText(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t', '\n':
			return "", errors.New("raw field separator")
		case '\\':
			i++
			if i == len(s) {
				return "", errors.New("dangling backslash")
			}
			b.WriteByte(unescapeByte(s[i]))
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), nil
}

func unescapeByte(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '0':
		return 0
	}
	return c
}
