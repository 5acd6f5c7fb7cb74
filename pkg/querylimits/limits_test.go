package querylimits

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func TestRefused(t *testing.T) {
	cases := []struct {
		code    int32
		message string
		want    string
	}{
		{164, "Cannot modify 'max_execution_time' setting in readonly mode", "max_execution_time"},
		{452, "Setting read_overflow_mode should not be changed", "read_overflow_mode"},
		{452, "Setting max_result_rows shouldn't be greater than 1000", "max_result_rows"},
		{164, "Cannot execute query in readonly mode", ""},
		{452, "Setting x') bad should not be changed", ""},
		{60, "Setting max_result_rows should not be changed", ""},
	}
	for _, c := range cases {
		err := fmt.Errorf("running the query: %w", &clickhouse.Exception{Code: c.code, Message: c.message})
		got, ok := Refused(err)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%d %q: %q %v, want %q", c.code, c.message, got, ok, c.want)
		}
	}
	if _, ok := Refused(errors.New("Setting max_result_rows should not be changed")); ok {
		t.Error("a plain error counted as a refusal")
	}
}

// Context sends every limit until the server refuses one; then that one is
// left out, max_execution_time's deadline included, while the query keeps
// its timeout here. The user's extra settings are always sent.
func TestContextLeavesOutRefused(t *testing.T) {
	l := New(2*time.Second, 10, 1<<20, clickhouse.Settings{"max_threads": clickhouse.CustomSetting{Value: "4"}})
	if l.refuse("max_threads") {
		t.Error("a user's setting was dropped")
	}
	if !l.refuse(MaxExecutionTime) || l.refuse(MaxExecutionTime) {
		t.Error("the first refusal is news, the second is not")
	}
	ctx, cancel := l.Context(context.Background())
	defer cancel()
	if _, ok := ctx.Deadline(); ok {
		t.Error("a deadline clickhouse-go would send as max_execution_time")
	}
	select {
	case <-ctx.Done():
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("ended with %v", ctx.Err())
		}
	case <-time.After(5 * time.Second):
		t.Error("the timeout no longer ends the query")
	}
	if !l.refuse(ReadOverflowMode) || !l.claimCapsCheck() || l.claimCapsCheck() {
		t.Error("the server's caps are read once, after an overflow mode is refused")
	}
}
