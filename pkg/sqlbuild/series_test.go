package sqlbuild_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// testSeriesOfQuietPackages checks what a time series answers for a
// package without downloads in the range: zeros in every bucket through
// the last date with data when the package exists, alone or beside
// another, and no series but a notice when it does not.
func (e *engine) testSeriesOfQuietPackages(t *testing.T) {
	quiet := e.truth.Emerging[0] // first downloaded within the last months
	const ghost = "no-such-package-anywhere"
	// Thirty days ending the day before the quiet package's debut.
	to := quiet.FirstDay.AddDate(0, 0, -1)
	from := to.AddDate(0, 0, -29)
	run := func(t *testing.T, pkgs ...string) *data.Frame {
		t.Helper()
		quoted := make([]string, len(pkgs))
		for i, p := range pkgs {
			quoted[i] = fmt.Sprintf("%q", p)
		}
		req := e.request(t, fmt.Sprintf(`{"queryType":"timeseries","granularity":"day","packages":[%s]}`, strings.Join(quoted, ",")), 30)
		req.From, req.To = from.Add(3*time.Hour), to.Add(3*time.Hour)
		spans, err := req.Catalog.ReadSpans(context.Background(), e.conn, sqlbuild.SpanPackages(req))
		if err != nil {
			t.Fatal(err)
		}
		req.Spans = spans
		_, _, f := e.run(t, req)
		return f
	}
	notice := func(f *data.Frame) string {
		for _, n := range f.Meta.Notices {
			if strings.HasPrefix(n.Text, "no downloads of") {
				return n.Text
			}
		}
		return ""
	}
	zeros := func(t *testing.T, f *data.Frame, pkg string) {
		t.Helper()
		for _, fl := range f.Fields[1:] {
			if fl.Labels["package"] != pkg {
				continue
			}
			if fl.Len() != 30 {
				t.Fatalf("%s: %d buckets, want the range's 30 days", pkg, fl.Len())
			}
			for i := 0; i < fl.Len(); i++ {
				if fl.At(i).(int64) != 0 {
					t.Fatalf("%s: %v downloads before its first day", pkg, fl.At(i))
				}
			}
			return
		}
		t.Fatalf("no series for %s among %d fields", pkg, len(f.Fields)-1)
	}
	t.Run("alone", func(t *testing.T) {
		f := run(t, quiet.Name)
		zeros(t, f, quiet.Name)
		if n := notice(f); n != "" {
			t.Errorf("notice %q for a package that exists", n)
		}
	})
	t.Run("beside another", func(t *testing.T) {
		f := run(t, "requests", quiet.Name)
		zeros(t, f, quiet.Name)
		if len(f.Fields) != 3 {
			t.Errorf("%d series, want 2", len(f.Fields)-1)
		}
	})
	t.Run("missing alone", func(t *testing.T) {
		f := run(t, ghost)
		if len(f.Fields) != 1 || f.Fields[0].Len() != 0 {
			t.Errorf("a package without downloads: %d fields, %d buckets; want no series and no buckets", len(f.Fields), f.Fields[0].Len())
		}
		if n := notice(f); !strings.Contains(n, ghost) {
			t.Errorf("notice %q does not name %s", n, ghost)
		}
	})
	t.Run("missing beside another", func(t *testing.T) {
		f := run(t, "requests", ghost)
		if len(f.Fields) != 2 || f.Fields[1].Labels["package"] != "requests" || f.Fields[0].Len() != 30 {
			t.Errorf("fields %d, want time and requests over 30 days", len(f.Fields))
		}
		if n := notice(f); !strings.Contains(n, ghost) || strings.Contains(n, "requests") {
			t.Errorf("notice %q, want one naming %s only", n, ghost)
		}
	})
}
