package frames

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// MaxRows bounds what Read keeps in memory; user SQL past it must LIMIT.
const MaxRows = 1_000_000

// Column is one result column as the driver describes it.
type Column struct {
	Name string
	// DatabaseType is ClickHouse's type name, e.g. "LowCardinality(String)".
	DatabaseType string
	// ScanType is the Go type the driver scans the column into.
	ScanType reflect.Type
}

// Result is a query's rows, each value of its column's ScanType.
type Result struct {
	Columns []Column
	Rows    [][]any
}

// Rows is the part of clickhouse-go's driver.Rows that Read uses.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	ColumnTypes() []driver.ColumnType
	Err() error
}

// Read scans every row within ctx and maxBytes of memory (0: the
// default). It does not close rows.
func Read(ctx context.Context, rows Rows, maxBytes int64) (*Result, error) {
	b := newBudget(ctx, maxBytes)
	res := &Result{}
	for _, ct := range rows.ColumnTypes() {
		res.Columns = append(res.Columns, Column{Name: ct.Name(), DatabaseType: ct.DatabaseTypeName(), ScanType: ct.ScanType()})
	}
	// Scalar columns reuse one scan target for every row: Scan overwrites
	// it and the value is copied out before the next row. Other types
	// (Nullable pointers, arrays, maps) may share memory with the target,
	// so they get a fresh one per row.
	dest := make([]any, len(res.Columns))
	elems := make([]reflect.Value, len(res.Columns))
	fresh := make([]bool, len(res.Columns))
	for i, c := range res.Columns {
		ptr := reflect.New(c.ScanType)
		dest[i], elems[i], fresh[i] = ptr.Interface(), ptr.Elem(), !scalar(c.ScanType)
	}
	for rows.Next() {
		if err := b.next(); err != nil {
			return nil, err
		}
		for i, c := range res.Columns {
			if fresh[i] {
				ptr := reflect.New(c.ScanType)
				dest[i], elems[i] = ptr.Interface(), ptr.Elem()
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("reading result row %d: %w", len(res.Rows)+1, err)
		}
		if err := b.take(elems); err != nil {
			return nil, err
		}
		row := make([]any, len(dest))
		for i, e := range elems {
			row[i] = e.Interface()
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading result: %w", err)
	}
	return res, nil
}

func errTooManyRows() error {
	return fmt.Errorf("reading result: more than %d rows; add a LIMIT or aggregate further", MaxRows)
}

// scalar tells whether values of t hold no references, so a scan target
// of that type can be reused.
func scalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return t == reflect.TypeFor[time.Time]()
}

// column returns the index of the named column, or -1.
func (r *Result) column(name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}
