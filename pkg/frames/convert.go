package frames

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Convert shapes a statement's result as one frame, with the statement's
// SQL, its values written in as literals (Statement.Runnable), as
// ExecutedQueryString and its notices as warnings.
func Convert(st sqlbuild.Statement, res *Result) (*data.Frame, error) {
	if res == nil {
		res = &Result{}
	}
	var f *data.Frame
	var err error
	switch st.Shape.Kind {
	case sqlbuild.KindTimeSeries:
		f, err = timeSeries(st.Shape, res)
	case sqlbuild.KindFloatSeries:
		f, err = floatSeries(st.Shape, res)
	case sqlbuild.KindUserSQL:
		f, err = userTable(res)
	default:
		f, err = table(res)
	}
	if err != nil {
		return nil, err
	}
	annotate(st, f)
	return f, nil
}

// annotate puts the statement's SQL and notices on the frame. The SQL is
// the runnable text, so a user can paste it into clickhouse client as it
// is; the statement run had the same values as bound parameters.
func annotate(st sqlbuild.Statement, f *data.Frame) {
	meta := f.Meta
	if meta == nil {
		meta = &data.FrameMeta{}
	}
	meta.ExecutedQueryString = st.Runnable()
	if st.Source.Table != "" {
		// The query editor names the view that answered; parsing the SQL
		// for it would also find the tables of subqueries.
		custom := map[string]any{"sourceTable": st.Source.Table}
		if st.Reason != "" {
			custom["sourceReason"] = st.Reason
		}
		meta.Custom = custom
	}
	var notices []data.Notice
	for _, n := range st.Notices {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: n})
	}
	if st.EmptyNotice != "" && f.Rows() == 0 {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: st.EmptyNotice})
	}
	meta.Notices = append(notices, meta.Notices...)
	f.SetMeta(meta)
}

// table copies the rows into typed fields, one per column.
func table(res *Result) (*data.Frame, error) {
	f := data.NewFrame("")
	for ci, c := range res.Columns {
		k, nullable := kindOf(c.ScanType)
		field := newField(c.Name, k, nullable, len(res.Rows))
		for ri, row := range res.Rows {
			if ci >= len(row) {
				return nil, fmt.Errorf("result row %d has %d values for %d columns", ri+1, len(row), len(res.Columns))
			}
			if err := setValue(field, ri, k, row[ci]); err != nil {
				return nil, fmt.Errorf("result row %d: %w", ri+1, err)
			}
		}
		if u := unitOf(c.Name); u != "" {
			field.Config = &data.FieldConfig{Unit: u}
		}
		f.Fields = append(f.Fields, field)
	}
	return f, nil
}

// unitOf gives the units of the ratio columns this project's queries
// return, so panels show them right without overrides.
func unitOf(column string) string {
	switch column {
	case "share", "growth":
		return "percentunit"
	case "percentile", "top_percent":
		return "percent"
	}
	return ""
}
