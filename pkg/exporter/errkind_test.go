package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func TestClassify(t *testing.T) {
	ex := func(code int32) error {
		return fmt.Errorf("querying totals: %w", &clickhouse.Exception{Code: code, Message: "x"})
	}
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{fmt.Errorf("querying: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), KindConnection},
		{fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), KindConnection},
		{errors.New(`sendQuery: Post "http://x": dial tcp 127.0.0.1:1: connect: connection refused`), KindConnection},
		{fmt.Errorf("querying: %w", context.DeadlineExceeded), KindTimeout},
		{ex(159), KindTimeout},
		{ex(516), KindAuth},
		{ex(192), KindAuth},
		{ex(60), KindSchema},
		{ex(81), KindSchema},
		{kindErr(KindSchema, errors.New("no table holds columns")), KindSchema},
		{ex(62), KindQuery},
		{errors.New("something else"), KindOther},
	}
	for _, tc := range cases {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
