package datasource

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
)

// The settings the plugin adds to every query. A server may refuse them:
// a readonly=1 user may change no setting (the public ClickPy instance's
// demo user is such a user), a constraint may pin one. Then the plugin
// runs without the refused ones rather than not at all, and says what
// that risks.
const (
	settingMaxExecutionTime   = "max_execution_time"
	settingMaxResultRows      = "max_result_rows"
	settingResultOverflowMode = "result_overflow_mode"
	settingReadOverflowMode   = "read_overflow_mode"
)

// codeSettingConstraintViolation is ClickHouse's error for a setting
// outside a constraint of the user's profile.
const codeSettingConstraintViolation = 452

func pluginSettings() []string {
	return []string{settingMaxExecutionTime, settingMaxResultRows, settingResultOverflowMode, settingReadOverflowMode}
}

// refusedSetting names the setting a ClickHouse error refuses, if any:
// "Cannot modify 'x' setting in readonly mode" (READONLY), "Setting x
// should not be changed" or "Setting x shouldn't be greater than 10"
// (SETTING_CONSTRAINT_VIOLATION).
func refusedSetting(err error) (string, bool) {
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) || (ex.Code != codeReadonly && ex.Code != codeSettingConstraintViolation) {
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

// serverLimits is what this data source's user may not change on the
// server, learnt from its refusals, and what the server's own limits risk.
type serverLimits struct {
	mu      sync.Mutex
	refused map[string]bool
	// checked is set once the server's overflow settings were read after
	// a refusal; warning is then what they risk ("" for nothing).
	checked bool
	warning string
}

// refuse records that the server refused one of the plugin's settings and
// reports whether that is news (so the query is worth running again).
func (l *serverLimits) refuse(name string) bool {
	if !slices.Contains(pluginSettings(), name) {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refused[name] {
		return false
	}
	if l.refused == nil {
		l.refused = map[string]bool{}
	}
	l.refused[name] = true
	return true
}

func (l *serverLimits) isRefused(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused[name]
}

// claimOverflowCheck tells, once, that an overflow mode was refused and
// the server's own limits are to be read.
func (l *serverLimits) claimOverflowCheck() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.checked || !(l.refused[settingReadOverflowMode] || l.refused[settingResultOverflowMode]) {
		return false
	}
	l.checked = true
	return true
}

// Warning is what the server's limits risk for the counts, or "".
func (l *serverLimits) Warning() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.warning
}

func (l *serverLimits) setWarning(w string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warning = w
}

// undeclaredDeadline ends when its parent does but reports no deadline:
// clickhouse-go turns a reported one into max_execution_time, which a
// user that may not change settings is refused.
type undeclaredDeadline struct{ context.Context }

func (undeclaredDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }

// queryContext bounds a ClickHouse call by the query timeout, on both
// sides where the server allows: the context here and max_execution_time
// there. Results past maxResultRows and scans past the server's read
// limits fail loudly rather than come back truncated, unless the server
// refused those settings (see do).
func (i *Instance) queryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, i.settings.QueryTimeout)
	settings := clickhouse.Settings{}
	add := func(name string, v any) {
		if !i.limits.isRefused(name) {
			settings[name] = v
		}
	}
	add(settingMaxExecutionTime, int(i.settings.QueryTimeout.Seconds()))
	add(settingMaxResultRows, maxResultRows)
	add(settingResultOverflowMode, "throw")
	// The public ClickPy instance caps rows read; with 'break' a capped
	// scan returns silently low counts. 'throw' turns it into an error.
	add(settingReadOverflowMode, "throw")
	for _, s := range i.settings.Settings {
		settings[s.Name] = clickhouse.CustomSetting{Value: s.Value}
	}
	if i.limits.isRefused(settingMaxExecutionTime) {
		ctx = undeclaredDeadline{ctx}
	}
	return clickhouse.Context(ctx, clickhouse.WithSettings(settings)), cancel
}

// do runs fn under the query context. When the server refuses one of the
// plugin's own settings, do records it and runs fn again without it; the
// user's extra settings are theirs, and their refusal is reported.
func (i *Instance) do(ctx context.Context, fn func(ctx context.Context) error) error {
	for {
		qctx, cancel := i.queryContext(ctx)
		err := fn(qctx)
		cancel()
		name, ok := refusedSetting(err)
		if !ok || !i.limits.refuse(name) {
			return err
		}
		if i.limits.claimOverflowCheck() {
			i.limits.setWarning(i.readLimitsWarning(ctx))
		}
	}
}

// readLimitsWarning reads the server's own overflow settings, which the
// plugin could not override, and says what they risk.
func (i *Instance) readLimitsWarning(ctx context.Context) string {
	var readMode, resultMode, maxRows, maxBytes, maxResult string
	err := i.do(ctx, func(ctx context.Context) error {
		return i.conn.QueryRow(ctx, "SELECT toString(getSetting('read_overflow_mode')), toString(getSetting('result_overflow_mode')),"+
			" toString(getSetting('max_rows_to_read')), toString(getSetting('max_bytes_to_read')), toString(getSetting('max_result_rows'))").
			Scan(&readMode, &resultMode, &maxRows, &maxBytes, &maxResult)
	})
	if err != nil {
		return "the ClickHouse user may not set read_overflow_mode, and its own read limits could not be read (" +
			firstLine(err.Error()) + "): if the server caps rows read, counts over long ranges can come back low without an error"
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
	msg := "this ClickHouse user " + risks[0]
	if len(risks) > 1 {
		msg += " and " + risks[1]
	}
	return msg + ", and may not change that: counts over long ranges or many packages can come back low. " +
		"Narrow the time range, or use a server without the limit for exact numbers"
}

func positive(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0
}
