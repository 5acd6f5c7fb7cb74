package frames

import (
	"fmt"
	"maps"
	"math"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// floatSeries turns long rows (time, labels, a Float64 value) into a wide
// frame of nullable number fields over every day of the range up to the
// last date with data: a day without a row, or with a NULL or NaN value,
// is null, never 0, because these values are estimates (a baseline), not
// counts. Series are ordered as time series are.
func floatSeries(sh sqlbuild.Shape, res *Result) (*data.Frame, error) {
	// The series builder lays out buckets, orders series and cuts them
	// at the data's end; values are kept here beside its counts.
	res, cols, sb, err := startSeries(sh, res)
	if err != nil {
		return nil, err
	}
	values := map[*series][]*float64{}
	vals := make([]string, len(sh.Labels))
	for ri, row := range res.Rows {
		t, ok := asDay(row[cols.time])
		if !ok {
			return nil, fmt.Errorf("series row %d: %v is not a date", ri+1, row[cols.time])
		}
		for i, li := range cols.labels {
			vals[i] = asText(derefOr(row[li]))
		}
		if cols.end >= 0 {
			if d, ok := asDay(row[cols.end]); ok {
				sb.seeEnd(d)
			}
		}
		sb.add(t, vals, 0)
		s := sb.byKey[string(sb.key)]
		b, inRange := sb.pos[t.Unix()]
		if !inRange {
			continue
		}
		v, ok := deref(row[cols.value])
		if !ok {
			continue
		}
		x, ok := asFloat64(v)
		if !ok {
			return nil, fmt.Errorf("series row %d: %v is not a number", ri+1, row[cols.value])
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if values[s] == nil {
			values[s] = make([]*float64, len(sb.buckets))
		}
		values[s][b] = &x
	}
	f := sb.frame()
	// frame built Int64 fields of zeros in series order; swap each for
	// its values, found again by labels.
	byLabels := map[string]*series{}
	for _, s := range sb.byKey {
		byLabels[s.labels.String()] = s
	}
	n := 0
	if len(f.Fields) > 0 {
		n = f.Fields[0].Len()
	}
	for i, fl := range f.Fields[1:] {
		s := byLabels[fl.Labels.String()]
		out := make([]*float64, n)
		if v := values[s]; v != nil {
			copy(out, v[:n])
		}
		field := data.NewField(sh.ValueName, maps.Clone(fl.Labels), out)
		field.Config = fl.Config
		f.Fields[i+1] = field
	}
	return f, nil
}
