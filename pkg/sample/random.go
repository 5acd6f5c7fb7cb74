package sample

import "math/rand/v2"

// Salts separate the independent random streams drawn for one package, so
// changing how one aspect is generated never shifts another.
const (
	saltCatalog uint64 = iota + 1
	saltReleases
	saltMetadata
	saltDay
	saltEvents
)

// mix64 is the splitmix64 finalizer: a cheap bijection with good
// avalanche, enough to turn structured inputs into PCG seeds.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hashName is FNV-1a; names hash the same on every platform and run.
func hashName(s string) uint64 {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 0x100000001b3
	}
	return h
}

// seedPair derives the two PCG seed words for (seed, package, salt or day).
func seedPair(seed, pkg, what uint64) (uint64, uint64) {
	a := mix64(seed ^ mix64(pkg^mix64(what)))
	return a, mix64(a ^ 0x6a09e667f3bcc909)
}

func newRand(seed, pkg, what uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seedPair(seed, pkg, what)))
}
