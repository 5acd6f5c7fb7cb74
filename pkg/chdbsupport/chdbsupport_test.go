package chdbsupport

import (
	"strings"
	"testing"
)

// Where the engine cannot run, the advice says why and names both ways
// on; where it can, it says how to install it.
func TestAdvice(t *testing.T) {
	for _, p := range [][2]string{{"darwin", "arm64"}, {"darwin", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"}} {
		a := Advice(p[0], p[1])
		for _, want := range []string{"Linux on x86-64", p[0] + "/" + p[1], "docker compose up", TestURLEnv} {
			if !strings.Contains(a, want) {
				t.Errorf("%s/%s: advice lacks %q:\n%s", p[0], p[1], want, a)
			}
		}
	}
	a := Advice("linux", "amd64")
	for _, want := range []string{"npm ci", "CHDB_LIB_PATH", "docker compose up", TestURLEnv} {
		if !strings.Contains(a, want) {
			t.Errorf("linux/amd64: advice lacks %q:\n%s", want, a)
		}
	}
	if strings.Contains(a, "x86-64 only") {
		t.Errorf("linux/amd64 is told it cannot run the engine:\n%s", a)
	}
}
