package chhttp

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ClickHouse/ch-go/compress"
	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

const (
	// maxQueryText bounds a query read from the body (INSERT data excluded).
	maxQueryText = 16 << 20
	// insertPeek is how much of a body is read to find out whether it holds
	// an INSERT with data, which is then streamed rather than buffered.
	insertPeek = 1 << 20
)

// bodyReader undoes the body's Content-Encoding and, with decompress=1,
// ClickHouse's block compression.
func bodyReader(r *http.Request, p requestParams) (io.Reader, error) {
	var body io.Reader = r.Body
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity", "none":
	case "gzip", "x-gzip":
		body = &lazyReader{open: func() (io.Reader, error) { return gzip.NewReader(r.Body) }}
	case "deflate":
		// ClickHouse's "deflate" is zlib-wrapped, as clickhouse-go sends it.
		body = &lazyReader{open: func() (io.Reader, error) { return zlib.NewReader(r.Body) }}
	case "br":
		body = brotli.NewReader(r.Body)
	case "zstd":
		body = &lazyReader{open: func() (io.Reader, error) {
			d, err := zstd.NewReader(r.Body)
			if err != nil {
				return nil, err
			}
			return d.IOReadCloser(), nil
		}}
	case "lz4":
		body = lz4.NewReader(r.Body)
	default:
		return nil, embedded.NewException(embedded.CodeUnknownCompressionMethod, "Unknown compression method '%s'", enc)
	}
	if enc != "" && enc != "identity" && enc != "none" {
		body = &decodeErrReader{r: body, what: enc}
	}
	if p.decompress {
		body = &decodeErrReader{r: compress.NewReader(body), what: "native block"}
	}
	return body, nil
}

// lazyReader opens its decoder on first read, so an empty body is just
// empty rather than a broken gzip stream.
type lazyReader struct {
	open func() (io.Reader, error)
	r    io.Reader
	err  error
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil && l.err == nil {
		l.r, l.err = l.open()
		if errors.Is(l.err, io.EOF) {
			l.err = io.EOF
		}
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.r.Read(p)
}

// decodeErrReader reports bad compressed input as CANNOT_DECOMPRESS.
type decodeErrReader struct {
	r    io.Reader
	what string
}

func (d *decodeErrReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		// Decoders wrap the EOF at a clean end; io.Copy wants it bare.
		return n, io.EOF
	}
	if err != nil {
		var ex *embedded.Exception
		if !errors.As(err, &ex) {
			err = &embedded.Exception{Code: embedded.CodeCannotDecompress, Name: embedded.CodeName(embedded.CodeCannotDecompress),
				Message: fmt.Sprintf("Cannot decompress %s request body: %v", d.what, err), Cause: err}
		}
	}
	return n, err
}

// assembleQuery builds the query the way ClickHouse does — the query URL
// parameter, a newline, then the body — except that an INSERT's data is
// left in the body reader for the engine to stream to a file.
func assembleQuery(p requestParams, body io.Reader) (string, io.Reader, error) {
	if p.query != "" {
		text := p.query + "\n"
		if st := embedded.Analyze(text); st.Insert != nil {
			return text, body, nil
		}
		rest, err := readLimited(body, maxQueryText-int64(len(text)))
		if err != nil {
			return "", nil, err
		}
		return text + rest, nil, nil
	}
	head, err := readUpTo(body, insertPeek)
	if err != nil {
		return "", nil, err
	}
	if len(head) < insertPeek {
		return string(head), nil, nil
	}
	if st := embedded.Analyze(string(head)); st.Insert != nil {
		return string(head), body, nil
	}
	rest, err := readLimited(body, maxQueryText-insertPeek)
	if err != nil {
		return "", nil, err
	}
	return string(head) + rest, nil, nil
}

func readUpTo(r io.Reader, n int) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := io.CopyN(&buf, r, int64(n)); err != nil && !errors.Is(err, io.EOF) {
		return nil, readError(err)
	}
	return buf.Bytes(), nil
}

func readLimited(r io.Reader, limit int64) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", readError(err)
	}
	if int64(len(b)) > limit {
		return "", embedded.NewException(embedded.CodeQueryIsTooLarge, "Query is too large (more than %d bytes)", maxQueryText)
	}
	return string(b), nil
}

func readError(err error) error {
	var ex *embedded.Exception
	if errors.As(err, &ex) {
		return ex
	}
	return &embedded.Exception{Code: embedded.CodeCannotReadAllData, Name: embedded.CodeName(embedded.CodeCannotReadAllData),
		Message: "Cannot read the request body: " + err.Error(), Cause: err}
}
