package sqlbuild_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// envUpdate set to 1 rewrites the golden files:
// UPDATE_GOLDEN=1 go test ./pkg/sqlbuild -run Golden -short
const envUpdate = "UPDATE_GOLDEN"

// render is a statement as its golden file holds it: the facts frames and
// users see, the parameters, then the SQL.
func render(st sqlbuild.Statement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- source: %s\n", st.Source.Table)
	if st.Reason != "" {
		fmt.Fprintf(&b, "-- reason: %s\n", st.Reason)
	}
	if st.Granularity != "" {
		fmt.Fprintf(&b, "-- granularity: %s\n", st.Granularity)
	}
	fmt.Fprintf(&b, "-- shape: %s", st.Shape.Kind)
	for _, l := range st.Shape.Labels {
		fmt.Fprintf(&b, " %s=%s", l.Name, l.Column)
	}
	b.WriteString("\n")
	for _, n := range st.Notices {
		fmt.Fprintf(&b, "-- notice: %s\n", n)
	}
	names := make([]string, 0, len(st.Params))
	for n := range st.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "-- param %s = %s\n", n, st.Params[n])
	}
	b.WriteString(st.SQL)
	b.WriteString("\n")
	return b.String()
}

func TestGolden(t *testing.T) {
	update := os.Getenv(envUpdate) == "1"
	for _, c := range buildCases() {
		t.Run(c.name, func(t *testing.T) {
			st, err := sqlbuild.Build(c.request(t, "pypi", c.catalog("pypi")))
			if err != nil {
				t.Fatal(err)
			}
			got := render(st)
			path := filepath.Join("testdata", "golden", c.name+".sql")
			if update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with %s=1 to create it)", err, envUpdate)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file; if the change is meant, rerun with %s=1.\n--- got\n%s", path, envUpdate, got)
			}
		})
	}
}
