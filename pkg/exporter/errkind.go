package exporter

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
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
		case chexception.TimeoutExceeded, chexception.QueryWasCanceled, chexception.SocketTimeout:
			return KindTimeout
		case chexception.AuthFailed, chexception.UnknownUser, chexception.WrongPassword:
			return KindAuth
		case chexception.UnknownTable, chexception.UnknownDatabase, chexception.UnknownIdentifier:
			return KindSchema
		case chexception.NetworkError:
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
