package exporter

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Error kinds of clickpy_exporter_refresh_errors_total, each pointing at a
// different fix: the network, the credentials, the schema, the server's
// limits or the query itself.
const (
	KindConnection = "connection"
	KindAuth       = "auth"
	KindTimeout    = "timeout"
	KindSchema     = "schema"
	KindQuery      = "query"
	KindOther      = "other"
)

// ErrorKinds lists every kind, so each counter exists from the start.
func ErrorKinds() []string {
	return []string{KindConnection, KindAuth, KindTimeout, KindSchema, KindQuery, KindOther}
}

// ClickHouse exception codes that decide a kind.
const (
	codeUnknownIdentifier = 47
	codeUnknownTable      = 60
	codeUnknownDatabase   = 81
	codeTimeoutExceeded   = 159
	codeUnknownUser       = 192
	codeWrongPassword     = 193
	codeSocketTimeout     = 209
	codeNetworkError      = 210
	codeQueryWasCanceled  = 394
	codeAuthFailed        = 516
)

// kindError tags an error whose kind is known where it arises.
type kindError struct {
	kind string
	err  error
}

func (e *kindError) Error() string { return e.err.Error() }
func (e *kindError) Unwrap() error { return e.err }

func kindErr(kind string, err error) error { return &kindError{kind: kind, err: err} }

// Classify names the kind of a refresh error.
func Classify(err error) string {
	var ke *kindError
	var ex *clickhouse.Exception
	var netErr net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ke):
		return ke.kind
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.As(err, &ex):
		switch ex.Code {
		case codeTimeoutExceeded, codeQueryWasCanceled, codeSocketTimeout:
			return KindTimeout
		case codeAuthFailed, codeUnknownUser, codeWrongPassword:
			return KindAuth
		case codeUnknownTable, codeUnknownDatabase, codeUnknownIdentifier:
			return KindSchema
		case codeNetworkError:
			return KindConnection
		}
		return KindQuery
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	case errors.As(err, &netErr), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return KindConnection
	}
	// clickhouse-go reports some transport failures as plain strings.
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "no such host", "broken pipe", "EOF"} {
		if strings.Contains(msg, s) {
			return KindConnection
		}
	}
	if strings.Contains(msg, "Authentication failed") {
		return KindAuth
	}
	return KindOther
}
