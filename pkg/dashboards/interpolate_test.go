package dashboards_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Grafana does not run here, and the front end's applyTemplateVariables
// (src/interpolate.ts) is TypeScript, so these tests expand variables in
// targets themselves, the same way:
//   - a single value gives a one-element list;
//   - a multi-value variable gives one entry per selected value;
//   - All gives every option of the variable in packages, and an empty
//     list (no filter) in every other list field;
//   - in rawSql a multi-value variable becomes a quoted, comma-separated
//     list ('a','b'), a single value stays as written.

// selection is a variable's current value as Grafana holds it.
type selection struct {
	values  []string
	all     bool
	multi   bool
	options []string
}

func (s selection) expanded() []string {
	if s.all {
		return s.options
	}
	return s.values
}

// scope maps variable names to their current values.
type scope map[string]selection

func listFields() []string {
	return []string{"packages", "versions", "countries", "installers", "python_minors", "systems", "types"}
}

func varRE() *regexp.Regexp {
	return regexp.MustCompile(`\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}`)
}

// replace substitutes known variables in text, joining several values
// with format.
func (s scope) replace(text string, format func([]string) string) string {
	return varRE().ReplaceAllStringFunc(text, func(m string) string {
		sub := varRE().FindStringSubmatch(m)
		sel, ok := s[sub[1]+sub[2]+sub[4]]
		if !ok {
			return m
		}
		return format(sel.expanded())
	})
}

func (s scope) refersToAll(text string) bool {
	for _, m := range varRE().FindAllStringSubmatch(text, -1) {
		if sel, ok := s[m[1]+m[2]+m[4]]; ok && sel.all {
			return true
		}
	}
	return false
}

// expandList is expandList in src/interpolate.ts.
func (s scope) expandList(entries []string, allMeansNoFilter bool) []string {
	const sep = "\x1f"
	var out []string
	push := func(v string) {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, e := range entries {
		if !varRE().MatchString(e) {
			push(e)
			continue
		}
		if allMeansNoFilter && s.refersToAll(e) {
			return nil
		}
		for _, v := range strings.Split(s.replace(e, func(vs []string) string { return strings.Join(vs, sep) }), sep) {
			push(v)
		}
	}
	return out
}

func sqlValues(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), "'", `\'`) + "'"
	}
	return strings.Join(q, ",")
}

// interpolate is interpolateQuery in src/interpolate.ts: the target the
// backend receives.
func (s scope) interpolate(target map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range target {
		out[k] = v
	}
	for _, f := range listFields() {
		raw, ok := out[f].([]any)
		if !ok {
			continue
		}
		entries := make([]string, len(raw))
		for i, e := range raw {
			entries[i], _ = e.(string)
		}
		if vals := s.expandList(entries, f != "packages"); len(vals) > 0 {
			out[f] = vals
		} else {
			delete(out, f)
		}
	}
	if sql, ok := out["rawSql"].(string); ok {
		multi := func(name string) bool { return s[name].multi }
		out["rawSql"] = varRE().ReplaceAllStringFunc(sql, func(m string) string {
			sub := varRE().FindStringSubmatch(m)
			name := sub[1] + sub[2] + sub[4]
			sel, ok := s[name]
			if !ok {
				return m
			}
			if multi(name) {
				return sqlValues(sel.expanded())
			}
			return strings.Join(sel.expanded(), ",")
		})
	}
	for _, f := range []string{"prefix", "minPython"} {
		if p, ok := out[f].(string); ok {
			out[f] = s.replace(p, func(vs []string) string { return strings.Join(vs, ",") })
		}
	}
	return out
}

func TestInterpolateLikeTheFrontEnd(t *testing.T) {
	s := scope{
		"package":  {values: []string{"requests"}},
		"version":  {all: true, multi: true, options: []string{"2.32.3", "2.32.2"}},
		"country":  {values: []string{"US", "DE"}, multi: true},
		"packages": {values: []string{"numpy", "o'reilly"}, multi: true},
		"all":      {all: true, multi: true, options: []string{"a", "b"}},
	}
	got := s.interpolate(map[string]any{
		"queryType": "timeseries",
		"packages":  []any{"$package", "requests", "$all"},
		"versions":  []any{"$version"},
		"countries": []any{"${country}"},
		"types":     []any{"bdist_wheel"},
		"rawSql":    "SELECT 1 WHERE project IN (${packages}) AND $__dateFilter(date) AND p = '$package'",
	})
	want := map[string]any{
		"queryType": "timeseries",
		"packages":  []string{"requests", "a", "b"},
		"countries": []string{"US", "DE"},
		"types":     []string{"bdist_wheel"},
		"rawSql":    `SELECT 1 WHERE project IN ('numpy','o\'reilly') AND $__dateFilter(date) AND p = 'requests'`,
	}
	for k, w := range want {
		if !equalAny(got[k], w) {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
	if _, ok := got["versions"]; ok {
		t.Errorf("versions with $version at All should be dropped, got %v", got["versions"])
	}
}

func equalAny(a, b any) bool {
	as, ok1 := a.([]string)
	bs, ok2 := b.([]string)
	if ok1 && ok2 {
		return slices.Equal(as, bs)
	}
	return a == b
}
