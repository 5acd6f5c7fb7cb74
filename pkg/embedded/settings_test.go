package embedded

import (
	"errors"
	"reflect"
	"testing"
)

func codeOf(err error) int {
	var ex *Exception
	if errors.As(err, &ex) {
		return ex.Code
	}
	return 0
}

// The request's settings are checked against the profile as ClickHouse
// checks a client's: readonly=1 changes nothing, readonly>=2 changes all
// but readonly, CONST settings stay, and everything is judged against the
// state before the request, so an admin's readonly=1 and max_threads=2
// both apply.
func TestResolveSettings(t *testing.T) {
	demo := Profile{Readonly: 2, Settings: []Setting{{"max_rows_to_read", "5"}, {"read_overflow_mode", "break"}},
		Constant: []string{"max_rows_to_read", "read_overflow_mode"}}
	cases := []struct {
		name       string
		p          Profile
		req        []Setting
		idempotent bool
		code       int
		level      int
		settings   []Setting
	}{
		{name: "admin", req: []Setting{{"max_threads", "2"}}, settings: []Setting{{"max_threads", "2"}}},
		{name: "admin readonly=1 with a setting", req: []Setting{{"readonly", "1"}, {"max_threads", "2"}}, level: 1, settings: []Setting{{"max_threads", "2"}}},
		{name: "admin readonly=2", req: []Setting{{"readonly", "2"}}, level: 2},
		{name: "GET is readonly=2", idempotent: true, level: 2},
		{name: "GET keeps readonly=1", req: []Setting{{"readonly", "1"}}, idempotent: true, level: 1},
		{name: "readonly=2 user repeats readonly", p: Profile{Readonly: 2}, req: []Setting{{"readonly", "2"}}, level: 2},
		{name: "readonly=2 user lowers readonly", p: Profile{Readonly: 2}, req: []Setting{{"readonly", "0"}}, code: CodeReadonly},
		{name: "readonly=2 user raises readonly", p: Profile{Readonly: 2}, req: []Setting{{"readonly", "1"}}, code: CodeReadonly},
		{name: "readonly=2 user changes a setting", p: Profile{Readonly: 2}, req: []Setting{{"max_threads", "1"}}, level: 2, settings: []Setting{{"max_threads", "1"}}},
		{name: "readonly=1 user changes a setting", p: Profile{Readonly: 1}, req: []Setting{{"max_threads", "1"}}, code: CodeReadonly},
		{name: "readonly=1 user repeats readonly", p: Profile{Readonly: 1}, req: []Setting{{"readonly", "1"}}, level: 1},
		{name: "readonly=1 user sends readonly=2", p: Profile{Readonly: 1}, req: []Setting{{"readonly", "2"}}, code: CodeReadonly},
		{name: "constant changed", p: demo, req: []Setting{{"max_rows_to_read", "0"}}, code: CodeSettingConstraintViolation},
		{name: "constant repeated", p: demo, req: []Setting{{"read_overflow_mode", "'break'"}, {"readonly", "2"}}, level: 2, settings: demo.Settings},
		{name: "bad name", req: []Setting{{"bad name", "1"}}, code: CodeUnknownSetting},
		{name: "bad readonly", req: []Setting{{"readonly", "x"}}, code: CodeCannotParseNumber},
	}
	for _, c := range cases {
		eff, err := resolveSettings(c.p, c.req, c.idempotent)
		if c.code != 0 {
			if codeOf(err) != c.code {
				t.Errorf("%s: got %v, want code %d", c.name, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if eff.readonly != c.level || !reflect.DeepEqual(eff.settings, c.settings) && len(eff.settings)+len(c.settings) > 0 {
			t.Errorf("%s: readonly %d settings %v, want %d %v", c.name, eff.readonly, eff.settings, c.level, c.settings)
		}
	}
	eff, err := resolveSettings(demo, nil, false)
	if err != nil || !reflect.DeepEqual(eff.constant, map[string]string{"max_rows_to_read": "5", "read_overflow_mode": "break"}) {
		t.Fatalf("constants %v %v", eff.constant, err)
	}
}

func TestSameValue(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"break", "'break'", true},
		{"1", "true", true},
		{"0", "False", true},
		{"5", "50", false},
		{"'it''s'", `'it\'s'`, true},
		{"throw", "'break'", false},
	} {
		if got := sameValue(c.a, c.b); got != c.same {
			t.Errorf("sameValue(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
