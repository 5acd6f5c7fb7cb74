package frames

import (
	"context"
	"fmt"
	"reflect"
	"time"
)

// DefaultMaxBytes is the memory one answer may take while it is read,
// when the caller sets no cap.
const DefaultMaxBytes = 64 << 20

// ctxCheckEvery is how many rows are read between looks at the context,
// so a timeout also ends reading and converting, not only the query.
const ctxCheckEvery = 1024

// budget bounds one result as it is read: its rows, its bytes in memory
// (estimated from the values scanned), and its time (the context).
type budget struct {
	ctx      context.Context
	maxBytes int64
	bytes    int64
	rows     int
}

func newBudget(ctx context.Context, maxBytes int64) *budget {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &budget{ctx: ctx, maxBytes: maxBytes}
}

// next admits one more row.
func (b *budget) next() error {
	if b.rows++; b.rows > MaxRows {
		return errTooManyRows()
	}
	if b.rows%ctxCheckEvery == 0 {
		if err := b.ctx.Err(); err != nil {
			return fmt.Errorf("reading result row %d: %w", b.rows, err)
		}
	}
	return nil
}

// take counts a scanned row's values against the byte cap.
func (b *budget) take(values []reflect.Value) error {
	for _, v := range values {
		b.bytes += sizeOf(v)
	}
	return b.check()
}

// takeBytes counts n bytes against the cap.
func (b *budget) takeBytes(n int64) error {
	b.bytes += n
	return b.check()
}

func (b *budget) check() error {
	if b.bytes > b.maxBytes {
		return &TooLargeError{MaxBytes: b.maxBytes, Rows: b.rows}
	}
	return nil
}

// TooLargeError is a result that outgrew the memory cap while it was read.
type TooLargeError struct {
	MaxBytes int64
	Rows     int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the result passed the data source's cap of %d MiB (maxResultBytes) at row %d: "+
		"select fewer or smaller columns, add a LIMIT, aggregate further or narrow the time range; "+
		"an administrator can raise maxResultBytes in the data source's settings", e.MaxBytes>>20, e.Rows)
}

// sizeOf estimates the memory a scanned value holds: its own size and what
// it points to (string bytes, slice and map elements).
func sizeOf(v reflect.Value) int64 {
	if !v.IsValid() {
		return 0
	}
	if isTime(v.Type()) {
		return int64(v.Type().Size())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 8
		}
		return 8 + sizeOf(v.Elem())
	case reflect.String:
		return 16 + int64(v.Len())
	case reflect.Slice, reflect.Array:
		n := int64(24)
		if v.Len() == 0 {
			return n
		}
		if et := v.Type().Elem(); flat(et) {
			return n + int64(v.Len())*int64(et.Size())
		}
		for i := range v.Len() {
			n += sizeOf(v.Index(i))
		}
		return n
	case reflect.Map:
		n := int64(48)
		it := v.MapRange()
		for it.Next() {
			n += sizeOf(it.Key()) + sizeOf(it.Value())
		}
		return n
	case reflect.Struct:
		if flat(v.Type()) {
			return int64(v.Type().Size())
		}
		n := int64(0)
		for i := range v.NumField() {
			n += sizeOf(v.Field(i))
		}
		return n
	}
	return int64(v.Type().Size())
}

// isTime: a time.Time points at a shared Location, so only the value
// counts.
func isTime(t reflect.Type) bool { return t == reflect.TypeFor[time.Time]() }

// flat tells whether values of t hold no references, so their size is
// their type's.
func flat(t reflect.Type) bool {
	if isTime(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.String, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return false
	case reflect.Array:
		return flat(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !flat(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}
