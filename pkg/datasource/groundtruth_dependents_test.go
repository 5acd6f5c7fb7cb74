package datasource_test

// Ground truth for the dependents template variable, through the plugin
// binary: the packages whose latest upload requires the package, most
// downloaded in the range first, against the same list worked out here
// from the projects table's rows and plain count() over the raw pypi
// table. The requirement names are parsed in Go, not by the plugin's SQL.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestGroundTruthDependentsVariable(t *testing.T) {
	ctx := context.Background()
	end := shared.cfg.EndDate()
	dependents := gtDependents(t, ctx)
	cut := 0
	for _, c := range []struct {
		pkg   string
		days  int
		limit int // 0: none given, the kind's default
	}{
		{"numpy", 90, 0}, {"urllib3", 365, 0}, {"numpy", 30, 2}, {"requests", 365, 1000},
		// Written as no project spells it: the package is matched by its
		// normalized name.
		{"NumPy", 365, 3},
	} {
		t.Run(fmt.Sprintf("%s/%dd/limit%d", c.pkg, c.days, c.limit), func(t *testing.T) {
			from := end.AddDate(0, 0, -(c.days - 1))
			model := map[string]any{"queryType": "variable", "variable": "dependents", "packages": []string{c.pkg}}
			limit := 5 // the kind's documented default
			if c.limit > 0 {
				model["limit"], limit = c.limit, c.limit
			}
			resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("V", model, from.Add(3*time.Hour), end.Add(20*time.Hour))})
			mustT(t, err)
			r := resp.Responses["V"]
			if r.Error != nil {
				t.Fatal(r.Error)
			}
			var got []string
			if fl, _ := r.Frames[0].FieldByName("__value"); fl != nil {
				for i := 0; i < fl.Len(); i++ {
					v, _ := fl.ConcreteAt(i)
					got = append(got, fmt.Sprint(v))
				}
			} else {
				t.Fatalf("no __value field in %v", fieldNames(r.Frames[0]))
			}
			all := gtRankByDownloads(t, ctx, dependents[gtNorm(c.pkg)], from, end)
			want := all[:min(limit, len(all))]
			if !slices.Equal(got, want) {
				t.Errorf("options %q, raw tables give %q (of %d downloaded dependents)", got, want, len(all))
			}
			if len(all) > limit {
				cut++
			}
			if len(want) == 0 {
				t.Error("no dependents downloaded in the range: the comparison proves little")
			}
		})
	}
	if cut == 0 {
		t.Error("no case had more dependents than its limit: the limit went untested")
	}
}

// gtNorm is PEP 503 normalization.
func gtNorm(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(name, "-"))
}

// gtDependents maps each normalized package name to the normalized names
// of the projects whose latest upload lists it in requires_dist.
func gtDependents(t *testing.T, ctx context.Context) map[string][]string {
	t.Helper()
	rows, err := shared.conn.Query(ctx, "SELECT name, upload_time, requires_dist FROM "+shared.srv.Database+".projects")
	mustT(t, err)
	type upload struct {
		at   time.Time
		reqs []string
	}
	latest := map[string][]upload{}
	for rows.Next() {
		var name string
		var u upload
		mustT(t, rows.Scan(&name, &u.at, &u.reqs))
		cur := latest[name]
		switch {
		case len(cur) == 0 || u.at.After(cur[0].at):
			latest[name] = []upload{u}
		case u.at.Equal(cur[0].at):
			latest[name] = append(cur, u)
		}
	}
	mustT(t, rows.Err())
	// A requirement names its project by the leading run of name
	// characters: "urllib3<3,>=1.21.1", "idna (>=2.5) ; extra == 'x'".
	nameRE := regexp.MustCompile(`^ *([A-Za-z0-9._-]+)`)
	requires := func(u upload) map[string]bool {
		out := map[string]bool{}
		for _, r := range u.reqs {
			if m := nameRE.FindStringSubmatch(r); m != nil {
				out[gtNorm(m[1])] = true
			}
		}
		return out
	}
	out := map[string][]string{}
	for name, ups := range latest {
		reqs := requires(ups[0])
		for _, u := range ups[1:] {
			// Uploads at the same instant that disagree leave "latest"
			// undefined, and with it whether the project is a dependent.
			if other := requires(u); !sameSet(other, reqs) {
				t.Fatalf("%s: uploads at %s require %v and %v: no latest upload to read", name, u.at, reqs, other)
			}
		}
		for req := range reqs {
			out[req] = append(out[req], gtNorm(name))
		}
	}
	return out
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// gtRankByDownloads orders the packages downloaded from from to to by
// their raw count, most first, ties by name; those without a download in
// the range are left out.
func gtRankByDownloads(t *testing.T, ctx context.Context, pkgs []string, from, to time.Time) []string {
	t.Helper()
	if len(pkgs) == 0 {
		return nil
	}
	rows, err := shared.conn.Query(ctx, "SELECT project, count() FROM "+shared.srv.Database+
		".pypi WHERE project IN @p AND date >= toDate(@f) AND date <= toDate(@t) GROUP BY project",
		clickhouse.Named("p", pkgs), clickhouse.Named("f", from.Format(time.DateOnly)), clickhouse.Named("t", to.Format(time.DateOnly)))
	mustT(t, err)
	type ranked struct {
		name string
		n    uint64
	}
	var rs []ranked
	for rows.Next() {
		var r ranked
		mustT(t, rows.Scan(&r.name, &r.n))
		rs = append(rs, r)
	}
	mustT(t, rows.Err())
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].n != rs[j].n {
			return rs[i].n > rs[j].n
		}
		return rs[i].name < rs[j].name
	})
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return out
}
