package backtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/droprule"
)

// The Grafana expression droprule writes decides as droprule.Fires does,
// evaluated with Grafana's math semantics, NaN inputs included (Grafana
// makes a NaN condition Alerting, so the expression must turn them into
// 0).
func TestGrafanaExpressionIsFires(t *testing.T) {
	e, refs, err := parseMath(droprule.GrafanaExpression("B", "C", "K", "F", "G", "M"))
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) == 0 {
		t.Fatal("no refs")
	}
	r := rand.New(rand.NewPCG(1, 2))
	maybeNaN := func(x float64) float64 {
		if r.IntN(12) == 0 {
			return math.NaN()
		}
		return x
	}
	fired := 0
	for range 200000 {
		exp := math.Round(r.Float64()*40) / 2
		in := droprule.Input{
			Expected:  maybeNaN(exp),
			Last:      maybeNaN(math.Round(exp * r.Float64() * 1.3)),
			Expected2: maybeNaN(exp * (1 + r.Float64())),
			Days:      1 + r.IntN(2),
			Noise:     maybeNaN(r.Float64() * 0.5),
		}
		in.Last2 = maybeNaN(math.Round(in.Expected2 * r.Float64() * 1.3))
		vars := map[string]float64{"B": in.Last, "C": in.Last2, "K": float64(in.Days), "F": in.Expected, "G": in.Expected2, "M": in.Noise}
		got := e.eval(func(ref string) float64 { return vars[ref] })
		if want := droprule.Fires(in); (got != 0) != want {
			t.Fatalf("%+v: expression gives %v, Fires %v", in, got, want)
		}
		if got != 0 {
			fired++
		}
	}
	if fired < 1000 {
		t.Errorf("only %d of the cases fired: the comparison proves little", fired)
	}
}
