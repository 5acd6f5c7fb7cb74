package progress

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake time.Now that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is written by the reporter's goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func waitFor(t *testing.T, buf *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(buf.String(), want) {
			return
		}
	}
	t.Fatalf("no %q in %q", want, buf.String())
}

func TestStateFigures(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	r := &Reporter{what: "loading", total: 4_000_000, now: c.now, start: c.now()}
	if s := r.snapshot(); s.Left != -1 || s.Rate != 0 || strings.Contains(s.Line("x"), "left") {
		t.Errorf("nothing done: %+v %q", s, s.Line("x"))
	}
	c.add(10 * time.Second)
	r.Update(1_000_000)
	s := r.snapshot()
	if s.Rate != 100_000 || s.Percent != 25 || s.Left != 30*time.Second {
		t.Errorf("state %+v", s)
	}
	if got, want := s.Line("loading"), "loading: 1.00M of ~4.00M rows (25%), 100k rows/s, about 30s left"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	// Between updates the rate holds and the time left counts down.
	c.add(5 * time.Second)
	if s := r.snapshot(); s.Rate != 100_000 || s.Left != 25*time.Second || s.Elapsed != 15*time.Second {
		t.Errorf("5 s after the update: %+v", s)
	}
	// Past the estimate the share stays below 100 and nothing is left.
	r.Update(4_200_000)
	if s := r.snapshot(); s.Percent != 99 || s.Left != 0 {
		t.Errorf("past the estimate: %+v", s)
	}
}

// On a terminal the line is redrawn in place (a carriage return, blanks
// over a longer line before) and ended at Finish.
func TestTerminalLine(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	var buf syncBuffer
	r := Start(context.Background(), "loading the test sample", 300_000, Options{Terminal: &buf, Interval: 5 * time.Millisecond, Now: c.now})
	c.add(2 * time.Second)
	r.Update(100_000)
	waitFor(t, &buf, "loading the test sample: 100k of ~300k rows (33%), 50k rows/s, about 4s left")
	c.add(4 * time.Second)
	r.Update(300_000)
	r.Finish()
	out := buf.String()
	if !strings.HasPrefix(out, "\r") {
		t.Errorf("terminal output %q does not redraw its line", out)
	}
	last := out[strings.LastIndex(out, "\r")+1:]
	if !strings.HasPrefix(last, "loading the test sample: 300k rows in 6s, 50k rows/s") || !strings.HasSuffix(last, "\n") {
		t.Errorf("final line %q", last)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("%d newlines: the line should be redrawn in place", strings.Count(out, "\n"))
	}
	r.Finish() // a second Finish is harmless
}

// Elsewhere a log line every interval carries the figures.
func TestLogLines(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	var buf syncBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	r := Start(context.Background(), "loading sample", 5_000_000, Options{Log: log, Interval: 5 * time.Millisecond, Now: c.now})
	defer r.Finish()
	c.add(20 * time.Second)
	r.Update(1_000_000)
	waitFor(t, &buf, `msg="loading sample" rows=1000000 rows_per_s=50000 elapsed=20s of_about=5000000 percent=20 left=1m20s`)
	if strings.Contains(buf.String(), "\r") {
		t.Error("a carriage return in a log")
	}
}

func TestFormats(t *testing.T) {
	for n, want := range map[float64]string{0: "0", 950: "950", 1234: "1.2k", 12345: "12k", 4_567_000: "4.57M"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%v) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{45 * time.Second: "45s", 185 * time.Second: "3m05s", 62 * time.Minute: "1h02m"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
