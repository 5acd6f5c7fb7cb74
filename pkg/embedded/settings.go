package embedded

import (
	"slices"
	"strconv"
	"strings"
)

// Profile is what a user's settings profile gives every query before the
// request's own settings: ClickHouse's readonly level, setting values, and
// which of those are constant.
type Profile struct {
	// Readonly is ClickHouse's readonly setting: 0 may do anything, 1 only
	// reads and changes no setting, 2 (and more) reads and changes any
	// setting but readonly.
	Readonly int
	// Settings are the profile's values.
	Settings []Setting
	// Constant names the settings of Settings no query may change (a CONST
	// constraint).
	Constant []string
}

// effective is a request's settings once its profile and its own settings
// are merged: what the query's session is set to.
type effective struct {
	readonly int
	// settings are the values to SET, readonly excluded.
	settings []Setting
	// constant maps each constant name to its value.
	constant map[string]string
}

// value returns the value name has in the session, if this request set it.
func (e effective) value(name string) (string, bool) {
	if name == "readonly" {
		return strconv.Itoa(e.readonly), true
	}
	i := slices.IndexFunc(e.settings, func(s Setting) bool { return s.Name == name })
	if i < 0 {
		return "", false
	}
	return e.settings[i].Value, true
}

// resolveSettings applies the request's settings over the profile the way
// ClickHouse applies a client's settings: each is checked against the
// profile (the state before any of them), then all apply together, so
// readonly=1 with max_threads=2 from a readonly=0 user sets both. An
// idempotent request (HTTP GET) that ends at readonly 0 gets 2.
func resolveSettings(p Profile, requested []Setting, idempotent bool) (effective, error) {
	eff := effective{readonly: p.Readonly, settings: slices.Clone(p.Settings), constant: map[string]string{}}
	for _, name := range p.Constant {
		v, _ := eff.value(name)
		eff.constant[name] = v
	}
	level := p.Readonly
	for _, s := range requested {
		if !validName(s.Name) {
			return effective{}, NewException(CodeUnknownSetting, "Unknown setting '%s'", s.Name)
		}
		if s.Name == "readonly" {
			v, err := parseReadonly(s.Value)
			if err != nil {
				return effective{}, err
			}
			if v == p.Readonly {
				continue
			}
			if p.Readonly > 0 {
				return effective{}, readonlyViolation("readonly")
			}
			level = v
			continue
		}
		if cur, ok := eff.value(s.Name); ok && sameValue(cur, s.Value) {
			continue
		}
		if err := changeAllowed(p.Readonly, eff.constant, s.Name); err != nil {
			return effective{}, err
		}
		if i := slices.IndexFunc(eff.settings, func(x Setting) bool { return x.Name == s.Name }); i >= 0 {
			eff.settings[i] = s
		} else {
			eff.settings = append(eff.settings, s)
		}
	}
	eff.readonly = level
	if idempotent && eff.readonly == 0 {
		eff.readonly = 2
	}
	return eff, nil
}

// changeAllowed is ClickHouse's order of checks for changing a setting
// (SettingsConstraints): readonly=1 refuses everything, readonly>=2 only
// readonly itself, then CONST constraints.
func changeAllowed(readonly int, constant map[string]string, name string) error {
	if readonly == 1 || (readonly > 1 && name == "readonly") {
		return readonlyViolation(name)
	}
	if _, ok := constant[name]; ok {
		return NewException(CodeSettingConstraintViolation, "Setting %s should not be changed", name)
	}
	return nil
}

func readonlyViolation(name string) *Exception {
	return NewException(CodeReadonly, "Cannot modify '%s' setting in readonly mode", name)
}

func parseReadonly(v string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 8)
	if err != nil {
		return 0, NewException(CodeCannotParseNumber, "Cannot parse '%s' as the value of setting readonly (UInt64)", v)
	}
	return int(n), nil
}

// sameValue compares two settings values as text, the way the profile and
// the request spell them: quotes off, case and boolean spelling ignored.
// ClickHouse compares parsed values; text that differs only in such ways is
// the same value there too.
func sameValue(a, b string) bool {
	return normalValue(a) == normalValue(b)
}

func normalValue(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		v = unquoteString(v)
	}
	switch v = strings.ToLower(v); v {
	case "true":
		return "1"
	case "false":
		return "0"
	}
	return v
}

// unquoteString undoes the quoting of a '...' literal as ClickHouse
// writes it (backslash escapes, doubled quotes).
func unquoteString(s string) string {
	inner := s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == '\\' && i+1 < len(inner):
			i++
			switch inner[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(inner[i])
			}
		case c == '\'' && i+1 < len(inner) && inner[i+1] == '\'':
			i++
			b.WriteByte('\'')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
