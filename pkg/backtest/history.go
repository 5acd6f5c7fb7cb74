package backtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Handler answers queries as Grafana sends them: the data source instance
// in process (datasource.NewInstance) or the plugin binary behind an
// adapter.
type Handler interface {
	QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error)
}

// History is the data source's daily answers over the whole span, per
// query model and package: what a rule's queries would have returned on
// any day, cut at that day's newest data (see Window).
type History struct {
	// Start is the first day; values are indexed by days since Start.
	Start time.Time
	Days  int
	// Packages are the packages every model was asked for.
	Packages []string
	// present marks days holding any download at all, from the data
	// source's all-packages series: a stalled day has none.
	present []bool
	series  map[string]map[string][]float64
}

// queriesPerRequest is how many chunk queries go in one request: the data
// source runs 4 at a time.
const queriesPerRequest = 8

// modelKey identifies a query model whatever its refId, data source and
// package list.
func modelKey(m map[string]any) string {
	c := maps.Clone(m)
	for _, k := range []string{"refId", "datasource", "packages"} {
		delete(c, k)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// presenceModel is the all-packages daily series: a day without a single
// download is one the data never got.
func presenceModel() map[string]any {
	return map[string]any{"queryType": string(querymodel.TimeSeries), "granularity": string(querymodel.Day)}
}

// FetchHistory asks h for every model over [start, end] for all packages,
// querymodel.MaxPackages at a time (one query gives many packages' whole
// history, so a replay costs a few hundred queries, not one per day).
func FetchHistory(ctx context.Context, h Handler, models []map[string]any, packages []string, start, end time.Time) (*History, error) {
	start, end = day(start), day(end)
	hist := &History{Start: start, Days: int(end.Sub(start).Hours()/24) + 1, Packages: slices.Clone(packages),
		series: map[string]map[string][]float64{}}
	seen := map[string]bool{}
	for _, m := range models {
		key := modelKey(m)
		if seen[key] {
			continue
		}
		seen[key] = true
		got, err := hist.fetch(ctx, h, m, chunk(packages, querymodel.MaxPackages), end)
		if err != nil {
			return nil, err
		}
		hist.series[key] = got
	}
	got, err := hist.fetch(ctx, h, presenceModel(), [][]string{nil}, end)
	if err != nil {
		return nil, err
	}
	total := got[""]
	if total == nil {
		return nil, fmt.Errorf("the all-packages series came back without a series")
	}
	hist.present = make([]bool, hist.Days)
	for i, v := range total {
		hist.present[i] = v > 0
	}
	return hist, nil
}

func chunk(xs []string, n int) [][]string {
	var out [][]string
	for len(xs) > 0 {
		k := min(n, len(xs))
		out = append(out, xs[:k])
		xs = xs[k:]
	}
	return out
}

func (hist *History) fetch(ctx context.Context, h Handler, model map[string]any, chunks [][]string, end time.Time) (map[string][]float64, error) {
	out := map[string][]float64{}
	tr := backend.TimeRange{From: hist.Start, To: end.Add(24*time.Hour - time.Second)}
	for lo := 0; lo < len(chunks); lo += queriesPerRequest {
		req := &backend.QueryDataRequest{}
		batch := chunks[lo:min(lo+queriesPerRequest, len(chunks))]
		for i, c := range batch {
			m := maps.Clone(model)
			m["refId"] = fmt.Sprintf("Q%d", i)
			if c != nil {
				m["packages"] = c
			}
			raw, err := json.Marshal(m)
			if err != nil {
				return nil, fmt.Errorf("encoding a history query: %w", err)
			}
			qt, _ := m["queryType"].(string)
			req.Queries = append(req.Queries, backend.DataQuery{RefID: m["refId"].(string), QueryType: qt, JSON: raw,
				TimeRange: tr, Interval: 24 * time.Hour, MaxDataPoints: int64(hist.Days) + 1})
		}
		resp, err := h.QueryData(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("querying the data source for the history of %s: %w", modelKey(model), err)
		}
		for _, q := range req.Queries {
			r, ok := resp.Responses[q.RefID]
			if !ok {
				return nil, fmt.Errorf("history query %s of %s: no response", q.RefID, modelKey(model))
			}
			if r.Error != nil {
				return nil, fmt.Errorf("history query %s of %s: %w", q.RefID, modelKey(model), r.Error)
			}
			for _, f := range r.Frames {
				if err := hist.read(f, out); err != nil {
					return nil, fmt.Errorf("history query %s of %s: %w", q.RefID, modelKey(model), err)
				}
			}
		}
	}
	return out, nil
}

// read takes a wide frame's series into out by package label ("" for a
// series without one); days without a value stay NaN.
func (hist *History) read(f *data.Frame, out map[string][]float64) error {
	ti := slices.IndexFunc(f.Fields, func(fl *data.Field) bool { return fl.Type() == data.FieldTypeTime })
	if ti < 0 {
		if f.Rows() == 0 {
			return nil
		}
		return fmt.Errorf("frame without a time field")
	}
	idx := make([]int, f.Rows())
	for r := range idx {
		t, _ := f.Fields[ti].At(r).(time.Time)
		idx[r] = int(day(t).Sub(hist.Start).Hours() / 24)
	}
	for _, fl := range f.Fields {
		if !fl.Type().Numeric() {
			continue
		}
		p := fl.Labels["package"]
		vals := out[p]
		if vals == nil {
			vals = make([]float64, hist.Days)
			for i := range vals {
				vals[i] = math.NaN()
			}
			out[p] = vals
		}
		for r, i := range idx {
			if i < 0 || i >= hist.Days {
				continue
			}
			if v, ok := fl.ConcreteAt(r); ok {
				x, err := fl.FloatAt(r)
				if err != nil {
					return fmt.Errorf("value %v of %s: %w", v, p, err)
				}
				vals[i] = x
			}
		}
	}
	return nil
}

// Series is one package's values of one model, NaN where the data source
// gave none.
func (hist *History) Series(model map[string]any, pkg string) []float64 {
	return hist.series[modelKey(model)][pkg]
}

// newestAsOf is the newest day with data known on day k (data for a day
// arrives once it is over): the last present day before k, or -1.
func (hist *History) newestAsOf(k int) int {
	for j := min(k-1, hist.Days-1); j >= 0; j-- {
		if hist.present[j] {
			return j
		}
	}
	return -1
}

// index is t's day number in the history.
func (hist *History) index(t time.Time) int { return int(day(t).Sub(hist.Start).Hours() / 24) }

func (hist *History) date(i int) time.Time { return hist.Start.AddDate(0, 0, i) }

func day(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)
}

// sortedKeys lists a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Index is t's day number in the history.
func (hist *History) Index(t time.Time) int { return hist.index(t) }

// Window is a data query's window on the morning of day: its first and
// last days, cut at that morning's newest data; ok is false when none is
// left (no data).
func (hist *History) Window(q RuleStep, day time.Time) (from, to time.Time, ok bool) {
	lo, hi, ok := hist.window(q, hist.index(day))
	return hist.date(lo), hist.date(hi), ok
}
