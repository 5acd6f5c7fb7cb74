// Package querylimits holds the limits every query of the data source and
// the exporter carries, and what to do when a server refuses them.
//
// Each query runs read-only on the server (readonly=2: reads and setting
// changes, never writes, and a statement's own SETTINGS cannot lower it),
// is bounded by a timeout on both sides (the context, and
// max_execution_time on the server), caps its result at max_result_rows
// and max_result_bytes, and turns both the result caps and the server's
// own read caps into errors (result_overflow_mode and read_overflow_mode
// 'throw'): a capped scan would otherwise come back with silently low
// counts.
//
// A server may refuse those settings: a readonly=1 user may change none, a
// CONST constraint in the user's profile pins one (public demo servers, the
// public ClickPy instance among them, are set up so). Limits then drops the
// refused ones and runs the query again, and when an overflow mode was
// refused it reads the server's own caps (getSetting) and keeps a warning
// to show with every answer when those caps can cut counts short. A
// refusal is only believed once a plain SELECT 1 with the same settings is
// refused too: a viewer's SQL that asks for readonly=0 in its own SETTINGS
// is refused by the server, and that must never drop readonly=2.
package querylimits

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
)

// The settings Limits adds to every query.
const (
	Readonly           = "readonly"
	MaxExecutionTime   = "max_execution_time"
	MaxResultRows      = "max_result_rows"
	MaxResultBytes     = "max_result_bytes"
	ResultOverflowMode = "result_overflow_mode"
	ReadOverflowMode   = "read_overflow_mode"
)

// readonlyReadsAndSettings is readonly=2: reads and setting changes only.
// ClickHouse refuses a change of readonly itself at that level, so no
// SETTINGS clause can lower it.
const readonlyReadsAndSettings = 2

// Names lists the settings Limits adds.
func Names() []string {
	return []string{Readonly, MaxExecutionTime, MaxResultRows, MaxResultBytes, ResultOverflowMode, ReadOverflowMode}
}

// probeQuery is what Limits runs to learn whether the server or the
// statement refused a setting.
const probeQuery = "SELECT 1"

// Querier is the part of a clickhouse-go connection Limits uses.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Limits is one connection's limits and what its server refused of them.
// Create it with New.
type Limits struct {
	timeout     time.Duration
	resultRows  int
	resultBytes int64
	extra       clickhouse.Settings

	mu      sync.Mutex
	refused map[string]bool
	// checked is set once the server's own caps were read after an
	// overflow mode was refused; warning is what they risk ("" nothing).
	checked bool
	warning string
	// writable is set when the server refused readonly and its user may
	// write: only the data source's own statement check stands then.
	writable bool
}

// New returns the limits for queries bounded by timeout and returning at
// most resultRows rows and resultBytes bytes; extra are the user's own
// settings, sent as they are (their refusal is the user's to fix).
func New(timeout time.Duration, resultRows int, resultBytes int64, extra clickhouse.Settings) *Limits {
	return &Limits{timeout: timeout, resultRows: resultRows, resultBytes: resultBytes, extra: extra, refused: map[string]bool{}}
}

// undeclaredDeadline ends when its parent does but reports no deadline:
// clickhouse-go turns a reported one into max_execution_time, which a
// user that may not change settings is refused.
type undeclaredDeadline struct{ context.Context }

func (undeclaredDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }

// Context bounds one query: the timeout here and, where the server allows,
// the settings on the server.
func (l *Limits) Context(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	settings := clickhouse.Settings{}
	add := func(name string, v any) {
		if !l.isRefused(name) {
			settings[name] = v
		}
	}
	add(Readonly, readonlyReadsAndSettings)
	add(MaxExecutionTime, int(l.timeout.Seconds()))
	add(MaxResultRows, l.resultRows)
	add(MaxResultBytes, l.resultBytes)
	add(ResultOverflowMode, "throw")
	add(ReadOverflowMode, "throw")
	for k, v := range l.extra {
		if k != Readonly {
			settings[k] = v
		}
	}
	if l.isRefused(MaxExecutionTime) {
		ctx = undeclaredDeadline{ctx}
	}
	return clickhouse.Context(ctx, clickhouse.WithSettings(settings)), cancel
}

// Do runs fn under Context. When the server refuses one of Limits' own
// settings, Do records that and runs fn again without it; any other error,
// a refusal of the user's extra settings or of the statement's own
// SETTINGS included, is returned.
func (l *Limits) Do(ctx context.Context, q Querier, fn func(ctx context.Context) error) error {
	for {
		qctx, cancel := l.Context(ctx)
		err := fn(qctx)
		cancel()
		name, ok := Refused(err)
		if !ok || !l.ours(name) {
			return err
		}
		// The statement may have asked for the change itself (SETTINGS
		// readonly=0): only a refusal of a plain SELECT is the server's.
		name, ok = l.probe(ctx, q)
		if !ok || !l.refuse(name) {
			return err
		}
		if name == Readonly {
			l.checkWritable(ctx, q)
		}
		if l.claimCapsCheck() {
			l.setWarning(l.readCaps(ctx, q))
		}
	}
}

// ours tells whether name is one of Limits' settings still being sent.
func (l *Limits) ours(name string) bool {
	return slices.Contains(Names(), name) && !l.isRefused(name)
}

// probe runs probeQuery with the settings being sent and names the one of
// Limits' settings the server refuses, if any.
func (l *Limits) probe(ctx context.Context, q Querier) (string, bool) {
	qctx, cancel := l.Context(ctx)
	defer cancel()
	rows, err := q.Query(qctx, probeQuery)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	name, ok := Refused(err)
	if !ok || !l.ours(name) {
		return "", false
	}
	return name, true
}

// checkWritable reads, once readonly was refused, whether the user may
// write; the answer joins the warning.
func (l *Limits) checkWritable(ctx context.Context, q Querier) {
	var level string
	err := l.Do(ctx, q, func(ctx context.Context) error {
		return scanOne(ctx, q, "SELECT toString(getSetting('readonly'))", &level)
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writable = err != nil || level == "0"
}

func scanOne(ctx context.Context, q Querier, sql string, dest ...any) error {
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		return fmt.Errorf("no row: %w", rows.Err())
	}
	return rows.Scan(dest...)
}

// writableWarning is the warning for a server that refused readonly to a
// user who may write.
const writableWarning = "the ClickHouse user may write, and the server refused the plugin's readonly=2: " +
	"only the data source's own statement check keeps viewers' SQL from writing. Use a user with readonly=1 or 2 in its profile"

// Warning says what the server's own caps risk for the counts, and
// whether the user may write, or "".
func (l *Limits) Warning() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.writable {
		if l.warning == "" {
			return writableWarning
		}
		return l.warning + "; " + writableWarning
	}
	return l.warning
}

// Refused names the setting a ClickHouse error refuses, if any: "Cannot
// modify 'x' setting in readonly mode" (READONLY), "Setting x should not
// be changed" or "Setting x shouldn't be greater than 10"
// (SETTING_CONSTRAINT_VIOLATION).
func Refused(err error) (string, bool) {
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) || (ex.Code != chexception.Readonly && ex.Code != chexception.SettingConstraintViolation) {
		return "", false
	}
	var name string
	if _, rest, ok := strings.Cut(ex.Message, "Cannot modify '"); ok {
		name, _, _ = strings.Cut(rest, "'")
	} else if _, rest, ok := strings.Cut(ex.Message, "Setting "); ok {
		name, _, _ = strings.Cut(rest, " ")
	}
	if name == "" || strings.IndexFunc(name, func(r rune) bool {
		return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) >= 0 {
		return "", false
	}
	return name, true
}

// refuse records a refusal of one of Limits' settings and reports whether
// it is news, so the query is worth running again.
func (l *Limits) refuse(name string) bool {
	if !slices.Contains(Names(), name) {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refused[name] {
		return false
	}
	l.refused[name] = true
	return true
}

func (l *Limits) isRefused(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused[name]
}

// claimCapsCheck tells, once, that an overflow mode was refused and the
// server's own caps are to be read.
func (l *Limits) claimCapsCheck() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.checked || !(l.refused[ReadOverflowMode] || l.refused[ResultOverflowMode]) {
		return false
	}
	l.checked = true
	return true
}

func (l *Limits) setWarning(w string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warning = w
}

// readCaps reads the server's own overflow settings, which the user could
// not override, and says what they risk.
func (l *Limits) readCaps(ctx context.Context, q Querier) string {
	var readMode, resultMode, maxRows, maxBytes, maxResult string
	err := l.Do(ctx, q, func(ctx context.Context) error {
		return scanOne(ctx, q, "SELECT toString(getSetting('read_overflow_mode')), toString(getSetting('result_overflow_mode')),"+
			" toString(getSetting('max_rows_to_read')), toString(getSetting('max_bytes_to_read')), toString(getSetting('max_result_rows'))",
			&readMode, &resultMode, &maxRows, &maxBytes, &maxResult)
	})
	if err != nil {
		return "the ClickHouse user may not set read_overflow_mode, and its own read caps could not be read (" +
			chexception.FirstLine(err.Error()) + "): if the server caps rows read, counts over long ranges can come back low without an error"
	}
	var risks []string
	if readMode == "break" && (positive(maxRows) || positive(maxBytes)) {
		limit := maxRows + " rows"
		if !positive(maxRows) {
			limit = maxBytes + " bytes"
		}
		risks = append(risks, fmt.Sprintf("stops reading after %s per query without an error (read_overflow_mode=break)", limit))
	}
	if resultMode == "break" && positive(maxResult) {
		risks = append(risks, fmt.Sprintf("returns at most %s rows per query without an error (result_overflow_mode=break)", maxResult))
	}
	if len(risks) == 0 {
		return ""
	}
	return "this ClickHouse user " + strings.Join(risks, " and ") +
		", and may not change that: counts over long ranges or many packages can come back low. " +
		"Narrow the time range, or use a server without the cap for exact numbers"
}

func positive(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0
}
