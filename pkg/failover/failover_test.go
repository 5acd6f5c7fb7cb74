package failover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

func TestBroken(t *testing.T) {
	broken := []error{
		syscall.ECONNREFUSED,
		fmt.Errorf("querying: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}),
		fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		io.EOF,
		errors.New(`Post "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused`),
		errors.New("read tcp 127.0.0.1:2->127.0.0.1:1: read: connection reset by peer"),
	}
	for _, err := range broken {
		if !Broken(err) {
			t.Errorf("%v: not taken as a broken connection", err)
		}
	}
	answers := []error{
		nil,
		context.DeadlineExceeded,
		fmt.Errorf("q: %w", context.Canceled),
		errors.New("code: 60, message: Table pypi.x does not exist"),
		errors.New("EOFs are fine in a message like this one"),
	}
	for _, err := range answers {
		if Broken(err) {
			t.Errorf("%v: taken as a broken connection", err)
		}
	}
}

func TestDoRetriesOnlyBrokenConnections(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := Do(ctx, 5, func(context.Context) error {
		calls++
		if calls < 3 {
			return syscall.ECONNRESET
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("broken twice then fine: %v after %d calls, want nil after 3", err, calls)
	}
	calls = 0
	answer := errors.New("code: 62, message: Syntax error")
	if err := Do(ctx, 5, func(context.Context) error { calls++; return answer }); err != answer || calls != 1 {
		t.Errorf("a server's answer: %v after %d calls, want it after 1", err, calls)
	}
	calls = 0
	if err := Do(ctx, 3, func(context.Context) error { calls++; return io.EOF }); err != io.EOF || calls != 3 {
		t.Errorf("always broken: %v after %d calls, want EOF after 3", err, calls)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	calls = 0
	_ = Do(cctx, 3, func(context.Context) error { calls++; return io.EOF })
	if calls != 1 {
		t.Errorf("an ended context: %d calls, want 1", calls)
	}
}
