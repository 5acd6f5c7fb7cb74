// Package progress reports how far a long count-based task (loading a
// sample set) has come: on a terminal one line redrawn in place, with the
// count, the rate, the share done and the time left; otherwise (a log
// file, a test harness) a log line every few seconds.
package progress

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// Intervals between reports: a terminal line is cheap to redraw, a log
// line is read later by people.
const (
	TerminalInterval = time.Second
	LogInterval      = 5 * time.Second
)

// Reporter reports one task. Update may be called from any goroutine.
type Reporter struct {
	what  string
	total uint64 // expected count; the task may end a little off it
	now   func() time.Time
	start time.Time

	// Exactly one of term and log is set.
	term io.Writer
	log  *slog.Logger

	mu       sync.Mutex
	done     uint64
	updated  time.Time // when done was last set
	lastLine int       // length of the terminal line drawn, to blank it out

	stop     chan struct{}
	finished chan struct{}
}

// Options choose where a Reporter writes.
type Options struct {
	// Terminal, when set, gets the redrawn line; otherwise Log gets a line
	// every Interval.
	Terminal io.Writer
	Log      *slog.Logger
	// Interval overrides TerminalInterval or LogInterval.
	Interval time.Duration
	// Now replaces time.Now (tests).
	Now func() time.Time
}

// IsTerminal tells whether f is a terminal (a character device), where a
// redrawn line makes sense.
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Start reports what (e.g. "loading the demo sample") toward about total,
// until Finish or ctx ends.
func Start(ctx context.Context, what string, total uint64, o Options) *Reporter {
	r := &Reporter{what: what, total: total, now: o.Now, term: o.Terminal, log: o.Log,
		stop: make(chan struct{}), finished: make(chan struct{})}
	if r.now == nil {
		r.now = time.Now
	}
	if r.term == nil && r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	every := o.Interval
	if every <= 0 {
		every = LogInterval
		if r.term != nil {
			every = TerminalInterval
		}
	}
	r.start = r.now()
	go r.run(ctx, every)
	return r
}

func (r *Reporter) run(ctx context.Context, every time.Duration) {
	defer close(r.finished)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.stop:
			return
		case <-tick.C:
			r.report()
		}
	}
}

// Update records that done of the total are through.
func (r *Reporter) Update(done uint64) {
	r.mu.Lock()
	r.done, r.updated = done, r.now()
	r.mu.Unlock()
}

// Finish stops reporting; on a terminal it ends the line with the final
// count, so what follows starts on a line of its own.
func (r *Reporter) Finish() {
	select {
	case <-r.stop:
		return
	default:
		close(r.stop)
	}
	<-r.finished
	if r.term == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	elapsed := r.now().Sub(r.start)
	r.draw(fmt.Sprintf("%s: %s rows in %s, %s rows/s", r.what, Count(float64(r.done)), Duration(elapsed),
		Count(rate(r.done, elapsed))))
	fmt.Fprintln(r.term)
}

// report writes the current state once.
func (r *Reporter) report() {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.snapshot()
	if r.term != nil {
		r.draw(s.Line(r.what))
		return
	}
	args := []any{"rows", s.Done, "rows_per_s", int64(s.Rate), "elapsed", s.Elapsed.Round(time.Second)}
	if s.Total > 0 {
		args = append(args, "of_about", s.Total, "percent", s.Percent)
		if s.Left >= 0 {
			args = append(args, "left", s.Left.Round(time.Second))
		}
	}
	r.log.Info(r.what, args...)
}

// draw replaces the terminal line with line; r.mu is held.
func (r *Reporter) draw(line string) {
	pad := ""
	if n := r.lastLine - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(r.term, "\r%s%s", line, pad)
	r.lastLine = len(line)
}

// State is one report's figures.
type State struct {
	Done, Total uint64
	Elapsed     time.Duration
	// Rate is per second, from the start to the last update: a task
	// reporting every few seconds does not seem to slow down between.
	Rate float64
	// Percent is of the expected total, at most 99 while the task runs
	// (the total is an estimate).
	Percent int
	// Left is the time the rate needs for the rest, counted from the last
	// update; -1 when unknown (nothing done yet, or no total).
	Left time.Duration
}

func (r *Reporter) snapshot() State {
	now := r.now()
	s := State{Done: r.done, Total: r.total, Elapsed: now.Sub(r.start), Left: -1}
	if !r.updated.IsZero() {
		s.Rate = rate(s.Done, r.updated.Sub(r.start))
	}
	if s.Total > 0 {
		s.Percent = min(99, int(100*s.Done/s.Total))
		if s.Rate > 0 {
			rest := float64(0)
			if s.Done < s.Total {
				rest = float64(s.Total - s.Done)
			}
			s.Left = max(0, time.Duration(rest/s.Rate*float64(time.Second))-now.Sub(r.updated))
		}
	}
	return s
}

func rate(done uint64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(done) / elapsed.Seconds()
}

// Line is the terminal line for the state.
func (s State) Line(what string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", what, Count(float64(s.Done)))
	if s.Total > 0 {
		fmt.Fprintf(&b, " of ~%s rows (%d%%)", Count(float64(s.Total)), s.Percent)
	} else {
		b.WriteString(" rows")
	}
	fmt.Fprintf(&b, ", %s rows/s", Count(s.Rate))
	if s.Left >= 0 {
		fmt.Fprintf(&b, ", about %s left", Duration(s.Left))
	}
	return b.String()
}

// Count writes n with a k or M suffix past a thousand: 950, 12.3k, 4.56M.
func Count(n float64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.2fM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

// Duration writes d to the second: 45s, 3m05s, 1h02m.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}
