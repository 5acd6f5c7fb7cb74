package frames

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// kind is the Grafana field type family a column maps to.
type kind int

const (
	kindText kind = iota // strings, and anything without a better field type
	kindInt
	kindUint
	kindFloat
	kindBool
	kindTime
)

// floater is what decimal types offer (shopspring/decimal, as
// clickhouse-go scans Decimal columns).
type floater interface{ Float64() (float64, bool) }

func kindOf(t reflect.Type) (k kind, nullable bool) {
	if t == nil {
		return kindText, true
	}
	if t.Kind() == reflect.Pointer {
		nullable = true
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt, nullable
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kindUint, nullable
	case reflect.Float32, reflect.Float64:
		return kindFloat, nullable
	case reflect.Bool:
		return kindBool, nullable
	}
	if t == reflect.TypeFor[time.Time]() {
		return kindTime, nullable
	}
	if t.Implements(reflect.TypeFor[floater]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[floater]()) {
		return kindFloat, nullable
	}
	return kindText, nullable
}

// fieldType is the frame field type of values of kind k, before
// nullability.
func (k kind) fieldType() data.FieldType {
	switch k {
	case kindInt:
		return data.FieldTypeInt64
	case kindUint:
		return data.FieldTypeUint64
	case kindFloat:
		return data.FieldTypeFloat64
	case kindBool:
		return data.FieldTypeBool
	case kindTime:
		return data.FieldTypeTime
	}
	return data.FieldTypeString
}

// newField makes an empty field of n values for a column.
func newField(name string, k kind, nullable bool, n int) *data.Field {
	ft := k.fieldType()
	if nullable {
		ft = ft.NullableType()
	}
	f := data.NewFieldFromFieldType(ft, n)
	f.Name = name
	return f
}

// setValue stores v, converted to the field's type, at row i. A nil (or
// nil pointer) value in a non-nullable field leaves the zero value.
func setValue(f *data.Field, i int, k kind, v any) error {
	v, ok := deref(v)
	if !ok {
		return nil
	}
	var out any
	switch k {
	case kindInt:
		n, ok := asInt64(v)
		if !ok {
			return fmt.Errorf("field %s: %T is not an integer", f.Name, v)
		}
		out = n
	case kindUint:
		n, ok := asUint64(v)
		if !ok {
			return fmt.Errorf("field %s: %T is not an unsigned integer", f.Name, v)
		}
		out = n
	case kindFloat:
		x, ok := asFloat64(v)
		if !ok {
			return fmt.Errorf("field %s: %T is not a number", f.Name, v)
		}
		out = x
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("field %s: %T is not a bool", f.Name, v)
		}
		out = b
	case kindTime:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("field %s: %T is not a time", f.Name, v)
		}
		out = t
	default:
		out = asText(v)
	}
	f.SetConcrete(i, out)
	return nil
}

// deref follows pointers; ok is false for nil.
func deref(v any) (any, bool) {
	// The driver's common scan types skip reflection: this runs per value.
	switch v.(type) {
	case nil:
		return nil, false
	case string, int64, uint64, int32, uint32, int16, uint16, int8, uint8, float64, float32, bool, time.Time:
		return v, true
	}
	for {
		if v == nil {
			return nil, false
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			return v, true
		}
		if rv.IsNil() {
			return nil, false
		}
		v = rv.Elem().Interface()
	}
}

func asInt64(v any) (int64, bool) {
	v, ok := deref(v)
	if !ok {
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return math.MaxInt64, true
		}
		return int64(u), true
	case reflect.Float32, reflect.Float64:
		return int64(math.Round(rv.Float())), true
	}
	return 0, false
}

func asUint64(v any) (uint64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if rv.Int() < 0 {
			return 0, false
		}
		return uint64(rv.Int()), true
	}
	return 0, false
}

func asFloat64(v any) (float64, bool) {
	if f, ok := v.(floater); ok {
		x, _ := f.Float64()
		return x, true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	return 0, false
}

// asText renders any value as text: strings as they are, Stringers by
// their String, arrays, maps and the like as JSON.
func asText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case fmt.Stringer:
		return x.String()
	}
	if b, err := json.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// asDay returns the UTC calendar day of a Date or DateTime value, as the
// server wrote it (its own time zone's wall clock).
func asDay(v any) (time.Time, bool) {
	v, ok := deref(v)
	if !ok {
		return time.Time{}, false
	}
	t, ok := v.(time.Time)
	if !ok {
		return time.Time{}, false
	}
	if t.Location() == time.UTC && t.Unix()%(24*60*60) == 0 {
		// Date columns arrive as UTC midnight already.
		return t, true
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}
