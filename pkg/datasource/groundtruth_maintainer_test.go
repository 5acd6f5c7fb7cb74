package datasource_test

// Ground truth for the maintainer dashboard's query types, through the
// plugin binary: python_support's share of downloads on Python minors
// older than minPython, and adoption's per-release table, against the
// same figures computed here from plain count() over the raw pypi table
// (and the projects table's upload times).

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestGroundTruthPythonSupport(t *testing.T) {
	ctx := context.Background()
	from, to := dataRange()
	pkgs := []string{"requests", "boto3", "httplegacy"}
	for _, c := range []struct {
		min, granularity string
	}{{"3.10", "day"}, {"3.9", "month"}, {"3.12", "week"}, {"2.7", "month"}} {
		t.Run(c.min+"/"+c.granularity, func(t *testing.T) {
			model := map[string]any{"queryType": "python_support", "packages": pkgs, "minPython": c.min, "granularity": c.granularity}
			resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("P", model, from, to)})
			mustT(t, err)
			r := resp.Responses["P"]
			if r.Error != nil {
				t.Fatal(r.Error)
			}
			f := r.Frames[0]
			major, minor, _ := strings.Cut(c.min, ".")
			maj, _ := strconv.Atoi(major)
			mnr, _ := strconv.Atoi(minor)
			older, known := map[string]map[time.Time]float64{}, map[string]map[time.Time]float64{}
			rows, err := shared.conn.Query(ctx, "SELECT project, date, python_minor, count() FROM "+shared.srv.Database+
				".pypi WHERE project IN @p GROUP BY 1, 2, 3", clickhouse.Named("p", pkgs))
			mustT(t, err)
			for rows.Next() {
				var p, py string
				var d time.Time
				var n uint64
				mustT(t, rows.Scan(&p, &d, &py, &n))
				a, b, ok := strings.Cut(py, ".")
				x, err1 := strconv.Atoi(a)
				y, err2 := strconv.Atoi(b)
				if !ok || err1 != nil || err2 != nil {
					continue
				}
				bk := gtBucketStart(c.granularity, d.UTC())
				if known[p] == nil {
					known[p], older[p] = map[time.Time]float64{}, map[time.Time]float64{}
				}
				known[p][bk] += float64(n)
				if x < maj || x == maj && y < mnr {
					older[p][bk] += float64(n)
				}
			}
			mustT(t, rows.Err())
			checked, nonzero := 0, 0
			for _, fl := range f.Fields[1:] {
				p := fl.Labels["package"]
				for i := 0; i < f.Rows(); i++ {
					bk, _ := f.Fields[0].At(i).(time.Time)
					want := math.NaN()
					if k := known[p][bk]; k > 0 {
						want = older[p][bk] / k
					}
					got := math.NaN()
					if v, ok := fl.ConcreteAt(i); ok {
						got = v.(float64)
					}
					if !(math.IsNaN(got) && math.IsNaN(want)) && math.Abs(got-want) > 1e-12 {
						t.Errorf("%s %s: share below %s %v, raw %v", p, bk.Format(time.DateOnly), c.min, got, want)
					}
					checked++
					if got > 0 {
						nonzero++
					}
				}
			}
			if checked == 0 || (c.min != "2.7" && nonzero == 0) {
				t.Errorf("%d values checked, %d above 0: the comparison proves little", checked, nonzero)
			}
		})
	}
}

func TestGroundTruthAdoption(t *testing.T) {
	ctx := context.Background()
	end := shared.cfg.EndDate()
	for _, c := range []struct {
		pkg  string
		days int
	}{{"requests", 120}, {"boto3", 60}, {"numpy", 400}} {
		t.Run(fmt.Sprintf("%s/%dd", c.pkg, c.days), func(t *testing.T) {
			from := end.AddDate(0, 0, -(c.days - 1))
			model := map[string]any{"queryType": "adoption", "packages": []string{c.pkg}, "limit": 1000}
			resp, err := shared.host.QueryData(ctx, shared.ds, []backend.DataQuery{query("A", model, from.Add(3*time.Hour), end.Add(20*time.Hour))})
			mustT(t, err)
			r := resp.Responses["A"]
			if r.Error != nil {
				t.Fatal(r.Error)
			}
			want := gtAdoption(t, ctx, c.pkg, from, end)
			f := r.Frames[0]
			if f.Rows() != len(want) {
				t.Fatalf("%d releases, raw has %d downloaded in the range", f.Rows(), len(want))
			}
			col := func(name string) int {
				for i, fl := range f.Fields {
					if fl.Name == name {
						return i
					}
				}
				t.Fatalf("no field %s in %v", name, fieldNames(f))
				return -1
			}
			measured := 0
			for i := 0; i < f.Rows(); i++ {
				v, _ := f.Fields[col("version")].ConcreteAt(i)
				w := want[i]
				if v != w.version {
					t.Errorf("row %d: release %v, want %s (newest upload first)", i, v, w.version)
					continue
				}
				days, hasDays := f.Fields[col("days_to_half")].ConcreteAt(i)
				if hasDays != (w.daysToHalf >= 0) || hasDays && days.(int64) != int64(w.daysToHalf) {
					t.Errorf("%s: days to half %v (%v), raw %d", w.version, days, hasDays, w.daysToHalf)
				}
				if hasDays {
					measured++
				}
				for name, x := range map[string]float64{"peak_share": w.peak, "last_share": w.last} {
					got, _ := f.Fields[col(name)].FloatAt(i)
					if math.Abs(got-x) > 1e-12 {
						t.Errorf("%s: %s %v, raw %v", w.version, name, got, x)
					}
				}
				if n, _ := f.Fields[col("downloads")].ConcreteAt(i); n.(int64) != w.downloads {
					t.Errorf("%s: downloads %v, raw %d", w.version, n, w.downloads)
				}
			}
			if measured == 0 && c.days >= 120 {
				t.Error("no release took over half of the downloads: the comparison proves little")
			}
		})
	}
}

type gtRelease struct {
	version    string
	uploaded   time.Time
	daysToHalf int // -1: none
	peak, last float64
	downloads  int64
	firstHalf  time.Time
	hasUpload  bool
}

// gtAdoption computes the adoption table from raw counts: each release's
// daily share of the package's downloads, the first day from its upload
// day on with half of them, newest upload first.
func gtAdoption(t *testing.T, ctx context.Context, pkg string, from, to time.Time) []gtRelease {
	t.Helper()
	rows, err := shared.conn.Query(ctx, "SELECT date, version, count() FROM "+shared.srv.Database+
		".pypi WHERE project = @p AND date >= toDate(@f) AND date <= toDate(@t) GROUP BY 1, 2",
		clickhouse.Named("p", pkg), clickhouse.Named("f", from.Format(time.DateOnly)), clickhouse.Named("t", to.Format(time.DateOnly)))
	mustT(t, err)
	type key struct {
		d time.Time
		v string
	}
	byDay, total := map[key]float64{}, map[time.Time]float64{}
	var last time.Time
	for rows.Next() {
		var d time.Time
		var v string
		var n uint64
		mustT(t, rows.Scan(&d, &v, &n))
		d = d.UTC()
		byDay[key{d, v}] += float64(n)
		total[d] += float64(n)
		if d.After(last) {
			last = d
		}
	}
	mustT(t, rows.Err())
	uploads := map[string]time.Time{}
	urows, err := shared.conn.Query(ctx, "SELECT version, min(upload_time) FROM "+shared.srv.Database+".projects WHERE name = @p GROUP BY version",
		clickhouse.Named("p", pkg))
	mustT(t, err)
	for urows.Next() {
		var v string
		var up time.Time
		mustT(t, urows.Scan(&v, &up))
		uploads[v] = up.UTC()
	}
	mustT(t, urows.Err())
	rel := map[string]*gtRelease{}
	for k, n := range byDay {
		r := rel[k.v]
		if r == nil {
			r = &gtRelease{version: k.v, daysToHalf: -1}
			r.uploaded, r.hasUpload = uploads[k.v]
			rel[k.v] = r
		}
		share := n / total[k.d]
		r.peak = math.Max(r.peak, share)
		if k.d.Equal(last) {
			r.last = share
		}
		r.downloads += int64(n)
		up := gtDay(r.uploaded)
		if r.hasUpload && !up.Before(from) && !k.d.Before(up) && share >= 0.5 && (r.firstHalf.IsZero() || k.d.Before(r.firstHalf)) {
			r.firstHalf = k.d
		}
	}
	var out []gtRelease
	for _, r := range rel {
		if !r.firstHalf.IsZero() {
			r.daysToHalf = int(r.firstHalf.Sub(gtDay(r.uploaded)).Hours() / 24)
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.hasUpload != b.hasUpload {
			return a.hasUpload
		}
		if !a.uploaded.Equal(b.uploaded) {
			return a.uploaded.After(b.uploaded)
		}
		return a.version > b.version
	})
	return out
}
