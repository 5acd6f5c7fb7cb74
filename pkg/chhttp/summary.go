package chhttp

import (
	"strconv"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// summary renders X-ClickHouse-Summary as ClickHouse does (every number a
// JSON string), with only the figures the engine knows: read_rows and
// read_bytes are the engine's own storage counters, the ones FORMAT JSON's
// statistics report; written_rows is 0 only for statements that cannot
// write; total_rows_to_read, an estimate made before reading, is left out,
// as are written figures of INSERTs, which chDB does not report. A missing
// field is honest where a made-up 0 was not.
func summary(res *embedded.Result) string {
	var b strings.Builder
	b.WriteByte('{')
	field := func(name string, v uint64) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + name + `":"` + strconv.FormatUint(v, 10) + `"`)
	}
	if res.ReadCounted {
		field("read_rows", res.ReadRows)
		field("read_bytes", res.ReadBytes)
	}
	if res.WritesNothing {
		field("written_rows", 0)
		field("written_bytes", 0)
	}
	field("result_rows", res.ResultRows)
	field("result_bytes", res.ResultBytes)
	field("elapsed_ns", uint64(max(res.Elapsed.Nanoseconds(), 0)))
	b.WriteByte('}')
	return b.String()
}
