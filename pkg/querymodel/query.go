package querymodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits on what one query may ask; each refusal names the field.
const (
	DefaultLimit   = 10
	MaxLimit       = 1000
	MaxListValues  = 100
	MaxValueLength = 256
	MaxSQLLength   = 64 << 10
	MaxPackages    = 20
)

// Filters narrow the downloads a query counts; empty lists mean all.
type Filters struct {
	Packages       []string `json:"packages,omitempty"`
	Versions       []string `json:"versions,omitempty"`
	Countries      []string `json:"countries,omitempty"`
	Installers     []string `json:"installers,omitempty"`
	PythonMinors   []string `json:"python_minors,omitempty"`
	Systems        []string `json:"systems,omitempty"`
	Types          []string `json:"types,omitempty"`
	ExcludeMirrors bool     `json:"excludeMirrors,omitempty"`
}

// Query is one parsed, checked query.
type Query struct {
	Type Type `json:"queryType"`
	Filters
	// Breakdown splits a time series into one series per value.
	Breakdown Dimension `json:"breakdown,omitempty"`
	// Dimension groups a breakdown query, or names a variable's dimension.
	Dimension   Dimension   `json:"dimension,omitempty"`
	Limit       int         `json:"limit,omitempty"`
	Granularity Granularity `json:"granularity,omitempty"`
	RawSQL      string      `json:"rawSql,omitempty"`
	// Variable and Prefix drive template variable queries.
	Variable VariableKind `json:"variable,omitempty"`
	Prefix   string       `json:"prefix,omitempty"`
	// MinDownloads is the hot list's floor on last month's downloads.
	MinDownloads int64 `json:"minDownloads,omitempty"`
	// AllTime counts over the whole span of the data instead of the
	// panel's time range: ClickPy's all-time figures.
	AllTime bool `json:"allTime,omitempty"`
	// Statistic is the baseline statistic a baseline query answers.
	Statistic Statistic `json:"statistic,omitempty"`
	// MinPython is the oldest Python minor a python_support query counts
	// as supported ("3.10"): the share of downloads on older ones.
	MinPython string `json:"minPython,omitempty"`
}

// FieldError says which field of the query JSON is wrong and how.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// grafanaKeys are the keys Grafana itself writes into every query.
func grafanaKeys() []string {
	return []string{"refId", "datasource", "datasourceId", "hide", "key", "intervalMs",
		"maxDataPoints", "queryType", "timeRange", "format", "queryCachingTTL"}
}

func modelKeys() []string {
	return []string{"packages", "versions", "countries", "installers", "python_minors", "systems",
		"types", "excludeMirrors", "breakdown", "dimension", "limit", "granularity", "rawSql",
		"variable", "prefix", "minDownloads", "allTime", "statistic", "minPython"}
}

// Parse reads and checks a query's JSON. queryType may come from the
// request (Grafana copies it out of the JSON) when the JSON lacks it.
func Parse(raw []byte, queryType string) (Query, error) {
	var q Query
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return q, fieldErr("query", "not a JSON object: %v", err)
	}
	var unknown []string
	for k := range keys {
		if !slices.Contains(modelKeys(), k) && !slices.Contains(grafanaKeys(), k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return q, fieldErr(unknown[0], "unknown field; known fields are %s", strings.Join(modelKeys(), ", "))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&q); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Embedded structs show up in the path; users only see JSON names.
			field := strings.TrimPrefix(te.Field, "Filters.")
			return q, fieldErr(field, "expected %s, got JSON %s", te.Type, te.Value)
		}
		return q, fieldErr("query", "cannot read: %v", err)
	}
	if q.Type == "" {
		q.Type = Type(queryType)
	}
	if q.Type == "" {
		q.Type = defaultType
	}
	// An absent limit takes the default; an explicit 0 is refused below.
	if _, given := keys["limit"]; !given {
		q.Limit = DefaultLimit
		if q.Type == VariableQuery && q.Variable == VarDependents {
			q.Limit = DefaultDependentsLimit
		}
	}
	return q, q.Check()
}

// Check refuses a query the SQL builder cannot take, naming the field to
// fix. Parse calls it; a query built in code calls it itself.
func (q *Query) Check() error {
	if !slices.Contains(Types(), q.Type) {
		names := make([]string, 0, len(Types()))
		for _, t := range Types() {
			names = append(names, string(t))
		}
		return fieldErr("queryType", "unknown query type %s; use one of %s", Quote(string(q.Type)), strings.Join(names, ", "))
	}
	lists := []struct {
		name string
		vals []string
	}{
		{"packages", q.Packages}, {"versions", q.Versions}, {"countries", q.Countries},
		{"installers", q.Installers}, {"python_minors", q.PythonMinors}, {"systems", q.Systems},
		{"types", q.Types},
	}
	for _, l := range lists {
		if err := checkList(l.name, l.vals); err != nil {
			return err
		}
	}
	if err := checkValue("prefix", q.Prefix); err != nil {
		return err
	}
	if len(q.Packages) > MaxPackages {
		return fieldErr("packages", "%d packages; at most %d can be compared", len(q.Packages), MaxPackages)
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		return fieldErr("limit", "%d is out of range; use 1 to %d", q.Limit, MaxLimit)
	}
	if q.MinDownloads < 0 {
		return fieldErr("minDownloads", "must not be negative")
	}
	switch q.Granularity {
	case "":
		q.Granularity = Auto
	case Auto, Day, Week, Month:
	default:
		return fieldErr("granularity", "unknown granularity %s; use auto, day, week or month", Quote(string(q.Granularity)))
	}
	if q.Breakdown != "" {
		if q.Type != TimeSeries {
			return fieldErr("breakdown", "only timeseries queries take a breakdown; breakdown queries use dimension")
		}
		if !slices.Contains(Dimensions(), q.Breakdown) {
			return fieldErr("breakdown", "unknown dimension %s; use one of %s", Quote(string(q.Breakdown)), dimNames(Dimensions()))
		}
	}
	return q.checkType()
}

func (q *Query) checkType() error {
	switch q.Type {
	case Breakdown:
		all := append(Dimensions(), InstallerType)
		if q.Dimension == "" {
			return fieldErr("dimension", "breakdown queries need a dimension: one of %s", dimNames(all))
		}
		if !slices.Contains(all, q.Dimension) {
			return fieldErr("dimension", "unknown dimension %s; use one of %s", Quote(string(q.Dimension)), dimNames(all))
		}
	case Ranking, Releases, Dependencies, Dependents, Details, GitHubStats, GitHubStars, TopContributors, Adoption:
		if len(q.Packages) != 1 {
			return fieldErr("packages", "%s queries need exactly one package, got %d", q.Type, len(q.Packages))
		}
	case Summary:
		if len(q.Packages) == 0 {
			return fieldErr("packages", "summary queries need at least one package")
		}
	case Baseline:
		return q.checkBaseline()
	case PythonSupport:
		return q.checkPythonSupport()
	case SQL:
		if strings.TrimSpace(q.RawSQL) == "" {
			return fieldErr("rawSql", "sql queries need SQL")
		}
		if len(q.RawSQL) > MaxSQLLength {
			return fieldErr("rawSql", "longer than %d bytes", MaxSQLLength)
		}
	case VariableQuery:
		switch q.Variable {
		case VarPackages, VarTopPackage, VarCountries, VarHot:
		case VarVersions, VarDependents:
			if len(q.Packages) != 1 {
				return fieldErr("packages", "a %s variable needs exactly one package, the one whose %s to list; got %d", q.Variable, q.Variable, len(q.Packages))
			}
		case VarDimension:
			if !slices.Contains(Dimensions(), q.Dimension) {
				return fieldErr("dimension", "unknown dimension %s; use one of %s", Quote(string(q.Dimension)), dimNames(Dimensions()))
			}
		default:
			return fieldErr("variable", "unknown variable kind %s; use %s", Quote(string(q.Variable)), kindNames())
		}
	}
	return nil
}

func checkList(field string, vals []string) error {
	if len(vals) > MaxListValues {
		return fieldErr(field, "%d values; at most %d", len(vals), MaxListValues)
	}
	for i, v := range vals {
		if err := checkValue(fmt.Sprintf("%s[%d]", field, i), v); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(field, v string) error {
	if len(v) > MaxValueLength {
		return fieldErr(field, "longer than %d bytes", MaxValueLength)
	}
	if !utf8.ValidString(v) {
		return fieldErr(field, "not valid UTF-8")
	}
	return nil
}

// kindNames lists the variable kinds for a refusal: "a, b or c".
func kindNames() string {
	s := nameStrings(VariableKinds())
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

func dimNames(ds []Dimension) string { return strings.Join(nameStrings(ds), ", ") }

// nameStrings are a list of named values as the strings refusals print.
func nameStrings[T ~string](xs []T) []string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return s
}
