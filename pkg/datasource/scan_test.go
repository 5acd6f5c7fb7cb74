package datasource_test

import "reflect"

// newScan makes a destination for a column of the given scan type.
func newScan(t reflect.Type) any { return reflect.New(t).Interface() }
