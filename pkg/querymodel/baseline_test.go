package querymodel

import (
	"errors"
	"testing"
)

func TestBaselineChecks(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"baseline","packages":["requests"]}`), "")
	if err != nil || q.Statistic != StatExpected {
		t.Fatalf("default statistic: %+v %v", q, err)
	}
	q, err = Parse([]byte(`{"queryType":"baseline","packages":["requests"],"statistic":"noise","granularity":"day"}`), "")
	if err != nil || q.Statistic != StatNoise {
		t.Fatalf("noise: %+v %v", q, err)
	}
	for in, field := range map[string]string{
		`{"queryType":"baseline"}`:                                               "packages",
		`{"queryType":"baseline","packages":["a"],"statistic":"median"}`:         "statistic",
		`{"queryType":"baseline","packages":["a"],"granularity":"week"}`:         "granularity",
		`{"queryType":"baseline","packages":["a"],"statistic":3}`:                "statistic",
		`{"queryType":"baseline","packages":["a"],"statistic":"expected","x":1}`: "x",
	} {
		_, err := Parse([]byte(in), "")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: got %v, want an error naming %s", in, err, field)
		}
	}
	if len(ReferencePackages()) < 2*3 {
		t.Errorf("%d reference packages: the market's median needs several", len(ReferencePackages()))
	}
}
