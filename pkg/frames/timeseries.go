package frames

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// PartialBucketNotice starts the notice on a frame whose last bucket is
// still in progress.
const PartialBucketNotice = "partial bucket"

// emptyLabel stands for an empty dimension value in display names.
const emptyLabel = "(none)"

// series is one number field being filled.
type series struct {
	labels data.Labels
	values []int64
	total  int64
	// expected is the position among Shape.Expected, or -1.
	expected int
}

// timeSeries turns long rows (time, labels, value) into a wide frame with
// every bucket up to the last date with data; see the package doc.
func timeSeries(sh sqlbuild.Shape, res *Result) (*data.Frame, error) {
	if len(res.Rows) == 0 {
		// Over HTTP a result without rows may come without columns too.
		res = &Result{Columns: []Column{{Name: sh.TimeColumn}, {Name: sh.ValueColumn}, {Name: sh.DataEndColumn}}}
		for _, l := range sh.Labels {
			res.Columns = append(res.Columns, Column{Name: l.Column})
		}
	}
	ti, vi := res.column(sh.TimeColumn), res.column(sh.ValueColumn)
	if ti < 0 || vi < 0 {
		return nil, fmt.Errorf("time series result lacks its %q or %q column", sh.TimeColumn, sh.ValueColumn)
	}
	li := make([]int, len(sh.Labels))
	for i, l := range sh.Labels {
		if li[i] = res.column(l.Column); li[i] < 0 {
			return nil, fmt.Errorf("time series result lacks its label column %q", l.Column)
		}
	}
	g := sh.Granularity
	start, end := sqlbuild.Day(sh.Start), sqlbuild.Day(sh.End)
	last, known := end, true
	if sh.DataEndColumn != "" {
		last, known = dataEnd(res, sh.DataEndColumn, end)
	}
	var buckets []time.Time
	if known {
		for b := sqlbuild.BucketStart(g, start); !b.After(last); b = sqlbuild.NextBucket(g, b) {
			buckets = append(buckets, b)
		}
	}
	// Keyed by Unix seconds: hashing a time.Time (with its location) costs
	// more per row than the rest of the loop.
	pos := make(map[int64]int, len(buckets))
	for i, b := range buckets {
		pos[b.Unix()] = i
	}

	byKey := map[string]*series{}
	var key []byte
	for i, e := range sh.Expected {
		key = seriesKey(key[:0], sh.Labels, e)
		s := byKey[string(key)]
		if s == nil {
			labels := data.Labels{}
			for k, v := range e {
				labels[k] = v
			}
			s = &series{labels: labels, values: make([]int64, len(buckets)), expected: -1}
			byKey[string(key)] = s
		}
		s.expected = i
	}
	vals := make([]string, len(sh.Labels))
	for ri, row := range res.Rows {
		t, ok := asDay(row[ti])
		if !ok {
			return nil, fmt.Errorf("time series row %d: %v is not a date", ri+1, row[ti])
		}
		n, ok := asInt64(row[vi])
		if !ok {
			return nil, fmt.Errorf("time series row %d: %v is not a number", ri+1, row[vi])
		}
		key = key[:0]
		for i := range sh.Labels {
			vals[i] = asText(derefOr(row[li[i]]))
			key = appendKeyPart(key, vals[i])
		}
		// A lookup with string(key) does not allocate; only a new series
		// builds its labels.
		s := byKey[string(key)]
		if s == nil {
			labels := make(data.Labels, len(sh.Labels))
			for i, l := range sh.Labels {
				labels[l.Name] = vals[i]
			}
			s = &series{labels: labels, values: make([]int64, len(buckets)), expected: -1}
			byKey[string(key)] = s
		}
		s.total += n
		// Rows past the last date with data cannot occur with a data_end
		// column; without one they fall outside the range and are dropped.
		if b, ok := pos[sqlbuild.BucketStart(g, t).Unix()]; ok {
			s.values[b] += n
		}
	}

	all := make([]*series, 0, len(byKey))
	for _, s := range byKey {
		all = append(all, s)
	}
	sortSeries(all, sh)

	f := data.NewFrame("", data.NewField(sh.TimeColumn, nil, buckets))
	for _, s := range all {
		field := data.NewField(sh.ValueName, s.labels, s.values)
		field.Config = &data.FieldConfig{DisplayNameFromDS: displayName(sh, s.labels)}
		f.Fields = append(f.Fields, field)
	}
	meta := &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	if n := len(buckets); n > 0 && g != querymodel.Day {
		if bucketEnd := sqlbuild.NextBucket(g, buckets[n-1]).AddDate(0, 0, -1); bucketEnd.After(last) {
			meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo,
				Text: fmt.Sprintf("%s: the %s starting %s holds data up to %s only", PartialBucketNotice,
					g, buckets[n-1].Format(time.DateOnly), last.Format(time.DateOnly))})
		}
	}
	f.SetMeta(meta)
	return f, nil
}

// seriesKey identifies a label set by its values in the shape's label
// order, the same way for a row (every label set) and for an expected
// series (a map that may lack some labels, or hold others).
func seriesKey(key []byte, labels []sqlbuild.Label, set map[string]string) []byte {
	for _, l := range labels {
		v, ok := set[l.Name]
		if !ok {
			key = append(key, 0, 2)
			continue
		}
		key = appendKeyPart(key, v)
	}
	extra := make([]string, 0, len(set))
	for k := range set {
		if !slices.ContainsFunc(labels, func(l sqlbuild.Label) bool { return l.Name == k }) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		key = append(key, 0, 3)
		key = append(key, k...)
		key = appendKeyPart(key, set[k])
	}
	return key
}

// appendKeyPart adds one present label value; the 0,1 prefix keeps values
// containing separators from colliding.
func appendKeyPart(key []byte, v string) []byte {
	key = append(key, 0, 1)
	key = strconv.AppendInt(key, int64(len(v)), 10)
	key = append(key, ':')
	return append(key, v...)
}

// dataEnd is the newest date in the column, capped at end; known is false
// when no row has one.
func dataEnd(res *Result, column string, end time.Time) (last time.Time, known bool) {
	ci := res.column(column)
	if ci < 0 {
		return end, true
	}
	for _, row := range res.Rows {
		if d, ok := asDay(row[ci]); ok && (!known || d.After(last)) {
			last, known = d, true
		}
	}
	if known && last.After(end) {
		last = end
	}
	return last, known
}

func derefOr(v any) any {
	if d, ok := deref(v); ok {
		return d
	}
	return ""
}

// sortSeries orders series by package (as the query listed them), then
// the expected ones in their order, then by downloads, with "other" last.
func sortSeries(all []*series, sh sqlbuild.Shape) {
	pkgRank := func(s *series) int {
		if i := slices.Index(sh.Packages, s.labels["package"]); i >= 0 {
			return i
		}
		return len(sh.Packages)
	}
	isOther := func(s *series) bool {
		for _, l := range sh.Labels {
			if l.Name != "package" && s.labels[l.Name] == "other" {
				return true
			}
		}
		return false
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if ra, rb := pkgRank(a), pkgRank(b); ra != rb {
			return ra < rb
		}
		if a.labels["package"] != b.labels["package"] {
			return a.labels["package"] < b.labels["package"]
		}
		if (a.expected >= 0) != (b.expected >= 0) {
			return a.expected >= 0
		}
		if a.expected != b.expected {
			return a.expected < b.expected
		}
		if oa, ob := isOther(a), isOther(b); oa != ob {
			return ob
		}
		if a.total != b.total {
			return a.total > b.total
		}
		return a.labels.String() < b.labels.String()
	})
}

// displayName joins the label values in the shape's order ("requests
// 2.32.3"); a series without labels takes the value name ("downloads").
func displayName(sh sqlbuild.Shape, labels data.Labels) string {
	var parts []string
	for _, l := range sh.Labels {
		v, ok := labels[l.Name]
		if !ok {
			continue
		}
		if v == "" {
			v = emptyLabel
		}
		parts = append(parts, v)
	}
	if len(parts) == 0 {
		return sh.ValueName
	}
	return strings.Join(parts, " ")
}
