package querymodel

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDefaults(t *testing.T) {
	q, err := Parse([]byte(`{"refId":"A","packages":["requests"],"datasource":{"uid":"x"},"intervalMs":60000,"maxDataPoints":800}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if q.Type != TimeSeries || q.Limit != DefaultLimit || q.Granularity != Auto {
		t.Fatalf("defaults not applied: %+v", q)
	}
	q, err = Parse(nil, "summary")
	if err == nil {
		t.Fatalf("summary without package accepted: %+v", q)
	}
	q, err = Parse([]byte(`{"packages":["numpy"]}`), "details")
	if err != nil || q.Type != Details {
		t.Fatalf("queryType from the request not used: %+v %v", q, err)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	cases := map[string]string{
		`{"queryType":"nope"}`:                             "queryType",
		`{"queryType":"timeseries","colour":"red"}`:        "colour",
		`{"queryType":"timeseries","packages":"requests"}`: "packages",
		`{"limit":0}`:                                                           "limit",
		`{"limit":1000000}`:                                                     "limit",
		`{"limit":-3}`:                                                          "limit",
		`{"granularity":"hour"}`:                                                "granularity",
		`{"breakdown":"colour"}`:                                                "breakdown",
		`{"queryType":"breakdown"}`:                                             "dimension",
		`{"queryType":"breakdown","dimension":"x"}`:                             "dimension",
		`{"queryType":"ranking"}`:                                               "packages",
		`{"queryType":"ranking","packages":["a","b"]}`:                          "packages",
		`{"queryType":"sql","rawSql":"  "}`:                                     "rawSql",
		`{"queryType":"variable","variable":"planets"}`:                         "variable",
		`{"queryType":"variable","variable":"versions"}`:                        "packages",
		`{"queryType":"variable","variable":"dependents"}`:                      "packages",
		`{"queryType":"variable","variable":"dependents","packages":["a","b"]}`: "packages",
		`{"queryType":"breakdown","dimension":"version","breakdown":"system"}`:  "breakdown",
		`{"countries":["` + strings.Repeat("x", 300) + `"]}`:                    "countries[0]",
		`{"packages":["a"],"python_minors":["3.12", 3]}`:                        "python_minors",
		`[1,2]`:        "query",
		`{"packages":`: "query",
	}
	for in, field := range cases {
		_, err := Parse([]byte(in), "")
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a field error", in, err)
			continue
		}
		if !strings.HasPrefix(fe.Field, field) {
			t.Errorf("%s: error names %q, want %q (%v)", in, fe.Field, field, err)
		}
	}
}

func TestUnknownVariableKindNamesEveryKind(t *testing.T) {
	_, err := Parse([]byte(`{"queryType":"variable","variable":"planets"}`), "")
	if err == nil {
		t.Fatal("unknown kind accepted")
	}
	for _, k := range VariableKinds() {
		if !strings.Contains(err.Error(), string(k)) {
			t.Errorf("refusal %q does not offer %s", err, k)
		}
	}
}

func TestDependentsVariableLimit(t *testing.T) {
	cases := []struct {
		raw, queryType string
		want           int
	}{
		{`{"queryType":"variable","variable":"dependents","packages":["requests"]}`, "", DefaultDependentsLimit},
		// Grafana may carry the type in the request only.
		{`{"variable":"dependents","packages":["requests"]}`, "variable", DefaultDependentsLimit},
		{`{"queryType":"variable","variable":"dependents","packages":["requests"],"limit":12}`, "", 12},
		{`{"queryType":"variable","variable":"top_packages"}`, "", DefaultLimit},
	}
	for _, c := range cases {
		q, err := Parse([]byte(c.raw), c.queryType)
		if err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		if q.Limit != c.want {
			t.Errorf("%s: limit %d, want %d", c.raw, q.Limit, c.want)
		}
	}
}

func TestParseKeepsHostileStrings(t *testing.T) {
	hostile := []string{`'; DROP TABLE pypi; --`, `\' OR 1=1`, "a\nb\tc", `{x:String}`, "ملف🙂"}
	raw := `{"packages":["` + strings.Join([]string{
		`'; DROP TABLE pypi; --`, `\\' OR 1=1`, `a\nb\tc`, `{x:String}`, `ملف🙂`}, `","`) + `"]}`
	q, err := Parse([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		if q.Packages[i] != h {
			t.Errorf("package %d = %q, want %q", i, q.Packages[i], h)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"queryType":"breakdown","dimension":"country_code","packages":["requests"],"limit":5}`), "")
	f.Add([]byte(`{"packages":["a"],"breakdown":"version"}`), "timeseries")
	f.Add([]byte(`{"queryType":"sql","rawSql":"SELECT 1"}`), "")
	f.Fuzz(func(t *testing.T, raw []byte, qt string) {
		q, err := Parse(raw, qt)
		if err != nil {
			return
		}
		if q.Limit < 1 || q.Limit > MaxLimit {
			t.Fatalf("accepted limit %d", q.Limit)
		}
	})
}

func TestParseAllTime(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"totals","allTime":true}`), "")
	if err != nil || !q.AllTime {
		t.Fatalf("allTime not read: %+v %v", q, err)
	}
	var fe *FieldError
	if _, err := Parse([]byte(`{"queryType":"totals","allTime":"yes"}`), ""); !errors.As(err, &fe) || fe.Field != "allTime" {
		t.Errorf("allTime as a string: %v", err)
	}
}
