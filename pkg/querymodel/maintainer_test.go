package querymodel

import (
	"errors"
	"testing"
)

func TestMaintainerTypes(t *testing.T) {
	if _, err := Parse([]byte(`{"queryType":"python_support","packages":["a"],"minPython":"3.10"}`), ""); err != nil {
		t.Error(err)
	}
	if _, err := Parse([]byte(`{"queryType":"adoption","packages":["a"]}`), ""); err != nil {
		t.Error(err)
	}
	for in, field := range map[string]string{
		`{"queryType":"python_support","packages":["a"]}`:                    "minPython",
		`{"queryType":"python_support","packages":["a"],"minPython":"3"}`:    "minPython",
		`{"queryType":"python_support","packages":["a"],"minPython":"3.x"}`:  "minPython",
		`{"queryType":"python_support","minPython":"3.10"}`:                  "packages",
		`{"queryType":"adoption"}`:                                           "packages",
		`{"queryType":"adoption","packages":["a","b"]}`:                      "packages",
		`{"queryType":"python_support","packages":["a"],"minPython":"3.1'"}`: "minPython",
	} {
		_, err := Parse([]byte(in), "")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v, want an error naming %s", in, err, field)
		}
	}
	if a, b, ok := ParseMinor("3.13"); !ok || a != 3 || b != 13 {
		t.Errorf("ParseMinor(3.13) = %d %d %v", a, b, ok)
	}
}
