package embedded

import (
	"fmt"
	"os"
	"reflect"
	"unsafe"

	chdbpurego "github.com/chdb-io/chdb-go/chdb-purego"
	"github.com/ebitengine/purego"

	"github.com/clickpy/clickpy-grafana/pkg/chdblib"
)

// readCounters reads what a query read from storage, ClickHouse's own
// read_rows and read_bytes (the figures of FORMAT JSON's statistics block
// and of a server's X-ClickHouse-Summary). chdb-go's RowsRead and BytesRead
// count the result instead, and it registers but does not expose libchdb's
// chdb_result_storage_rows_read / _bytes_read, so they are bound here.
type readCounters struct {
	rows  func(result unsafe.Pointer) uint64
	bytes func(result unsafe.Pointer) uint64
}

// Symbol names of libchdb's C API (chdb.h).
const (
	symStorageRowsRead  = "chdb_result_storage_rows_read"
	symStorageBytesRead = "chdb_result_storage_bytes_read"
)

// loadReadCounters binds the two functions in the libchdb.so chdb-go has
// already loaded; dlopen of the same path returns that same library.
func loadReadCounters() (readCounters, error) {
	path := os.Getenv(chdblib.EnvVar)
	if path == "" {
		// As chdb-go does when the variable is unset: the loader's search path.
		path = "libchdb.so"
	}
	lib, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return readCounters{}, fmt.Errorf("embedded: load %s for read counters: %w", path, err)
	}
	var c readCounters
	for _, sym := range []struct {
		name string
		fn   *func(unsafe.Pointer) uint64
	}{{symStorageRowsRead, &c.rows}, {symStorageBytesRead, &c.bytes}} {
		// RegisterLibFunc panics on a missing symbol; an older libchdb should
		// be an error that names it instead.
		if _, err := purego.Dlsym(lib, sym.name); err != nil {
			return readCounters{}, fmt.Errorf("embedded: %s has no %s (libchdb too old?): %w", path, sym.name, err)
		}
		purego.RegisterLibFunc(sym.fn, lib, sym.name)
	}
	return c, nil
}

// read returns the storage counters of res, which must not be freed yet.
// chdb-go hands results out as an interface over a struct holding the C
// chdb_result pointer; ok is false when that shape is not what this code
// was written against (a chdb-go upgrade), so callers leave the figures out
// rather than report wrong ones.
func (c readCounters) read(res chdbpurego.ChdbResult) (rows, bytes uint64, ok bool) {
	if c.rows == nil || res == nil {
		return 0, 0, false
	}
	p, ok := resultPointer(res)
	if !ok {
		return 0, 0, false
	}
	return c.rows(p), c.bytes(p), true
}

// resultPointer digs the chdb_result pointer out of chdb-go v1.11's
// *chdbpurego.result{chdb_result *chdb_result}.
func resultPointer(res chdbpurego.ChdbResult) (unsafe.Pointer, bool) {
	v := reflect.ValueOf(res)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, false
	}
	s := v.Elem()
	if s.Kind() != reflect.Struct || s.NumField() != 1 || s.Type().Field(0).Name != "chdb_result" {
		return nil, false
	}
	f := s.Field(0)
	if f.Kind() != reflect.Pointer || f.IsNil() {
		return nil, false
	}
	return f.UnsafePointer(), true
}
