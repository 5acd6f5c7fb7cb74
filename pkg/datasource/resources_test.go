package datasource

import (
	"reflect"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Options read values and texts of any type; NULL reads as "".
func TestOptionsReadNullableFields(t *testing.T) {
	s, n := "3.12", int64(7)
	f := data.NewFrame("v",
		data.NewField(sqlbuild.ColVarValue, nil, []*int64{&n, nil}),
		data.NewField(sqlbuild.ColVarText, nil, []*string{&s, nil}),
	)
	want := []Option{{Value: "7", Text: "3.12"}, {Value: "", Text: ""}}
	if got := options(f); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := options(nil); len(got) != 0 {
		t.Errorf("nil frame: %+v", got)
	}
}
