package frames

import (
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// userTable passes user SQL results on as a table, except that a long
// time series (a time column first, then text and number columns) becomes
// a wide one, as Grafana's own SQL data sources do, so it graphs as one
// series per text value. The rows are sorted by time first, which the
// conversion needs.
func userTable(res *Result) (*data.Frame, error) {
	f, err := table(res)
	if err != nil {
		return nil, err
	}
	if f.TimeSeriesSchema().Type != data.TimeSeriesTypeLong {
		return f, nil
	}
	tf := f.Fields[0]
	if tf.Type() != data.FieldTypeTime || tf.Len() == 0 {
		return f, nil
	}
	sorted := sortedByTime(f)
	wide, err := data.LongToWide(sorted, &data.FillMissing{Mode: data.FillModeNull})
	if err != nil {
		// Not every long-looking table converts (duplicate keys, say);
		// the table itself is still a fine answer.
		return f, nil
	}
	return wide, nil
}

// sortedByTime returns a copy of f with rows in ascending order of its
// first field, a time (nulls first).
func sortedByTime(f *data.Frame) *data.Frame {
	tf := f.Fields[0]
	at := func(i int) time.Time {
		v, _ := tf.ConcreteAt(i)
		t, _ := v.(time.Time)
		return t
	}
	idx := make([]int, tf.Len())
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return at(idx[a]).Before(at(idx[b])) })
	out := f.EmptyCopy()
	for _, i := range idx {
		out.AppendRow(f.RowCopy(i)...)
	}
	return out
}
