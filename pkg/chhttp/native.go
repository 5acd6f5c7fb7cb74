package chhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// nativeReadBuffer is at least ch-go's own reader buffer size (128 KiB).
const nativeReadBuffer = 256 << 10

// reframeNative re-encodes chDB's Native output for a client that announced
// client_protocol_version. chDB writes Native for revision 0 (no block info,
// no per-column serialization flag); ClickHouse's HTTP interface writes it
// for the client's revision, and clickhouse-go decodes it that way. Decoding
// and re-encoding with clickhouse-go's own block codec keeps both sides in
// step.
func reframeNative(data []byte, revision uint64, sc column.ServerContext) ([]byte, error) {
	if revision == 0 || len(data) == 0 {
		return data, nil
	}
	// ch-go's reader reuses a *bufio.Reader at least as large as its own
	// buffer, which lets Peek tell the end of the data from a cut block.
	src := bufio.NewReaderSize(bytes.NewReader(data), nativeReadBuffer)
	r := chproto.NewReader(src)
	var out chproto.Buffer
	for n := 0; ; n++ {
		if _, err := src.Peek(1); errors.Is(err, io.EOF) {
			return out.Buf, nil
		}
		ctx := sc
		block := proto.Block{ServerContext: &ctx}
		if err := block.Decode(r, 0); err != nil {
			return nil, fmt.Errorf("decode Native block %d: %w", n, err)
		}
		if err := block.Encode(&out, revision); err != nil {
			return nil, fmt.Errorf("encode Native block %d for revision %d: %w", n, revision, err)
		}
	}
}
