package backtest

import (
	"math"
	"testing"
)

func TestMathExpressions(t *testing.T) {
	vars := map[string]float64{"A": 3, "B": 4, "N": math.NaN(), "Z": 0, "long_name": 2}
	get := func(r string) float64 { return vars[r] }
	for src, want := range map[string]float64{
		"$A + $B * 2":                    11,
		"($A + $B) * 2":                  14,
		"$B - $A - 1":                    0,
		"$A < $B && $B <= 4":             1,
		"$A >= $B || $A != 3":            0,
		"!$Z":                            1,
		"-$A + 5":                        2,
		"abs($A - $B)":                   1,
		"${long_name} * 3":               6,
		"$A % 2":                         1,
		"is_number($N)":                  0,
		"is_nan($N) && is_number($A)":    1,
		"$Z && $N":                       0, // 0 && anything is 0
		"$A || $N":                       1, // non-zero || anything is 1
		"is_number($N) && $N < 1":        0,
		"1.5e1 == 15":                    1,
		"$A < 2 * $B && $B - $A > 0.5*2": 0,
	} {
		e, _, err := parseMath(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := e.eval(get); got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
	// Grafana: NaN reaches the result unless cut short, and a NaN
	// condition is Alerting.
	for _, src := range []string{"$N < 1", "$N > 1", "$A < 5 && $N < 1", "$N && $A", "$Z || $N"} {
		e, _, err := parseMath(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.eval(get); !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", src, got)
		}
	}
	for _, bad := range []string{"$A +", "($A", "$", "max($A, $B)", "$A $B", "${A"} {
		if _, _, err := parseMath(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestReduce(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		fn   string
		in   []float64
		want float64
	}{
		{"last", []float64{1, 2, 3}, 3}, {"last", nil, nan}, {"last", []float64{nan, 2}, 2}, {"last", []float64{1, nan}, nan},
		{"sum", []float64{1, 2}, 3}, {"sum", nil, 0}, {"sum", []float64{1, nan}, nan},
		{"mean", []float64{1, 2}, 1.5}, {"mean", nil, nan}, {"min", []float64{3, 1, 2}, 1}, {"max", []float64{3, 1, 2}, 3},
		{"count", []float64{nan, 1}, 2},
	} {
		got := reduce(c.fn, c.in)
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s(%v) = %v, want %v", c.fn, c.in, got, c.want)
		}
	}
	if threshold("lt", []float64{1}, 0.5) != 1 || threshold("gt", []float64{1}, 0.5) != 0 ||
		threshold("within_range", []float64{0, 1}, 0.5) != 1 || threshold("outside_range", []float64{0, 1}, 0.5) != 0 ||
		!math.IsNaN(threshold("lt", []float64{1}, math.NaN())) {
		t.Error("threshold")
	}
}
