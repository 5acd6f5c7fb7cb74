package datasource

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
	"github.com/clickpy/clickpy-grafana/pkg/querylimits"
)

// explain turns a ClickHouse or network error into a status and a message
// that says what to fix.
func explain(err error, s Settings) (backend.Status, string) {
	addr := strings.Join(s.Addrs, ", ")
	var ex *clickhouse.Exception
	switch {
	case errors.Is(err, clickhouse.ErrAcquireConnTimeout):
		// clickhouse-go bounds getting a connection, its dial and (over HTTP)
		// its first query, by the dial timeout: the server does not answer,
		// or the pool is exhausted.
		return backend.StatusBadGateway, fmt.Sprintf("cannot reach ClickHouse at %s (%s) within the dial timeout (%s): check host, port and protocol, and that the server runs and answers; if it does, all %d connections (maxOpenConns) were busy",
			addr, s.Protocol, s.DialTimeout, s.MaxOpenConns)
	case errors.Is(err, context.DeadlineExceeded):
		return backend.StatusTimeout, fmt.Sprintf("ClickHouse did not answer within the query timeout (%s): narrow the time range or filters, or raise queryTimeout in the data source settings", s.QueryTimeout)
	case errors.Is(err, context.Canceled):
		return backend.StatusBadRequest, "the query was cancelled"
	case errors.As(err, &ex):
		switch ex.Code {
		case chexception.TimeoutExceeded, chexception.QueryWasCanceled:
			return backend.StatusTimeout, fmt.Sprintf("ClickHouse stopped the query at max_execution_time (%s): narrow the time range or filters, or raise queryTimeout; %s", s.QueryTimeout, ex.Message)
		case chexception.TooManyRows, chexception.TooManyRowsOrBytes:
			return backend.StatusBadRequest, "the query reads or returns more rows than the server allows, so ClickHouse refused it instead of returning partial counts: narrow the time range or filters (" + chexception.FirstLine(ex.Message) + ")"
		case chexception.AuthFailed:
			return backend.StatusUnauthorized, fmt.Sprintf("ClickHouse at %s refused user %q: check the user name and password in the data source settings", addr, s.Username)
		case chexception.UnknownDatabase:
			return backend.StatusBadRequest, fmt.Sprintf("database %s does not exist on %s: set the database that holds ClickPy's tables", s.Database, addr)
		case chexception.UnknownTable:
			return backend.StatusBadRequest, "a ClickPy table is missing: " + chexception.FirstLine(ex.Message) + " (the data source re-reads which tables exist every few minutes)"
		case chexception.Readonly, chexception.SettingConstraintViolation:
			return backend.StatusBadRequest, refusalHint(ex, s) + ": " + chexception.FirstLine(ex.Message)
		case chexception.AccessDenied, chexception.FunctionNotAllowed:
			return backend.StatusForbidden, "ClickHouse does not let the data source's user do this (the data source only reads, and only the database's own tables): " + chexception.FirstLine(ex.Message)
		}
		return backend.StatusBadGateway, fmt.Sprintf("ClickHouse error %d: %s", ex.Code, chexception.FirstLine(ex.Message))
	case isConnRefused(err):
		return backend.StatusBadGateway, fmt.Sprintf("cannot reach ClickHouse at %s (%s): check host, port and protocol, and that the server runs", addr, s.Protocol)
	}
	return backend.StatusInternal, chexception.FirstLine(err.Error())
}

func isConnRefused(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &op) ||
		strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "no such host")
}

// refusalHint says what to do about a setting the server refused. The
// plugin's own settings are dropped when refused (see querylimits), so
// what reaches the user is one of theirs, or max_execution_time that
// clickhouse-go derives from its own deadlines over HTTP.
func refusalHint(ex *clickhouse.Exception, s Settings) string {
	name, ok := querylimits.Refused(ex)
	if ex.Code == chexception.Readonly && (!ok || name == querylimits.Readonly) {
		// querylimits drops a setting only when a plain SELECT is refused
		// it too, so this refusal is of the statement itself: a write, or
		// its own SETTINGS readonly=0.
		return "the data source is read-only: ClickHouse refused the statement because it writes, or tries to lift readonly; queries here may only read"
	}
	if ok && slices.ContainsFunc(s.Settings, func(own Setting) bool { return own.Name == name }) {
		return fmt.Sprintf("the ClickHouse user may not change %s: remove it from the data source's ClickHouse settings", name)
	}
	if ok && name == querylimits.MaxExecutionTime && s.Protocol == ProtocolHTTP {
		return "the ClickHouse user may change no setting (readonly=1), and over HTTP the ClickHouse driver sends max_execution_time when it connects: use the native protocol, or a user with readonly=2"
	}
	if ex.Code == chexception.Readonly {
		return "the ClickHouse user may not change settings the plugin needs: use a user with readonly=2, or the native protocol"
	}
	return "the ClickHouse user's profile does not allow a setting the plugin needs"
}
