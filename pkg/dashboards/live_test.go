package dashboards_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// maxDataPoints is about a full-width panel's pixel width, what Grafana
// sends.
const maxDataPoints = 1200

// relTime evaluates a dashboard time ("now", "now-90d", "now-6M/M", the
// last rounded down to the start of its month in UTC, the dashboards'
// time zone) at now.
func relTime(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now, nil
	}
	if base, ok := strings.CutSuffix(s, "/M"); ok {
		t, err := relTime(base, now)
		if err != nil {
			return t, err
		}
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), nil
	}
	m := regexp.MustCompile(`^now-(\d+)([mhdwMy])$`).FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("unsupported time %q", s)
	}
	n, _ := strconv.Atoi(m[1])
	switch m[2] {
	case "m":
		return now.Add(-time.Duration(n) * time.Minute), nil
	case "h":
		return now.Add(-time.Duration(n) * time.Hour), nil
	case "d":
		return now.AddDate(0, 0, -n), nil
	case "w":
		return now.AddDate(0, 0, -7*n), nil
	case "M":
		return now.AddDate(0, -n, 0), nil
	}
	return now.AddDate(-n, 0, 0), nil
}

// dataQuery is a target as Grafana sends it: the interpolated JSON with
// the keys Grafana adds.
func dataQuery(target map[string]any, from, to time.Time) (backend.DataQuery, error) {
	interval := to.Sub(from) / maxDataPoints
	m := map[string]any{}
	for k, v := range target {
		m[k] = v
	}
	m["intervalMs"] = interval.Milliseconds()
	m["maxDataPoints"] = maxDataPoints
	raw, err := json.Marshal(m)
	if err != nil {
		return backend.DataQuery{}, fmt.Errorf("encoding target: %w", err)
	}
	refID, _ := m["refId"].(string)
	qt, _ := m["queryType"].(string)
	return backend.DataQuery{RefID: refID, QueryType: qt, JSON: raw, MaxDataPoints: maxDataPoints,
		Interval: interval, TimeRange: backend.TimeRange{From: from, To: to}}, nil
}

// queryFunc sends targets in one request, as a panel does.
type queryFunc func(t testing.TB, targets []map[string]any, from, to time.Time) *backend.QueryDataResponse

// query sends targets through the plugin binary in one request, as a
// panel does.
func (e *env) query(t testing.TB, targets []map[string]any, from, to time.Time) *backend.QueryDataResponse {
	t.Helper()
	var qs []backend.DataQuery
	for _, tg := range targets {
		q, err := dataQuery(tg, from, to)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	resp, err := e.host.QueryData(ctx, e.ds, qs)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// preferredSamples are sample values for variables whose first options
// would be poor samples (countries come in alphabetical order).
func preferredSamples() map[string][]string {
	return map[string][]string{"country": {"US", "DE"}}
}

// resolve runs each variable's query through the plugin, in order, and
// chooses its value: All where the variable offers it and all is set,
// else the dashboard's default, else a preferred sample, else the first
// options.
func (e *env) resolve(t *testing.T, d dashJSON, from, to time.Time, all bool) scope {
	t.Helper()
	return resolveVariables(t, e.query, d, from, to, all)
}

// resolveVariables is resolve with the queries sent by query.
func resolveVariables(t testing.TB, query queryFunc, d dashJSON, from, to time.Time, all bool) scope {
	t.Helper()
	s := scope{}
	for _, v := range d.Templating.List {
		if v.Type == "custom" {
			// A fixed list: its current value, as Grafana keeps it.
			opts := strings.Split(fmt.Sprint(v.Query), ",")
			cur := currentValues(v)
			if len(cur) == 0 || !slices.Contains(opts, cur[0]) {
				t.Fatalf("%s: custom variable %s's current value %v is none of %v", d.path, v.Name, cur, opts)
			}
			s[v.Name] = selection{multi: v.Multi, options: opts, values: cur[:1]}
			continue
		}
		if v.Type != "query" {
			t.Fatalf("%s: variable %s has type %s; only query and custom variables are expected", d.path, v.Name, v.Type)
		}
		tg := s.interpolate(v.model())
		tg["refId"] = "variable"
		resp := query(t, []map[string]any{tg}, from, to)
		r := resp.Responses["variable"]
		if r.Error != nil {
			t.Fatalf("%s: variable %s: %v", d.path, v.Name, r.Error)
		}
		options := stringValues(r.Frames, "__value")
		if len(options) == 0 {
			t.Fatalf("%s: variable %s has no options", d.path, v.Name)
		}
		sel := selection{multi: v.Multi, options: options}
		if all && v.IncludeAll {
			sel.all = true
			s[v.Name] = sel
			continue
		}
		for _, c := range append(currentValues(v), preferredSamples()[v.Name]...) {
			if slices.Contains(options, c) && !slices.Contains(sel.values, c) {
				sel.values = append(sel.values, c)
			}
		}
		if len(sel.values) == 0 {
			n := 1
			if v.Multi {
				n = min(2, len(options))
			}
			sel.values = options[:n]
		}
		if !v.Multi {
			sel.values = sel.values[:1]
		}
		s[v.Name] = sel
	}
	return s
}

func currentValues(v variableJSON) []string {
	var out []string
	switch c := v.Current.Value.(type) {
	case string:
		out = append(out, c)
	case []any:
		for _, e := range c {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "$__all" })
}

func stringValues(frames data.Frames, name string) []string {
	var out []string
	for _, f := range frames {
		fl, _ := f.FieldByName(name)
		for i := 0; fl != nil && i < fl.Len(); i++ {
			if s, ok := asString(fl.At(i)); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func asString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case *string:
		if s != nil {
			return *s, true
		}
	}
	return "", false
}

// For every panel of every dashboard, with the variables at sample values
// and at All, the targets run through the plugin binary without error,
// answer with data, and in the shape the panel type needs.
func TestPanelsAgainstThePlugin(t *testing.T) {
	e := plugin(t)
	for _, d := range committedDashboards(t) {
		from, err := relTime(d.Time.From, testNow())
		if err != nil {
			t.Fatal(err)
		}
		to, err := relTime(d.Time.To, testNow())
		if err != nil {
			t.Fatal(err)
		}
		modes := []bool{false}
		if slices.ContainsFunc(d.Templating.List, func(v variableJSON) bool { return v.IncludeAll }) {
			modes = append(modes, true)
		}
		for _, all := range modes {
			name := d.UID + "/samples"
			if all {
				name = d.UID + "/all"
			}
			t.Run(name, func(t *testing.T) {
				s := e.resolve(t, d, from, to, all)
				t.Logf("variables: %s", describe(s))
				for _, p := range allPanels(d.Panels) {
					for _, ps := range repeated(p, s) {
						e.checkPanel(t, p, ps, from, to)
					}
				}
				for _, a := range d.Annotations.List {
					e.checkAnnotation(t, a, s, from, to)
				}
			})
		}
	}
}

func describe(s scope) string {
	var parts []string
	for k, v := range s {
		if v.all {
			parts = append(parts, k+"=All")
		} else {
			parts = append(parts, k+"="+strings.Join(v.values, ","))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// repeated gives the scopes a panel is drawn with: one per value of its
// repeat variable, that value alone, or the dashboard's.
func repeated(p panelJSON, s scope) []scope {
	if p.Repeat == "" {
		return []scope{s}
	}
	var out []scope
	for _, v := range s[p.Repeat].expanded() {
		c := scope{}
		for k, sel := range s {
			c[k] = sel
		}
		c[p.Repeat] = selection{values: []string{v}}
		out = append(out, c)
	}
	return out
}

func (e *env) checkPanel(t *testing.T, p panelJSON, s scope, from, to time.Time) {
	t.Helper()
	name := fmt.Sprintf("panel %q (%s)", p.Title, p.Type)
	if p.Repeat != "" {
		name += " for " + strings.Join(s[p.Repeat].values, ",")
	}
	var targets []map[string]any
	for _, tg := range p.Targets {
		targets = append(targets, s.interpolate(tg))
	}
	// A panel's own relative time replaces the dashboard's, as Grafana
	// does.
	if p.TimeFrom != "" {
		f, err := relTime(p.TimeFrom, testNow())
		if err != nil {
			t.Fatalf("%s: timeFrom: %v", name, err)
		}
		from, to = f, testNow()
	}
	resp := e.query(t, targets, from, to)
	var frames data.Frames
	for _, tg := range targets {
		ref := tg["refId"].(string)
		r, ok := resp.Responses[ref]
		if !ok {
			t.Errorf("%s: no response for %s", name, ref)
			continue
		}
		if r.Error != nil {
			t.Errorf("%s: target %s: %v\nquery: %s", name, ref, r.Error, mustJSON(tg))
			continue
		}
		if rows(r.Frames) == 0 {
			t.Errorf("%s: target %s answered no rows\nquery: %s", name, ref, mustJSON(tg))
			continue
		}
		frames = append(frames, r.Frames...)
	}
	if len(frames) > 0 {
		dumpFrames(t, p, frames)
		t.Logf("%s: %d rows, fields %v", name, rows(frames), fieldNames(frames))
		for _, problem := range shapeProblems(p, frames) {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

func (e *env) checkAnnotation(t *testing.T, a annotationJSON, s scope, from, to time.Time) {
	t.Helper()
	tg := s.interpolate(a.Target)
	resp := e.query(t, []map[string]any{tg}, from, to)
	r := resp.Responses[tg["refId"].(string)]
	if r.Error != nil {
		t.Errorf("annotation %q: %v", a.Name, r.Error)
		return
	}
	if rows(r.Frames) == 0 {
		t.Errorf("annotation %q: no events\nquery: %s", a.Name, mustJSON(tg))
		return
	}
	for _, want := range []string{"time", "title", "text"} {
		f := field(r.Frames, want)
		if f == nil {
			t.Errorf("annotation %q: no %s field in %v", a.Name, want, fieldNames(r.Frames))
			continue
		}
		if want == "time" && !isTime(f) {
			t.Errorf("annotation %q: time is %s", a.Name, f.Type())
		}
	}
}

func rows(frames data.Frames) int {
	n := 0
	for _, f := range frames {
		r, _ := f.RowLen()
		n += r
	}
	return n
}

func field(frames data.Frames, name string) *data.Field {
	for _, f := range frames {
		if fl, _ := f.FieldByName(name); fl != nil {
			return fl
		}
	}
	return nil
}

func fieldNames(frames data.Frames) []string {
	var out []string
	for _, f := range frames {
		for _, fl := range f.Fields {
			out = append(out, fl.Name)
		}
	}
	return out
}

func isTime(f *data.Field) bool {
	return f.Type() == data.FieldTypeTime || f.Type() == data.FieldTypeNullableTime
}

func isString(f *data.Field) bool {
	return f.Type() == data.FieldTypeString || f.Type() == data.FieldTypeNullableString
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// shapeProblems checks the frames against what the panel type draws.
func shapeProblems(p panelJSON, frames data.Frames) []string {
	var out []string
	need := func(name string, ok func(*data.Field) bool, what string) *data.Field {
		f := field(frames, name)
		switch {
		case f == nil:
			out = append(out, fmt.Sprintf("no field %q among %v", name, fieldNames(frames)))
		case ok != nil && !ok(f):
			out = append(out, fmt.Sprintf("field %q is %s, want %s", name, f.Type(), what))
		}
		return f
	}
	numeric := func(f *data.Field) bool { return f.Type().Numeric() }
	switch p.Type {
	case "timeseries", "state-timeline":
		for _, f := range frames {
			if len(f.Fields) < 2 || !isTime(f.Fields[0]) {
				out = append(out, fmt.Sprintf("not a time series: fields %v", fieldNames(data.Frames{f})))
				continue
			}
			for _, fl := range f.Fields[1:] {
				if !fl.Type().Numeric() {
					out = append(out, fmt.Sprintf("series %s is %s, not a number", fl.Name, fl.Type()))
				}
			}
		}
	case "stat":
		// A stat panel shows numbers only, unless its reduce options take
		// every field.
		ro, _ := p.Options["reduceOptions"].(map[string]any)
		want := numeric
		if f, _ := ro["fields"].(string); f == "/.*/" {
			want = nil
		}
		for _, n := range transformationNames(p) {
			need(n, want, "a number")
		}
	case "piechart":
		var kinds []string
		for _, n := range transformationNames(p) {
			if f := need(n, nil, ""); f != nil && f.Type().Numeric() {
				kinds = append(kinds, "number")
			} else if f != nil && isString(f) {
				kinds = append(kinds, "text")
			}
		}
		if !slices.Contains(kinds, "number") || !slices.Contains(kinds, "text") {
			out = append(out, fmt.Sprintf("pie chart fields %v: want text to name the slices and a number to size them", transformationNames(p)))
		}
	case "table":
		for _, n := range transformationNames(p) {
			need(n, nil, "")
		}
	case "barchart":
		names := transformationNames(p)
		hasNumber := false
		for _, n := range names {
			if f := need(n, nil, ""); f != nil && f.Type().Numeric() {
				hasNumber = true
			}
		}
		if !hasNumber {
			out = append(out, fmt.Sprintf("none of %v is a number", names))
		}
		if x, _ := p.Options["xField"].(string); slices.Contains(names, x) {
			need(x, isString, "text")
		}
	case "geomap":
		lookup, size := geomapFields(p)
		if f := need(lookup, isString, "text"); f != nil {
			code := regexp.MustCompile(`^[A-Z]{2}$`)
			for i := 0; i < f.Len(); i++ {
				if v, _ := asString(f.At(i)); !code.MatchString(v) {
					out = append(out, fmt.Sprintf("%s %q is not a country code", lookup, v))
				}
			}
		}
		need(size, numeric, "a number")
	default:
		out = append(out, "no shape check for panel type "+p.Type)
	}
	return out
}

// geomapFields are the country-code field the markers layer looks up and
// the field that sizes the markers.
func geomapFields(p panelJSON) (lookup, size string) {
	layers, _ := p.Options["layers"].([]any)
	if len(layers) == 0 {
		return "", ""
	}
	l, _ := layers[0].(map[string]any)
	loc, _ := l["location"].(map[string]any)
	lookup, _ = loc["lookup"].(string)
	cfg, _ := l["config"].(map[string]any)
	style, _ := cfg["style"].(map[string]any)
	sz, _ := style["size"].(map[string]any)
	size, _ = sz["field"].(string)
	return lookup, size
}

// envPanelFrames names a directory to write each panel's frames to, as
// JSON, for the screenshot page (.config/screenshots) to draw what the
// panels receive; the last scope a panel runs in wins.
const envPanelFrames = "CLICKPY_PANEL_FRAMES"

func dumpFrames(t *testing.T, p panelJSON, frames data.Frames) {
	dir := os.Getenv(envPanelFrames)
	if dir == "" {
		return
	}
	b, err := json.MarshalIndent(frames, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	name := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(p.Title, "-"))
	if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
