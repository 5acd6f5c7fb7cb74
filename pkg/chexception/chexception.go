// Package chexception holds what the ClickHouse clients here (the data
// source, the exporter and the query limits they share) need to know of
// ClickHouse's exceptions: the codes they act on, and the line of a
// message worth showing.
package chexception

import "strings"

// Exception codes, as ClickHouse numbers them (src/Common/ErrorCodes.cpp).
const (
	UnknownIdentifier          = 47
	UnknownTable               = 60
	UnknownDatabase            = 81
	TooManyRows                = 158
	TimeoutExceeded            = 159
	Readonly                   = 164
	UnknownUser                = 192
	WrongPassword              = 193
	SocketTimeout              = 209
	NetworkError               = 210
	QueryWasCanceled           = 394
	TooManyRowsOrBytes         = 396
	FunctionNotAllowed         = 446
	SettingConstraintViolation = 452
	AccessDenied               = 497
	AuthFailed                 = 516
)

// FirstLine is a message's first line: ClickHouse appends stack traces and
// hints on the lines after it.
func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
