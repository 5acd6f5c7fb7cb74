package frames

import (
	"fmt"
	"maps"
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

// startSeries finds the series columns of res and starts the builder that
// lays out its buckets.
func startSeries(sh sqlbuild.Shape, res *Result) (*Result, seriesCols, *seriesBuilder, error) {
	if len(res.Rows) == 0 {
		// Over HTTP a result without rows may come without columns too.
		res = &Result{Columns: []Column{{Name: sh.TimeColumn}, {Name: sh.ValueColumn}, {Name: sh.DataEndColumn}}}
		for _, l := range sh.Labels {
			res.Columns = append(res.Columns, Column{Name: l.Column})
		}
	}
	cols, err := seriesColumns(sh, res.column)
	if err != nil {
		return nil, seriesCols{}, nil, err
	}
	sb := newSeriesBuilder(sh)
	if cols.end < 0 && len(res.Rows) > 0 {
		sb.noEndColumn()
	}
	return res, cols, sb, nil
}

// timeSeries turns long rows (time, labels, value) into a wide frame with
// every bucket up to the last date with data; see the package doc.
func timeSeries(sh sqlbuild.Shape, res *Result) (*data.Frame, error) {
	res, cols, sb, err := startSeries(sh, res)
	if err != nil {
		return nil, err
	}
	vals := make([]string, len(sh.Labels))
	for ri, row := range res.Rows {
		t, ok := asDay(row[cols.time])
		if !ok {
			return nil, fmt.Errorf("time series row %d: %v is not a date", ri+1, row[cols.time])
		}
		n, ok := asInt64(row[cols.value])
		if !ok {
			return nil, fmt.Errorf("time series row %d: %v is not a number", ri+1, row[cols.value])
		}
		for i, li := range cols.labels {
			vals[i] = asText(derefOr(row[li]))
		}
		if cols.end >= 0 {
			if d, ok := asDay(row[cols.end]); ok {
				sb.seeEnd(d)
			}
		}
		sb.add(t, vals, n)
	}
	return sb.frame(), nil
}

// seriesCols are the positions of a time series result's columns; end is
// -1 when the statement has no data_end column or the result lacks it.
type seriesCols struct {
	time, value, end int
	labels           []int
}

func seriesColumns(sh sqlbuild.Shape, index func(string) int) (seriesCols, error) {
	c := seriesCols{time: index(sh.TimeColumn), value: index(sh.ValueColumn), end: -1}
	if c.time < 0 || c.value < 0 {
		return c, fmt.Errorf("time series result lacks its %q or %q column", sh.TimeColumn, sh.ValueColumn)
	}
	c.labels = make([]int, len(sh.Labels))
	for i, l := range sh.Labels {
		if c.labels[i] = index(l.Column); c.labels[i] < 0 {
			return c, fmt.Errorf("time series result lacks its label column %q", l.Column)
		}
	}
	if sh.DataEndColumn != "" {
		c.end = index(sh.DataEndColumn)
	}
	return c, nil
}

// seriesBuilder accumulates rows into series over every bucket of the
// range; frame cuts them at the last date with data, which is only known
// once every row is in.
type seriesBuilder struct {
	sh         sqlbuild.Shape
	start, end time.Time
	buckets    []time.Time
	// pos maps a bucket's first day, as Unix seconds (cheaper to hash than
	// a time.Time), to its index.
	pos   map[int64]int
	byKey map[string]*series
	key   []byte
	// last is the newest data_end seen; known tells whether any was.
	last  time.Time
	known bool
}

func newSeriesBuilder(sh sqlbuild.Shape) *seriesBuilder {
	sb := &seriesBuilder{sh: sh, start: sqlbuild.Day(sh.Start), end: sqlbuild.Day(sh.End), byKey: map[string]*series{}}
	for b := sqlbuild.BucketStart(sh.Granularity, sb.start); !b.After(sb.end); b = sqlbuild.NextBucket(sh.Granularity, b) {
		sb.buckets = append(sb.buckets, b)
	}
	sb.pos = make(map[int64]int, len(sb.buckets))
	for i, b := range sb.buckets {
		sb.pos[b.Unix()] = i
	}
	if sh.DataEndColumn == "" {
		sb.noEndColumn()
	}
	if !sh.DataEnd.IsZero() {
		sb.seeEnd(sqlbuild.Day(sh.DataEnd))
	}
	for i, e := range sh.Expected {
		sb.key = seriesKey(sb.key[:0], sh.Labels, e)
		sb.series(func() data.Labels { return data.Labels(maps.Clone(e)) }).expected = i
	}
	return sb
}

// series returns the series keyed by sb.key, making it with the labels
// from newLabels when it is new: a lookup with string(key) does not
// allocate, so only a new series builds its labels.
func (sb *seriesBuilder) series(newLabels func() data.Labels) *series {
	s := sb.byKey[string(sb.key)]
	if s == nil {
		s = &series{labels: newLabels(), values: make([]int64, len(sb.buckets)), expected: -1}
		sb.byKey[string(sb.key)] = s
	}
	return s
}

// noEndColumn is for a result without the statement's data_end column:
// the range's last date stands in for it.
func (sb *seriesBuilder) noEndColumn() { sb.last, sb.known = sb.end, true }

// seeEnd takes one row's data_end.
func (sb *seriesBuilder) seeEnd(d time.Time) {
	if sb.sh.DataEndColumn != "" && (!sb.known || d.After(sb.last)) {
		sb.last, sb.known = d, true
	}
}

// add counts n downloads on day t for the series with these label values
// (in the shape's label order).
func (sb *seriesBuilder) add(t time.Time, vals []string, n int64) {
	sb.key = sb.key[:0]
	for _, v := range vals {
		sb.key = appendKeyPart(sb.key, v)
	}
	s := sb.series(func() data.Labels {
		labels := make(data.Labels, len(vals))
		for i, l := range sb.sh.Labels {
			labels[l.Name] = vals[i]
		}
		return labels
	})
	s.total += n
	bucket := t
	if sb.sh.Granularity != querymodel.Day {
		bucket = sqlbuild.BucketStart(sb.sh.Granularity, t)
	}
	// Rows outside the range count in the total only.
	if b, ok := sb.pos[bucket.Unix()]; ok {
		s.values[b] += n
	}
}

// frame is the wide frame of every series, its buckets through the last
// date with data (none when no row had one).
func (sb *seriesBuilder) frame() *data.Frame {
	sh, g := sb.sh, sb.sh.Granularity
	last := sb.last
	if last.After(sb.end) {
		last = sb.end
	}
	n := 0
	if sb.known {
		for n < len(sb.buckets) && !sb.buckets[n].After(last) {
			n++
		}
	}
	buckets := sb.buckets[:n]

	all := make([]*series, 0, len(sb.byKey))
	for _, s := range sb.byKey {
		all = append(all, s)
	}
	sortSeries(all, sh)

	f := data.NewFrame("", data.NewField(sh.TimeColumn, nil, buckets))
	for _, s := range all {
		if sh.Cumulative {
			for i := 1; i < n; i++ {
				s.values[i] += s.values[i-1]
			}
		}
		field := data.NewField(sh.ValueName, s.labels, s.values[:n])
		field.Config = &data.FieldConfig{DisplayNameFromDS: displayName(sh, s.labels)}
		f.Fields = append(f.Fields, field)
	}
	meta := &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}}
	if n > 0 && g != querymodel.Day {
		if bucketEnd := sqlbuild.NextBucket(g, buckets[n-1]).AddDate(0, 0, -1); bucketEnd.After(last) {
			meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo,
				Text: fmt.Sprintf("%s: the %s starting %s holds data up to %s only", PartialBucketNotice,
					g, buckets[n-1].Format(time.DateOnly), last.Format(time.DateOnly))})
		}
	}
	f.SetMeta(meta)
	return f
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
