package embedded

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// spoolInsertData writes an INSERT's inline data and then input to a temp
// file, for chDB to read with FROM INFILE. Passing data through a file
// keeps it out of the query text, where chDB would cut it at a NUL byte and
// where clickhouse-local's multi-statement splitting could run whatever
// follows it.
func spoolInsertData(inline string, input io.Reader) (path string, cleanup func(), err error) {
	f, err := os.CreateTemp("", "clickpy-insert-*")
	if err != nil {
		return "", nil, fmt.Errorf("embedded: spool insert data: %w", err)
	}
	cleanup = func() { _ = os.Remove(f.Name()) }
	if _, err := io.WriteString(f, inline); err != nil {
		_ = f.Close()
		cleanup()
		return "", nil, fmt.Errorf("embedded: spool insert data: %w", err)
	}
	if input != nil {
		if _, err := io.Copy(f, input); err != nil {
			_ = f.Close()
			cleanup()
			return "", nil, readInputException(err)
		}
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("embedded: spool insert data: %w", err)
	}
	return f.Name(), cleanup, nil
}

// readInputException keeps an *Exception from the input reader (a
// decompressor reporting bad data, say) and wraps anything else.
func readInputException(err error) error {
	var ex *Exception
	if errors.As(err, &ex) {
		return ex
	}
	return &Exception{Code: CodeCannotReadAllData, Name: CodeName(CodeCannotReadAllData),
		Message: "Cannot read insert data: " + err.Error(), Cause: err}
}

// insertFromFile turns "INSERT INTO t (c) SETTINGS ... FORMAT X <data>" into
// "INSERT INTO t (c) FROM INFILE 'path' SETTINGS ... FORMAT X": FROM INFILE
// has to come right after the column list.
func insertFromFile(query string, ins *InsertData, path string) string {
	var b strings.Builder
	b.WriteString(query[:ins.TableEnd])
	b.WriteString(" FROM INFILE ")
	b.WriteString(schema.QuoteString(path))
	b.WriteString(query[ins.TableEnd:ins.ClauseStart])
	b.WriteString(" FORMAT ")
	b.WriteString(ins.Format)
	return b.String()
}
