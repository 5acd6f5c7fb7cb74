package droprule

import (
	"math"
	"testing"
)

func TestFires(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		in   Input
		want bool
	}{
		{"ordinary day", Input{Last: 95, Expected: 100, Last2: 190, Expected2: 200, Days: 2, Noise: 0.15}, false},
		{"one deep day", Input{Last: 20, Expected: 100, Last2: 120, Expected2: 200, Days: 2, Noise: 0.15}, true},
		{"one deep day, noisy package", Input{Last: 20, Expected: 100, Last2: 120, Expected2: 200, Days: 2, Noise: 0.3}, false},
		{"two halved days", Input{Last: 50, Expected: 100, Last2: 100, Expected2: 200, Days: 2, Noise: 0.15}, true},
		{"two halved days, noisy package", Input{Last: 50, Expected: 100, Last2: 100, Expected2: 200, Days: 2, Noise: 0.4}, false},
		{"two halved days seen as one (a late load)", Input{Last: 50, Expected: 100, Last2: 50, Expected2: 100, Days: 1, Noise: 0.15}, false},
		{"a 30% dip", Input{Last: 70, Expected: 100, Last2: 140, Expected2: 200, Days: 2, Noise: 0.1}, false},
		{"too small to judge", Input{Last: 0, Expected: 2, Last2: 0, Expected2: 4, Days: 2, Noise: 0.1}, false},
		{"no baseline yet", Input{Last: 0, Expected: nan, Last2: 0, Expected2: nan, Days: 2, Noise: 0.1}, false},
		{"no noise yet", Input{Last: 0, Expected: 100, Last2: 0, Expected2: 200, Days: 2, Noise: nan}, false},
	} {
		if got := Fires(c.in); got != c.want {
			t.Errorf("%s: %+v fires %v, want %v", c.name, c.in, got, c.want)
		}
	}
}
