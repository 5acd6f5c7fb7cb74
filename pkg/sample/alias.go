package sample

// alias samples an index with given weights in O(1) per draw (Vose's
// alias method), which matters because the generator draws six dimensions
// for every one of up to 50M rows. Thresholds are 32-bit fixed point so a
// single 64-bit random value picks both the column and the coin.
type alias struct {
	prob  []uint32
	alias []uint16
}

func newAlias(weights []float64) alias {
	n := len(weights)
	a := alias{prob: make([]uint32, n), alias: make([]uint16, n)}
	var total float64
	for _, w := range weights {
		total += w
	}
	scaled := make([]float64, n)
	small := make([]int, 0, n)
	large := make([]int, 0, n)
	for i, w := range weights {
		scaled[i] = w / total * float64(n)
		a.alias[i] = uint16(i)
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		a.prob[s] = toThreshold(scaled[s])
		a.alias[s] = uint16(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// Leftovers are 1 up to rounding: always keep their own column.
	for _, i := range append(small, large...) {
		a.prob[i] = toThreshold(1)
		a.alias[i] = uint16(i)
	}
	return a
}

func toThreshold(p float64) uint32 {
	if p >= 1 {
		return 1<<32 - 1
	}
	if p <= 0 {
		return 0
	}
	return uint32(p * (1 << 32))
}

// pick maps one uniform 64-bit value to an index: the high half chooses
// the column, the low half the coin.
func (a *alias) pick(x uint64) int {
	i := int((x >> 32) * uint64(len(a.prob)) >> 32)
	if uint32(x) < a.prob[i] {
		return i
	}
	return int(a.alias[i])
}

// pick32 is pick at half precision, for small tables where 16-bit columns
// and coins are plenty; it lets one 64-bit draw serve two dimensions.
func (a *alias) pick32(x uint32) int {
	i := int((x >> 16) * uint32(len(a.prob)) >> 16)
	if uint16(x) < uint16(a.prob[i]>>16) {
		return i
	}
	return int(a.alias[i])
}
