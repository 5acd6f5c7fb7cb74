package chhttp

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"strings"

	"github.com/ClickHouse/ch-go/compress"
	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// nativeBlockSize is how much output goes in one compressed block; ClickHouse
// flushes its compressed buffer at about this size too.
const nativeBlockSize = 1 << 20

// compressNative applies ClickHouse's block compression (compress=1).
func compressNative(data []byte, method string, level int) ([]byte, error) {
	m := compress.LZ4
	switch strings.ToUpper(method) {
	case "", "LZ4":
	case "LZ4HC":
		m = compress.LZ4HC
	case "ZSTD":
		m = compress.ZSTD
	case "NONE":
		m = compress.None
	default:
		return nil, fmt.Errorf("unknown network_compression_method %q", method)
	}
	w := compress.NewWriter(compress.Level(max(level, 0)), m)
	var out []byte
	for len(data) > 0 {
		n := min(len(data), nativeBlockSize)
		if err := w.Compress(data[:n]); err != nil {
			return nil, fmt.Errorf("compress %s block: %w", m, err)
		}
		out = append(out, w.Data...)
		data = data[n:]
	}
	return out, nil
}

// pickEncoding returns the first Accept-Encoding method the server can
// write, in ClickHouse's order of preference.
func pickEncoding(accept string) string {
	offered := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		offered[strings.ToLower(strings.TrimSpace(name))] = true
	}
	for _, m := range []string{"gzip", "deflate", "br", "zstd"} {
		if offered[m] {
			return m
		}
	}
	return ""
}

// encodeHTTP compresses a whole response body for Content-Encoding enc.
func encodeHTTP(data []byte, enc string, level int) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch enc {
	case "gzip":
		w, err = gzip.NewWriterLevel(&buf, clampLevel(level, gzip.BestSpeed, gzip.BestCompression))
	case "deflate":
		w, err = zlib.NewWriterLevel(&buf, clampLevel(level, zlib.BestSpeed, zlib.BestCompression))
	case "br":
		w = brotli.NewWriterLevel(&buf, clampLevel(level, brotli.BestSpeed, brotli.BestCompression))
	case "zstd":
		w, err = zstd.NewWriter(&buf)
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	if err != nil {
		return nil, fmt.Errorf("%s writer: %w", enc, err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("%s encode: %w", enc, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%s encode: %w", enc, err)
	}
	return buf.Bytes(), nil
}

func clampLevel(level, lo, hi int) int {
	return min(max(level, lo), hi)
}
