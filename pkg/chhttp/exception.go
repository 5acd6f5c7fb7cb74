package chhttp

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// asException turns any error into the ClickHouse exception to report.
func asException(err error) *embedded.Exception {
	var ex *embedded.Exception
	if errors.As(err, &ex) {
		return ex
	}
	return &embedded.Exception{Code: embedded.CodeStdException, Name: embedded.CodeName(embedded.CodeStdException), Message: err.Error(), Cause: err}
}

// writeException answers as ClickHouse does: a status for the error code,
// the code in X-ClickHouse-Exception-Code (which clickhouse-go reads), and
// the text "Code: N. DB::Exception: ... (NAME) (version V)" in the body.
func (h *Handler) writeException(w http.ResponseWriter, r *http.Request, err error) {
	ex := asException(err)
	hdr := w.Header()
	hdr.Del("Content-Encoding")
	hdr.Del("X-ClickHouse-Format")
	hdr.Set("Content-Type", "text/plain; charset=UTF-8")
	hdr.Set("X-ClickHouse-Exception-Code", strconv.Itoa(ex.Code))
	body := ex.Error() + " (version " + h.info.Version + ")\n"
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(httpStatus(ex.Code))
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}

// httpStatus follows ClickHouse's exceptionCodeToHTTPStatus.
func httpStatus(code int) int {
	switch code {
	case embedded.CodeRequiredPassword:
		return http.StatusUnauthorized
	case embedded.CodeUnknownUser, embedded.CodeWrongPassword, embedded.CodeAuthenticationFailed,
		embedded.CodeSetNonGrantedRole, embedded.CodeAccessDenied:
		return http.StatusForbidden
	case embedded.CodeBadArguments, embedded.CodeCannotCompileRegexp, embedded.CodeCannotParseText,
		embedded.CodeCannotParseEscapeSequence, embedded.CodeCannotParseQuotedString, embedded.CodeCannotParseDate,
		embedded.CodeCannotParseDateTime, embedded.CodeCannotParseNumber, embedded.CodeCannotParseDomainValue,
		embedded.CodeCannotParseIPv4, embedded.CodeCannotParseIPv6, embedded.CodeCannotParseInputAssertion,
		embedded.CodeCannotParseUUID, embedded.CodeDuplicateColumn, embedded.CodeIllegalColumn,
		embedded.CodeUnknownElementInAST, embedded.CodeUnknownTypeOfASTNode, embedded.CodeThereIsNoColumn,
		embedded.CodeTooDeepAST, embedded.CodeTooBigAST, embedded.CodeUnexpectedASTStructure,
		embedded.CodeSyntaxError, embedded.CodeIncorrectData, embedded.CodeTypeMismatch,
		embedded.CodeValueIsOutOfRangeOfDataType:
		return http.StatusBadRequest
	case embedded.CodeUnknownTable, embedded.CodeUnknownFunction, embedded.CodeUnknownIdentifier,
		embedded.CodeUnknownType, embedded.CodeUnknownStorage, embedded.CodeUnknownDatabase,
		embedded.CodeUnknownSetting, embedded.CodeUnknownDirectionOfSorting, embedded.CodeUnknownAggregateFunction,
		embedded.CodeUnknownFormat, embedded.CodeUnknownDatabaseEngine, embedded.CodeUnknownTypeOfQuery,
		embedded.CodeUnknownRole:
		return http.StatusNotFound
	case embedded.CodeQueryIsTooLarge:
		return http.StatusRequestEntityTooLarge
	case embedded.CodeNotImplemented:
		return http.StatusNotImplemented
	case embedded.CodeSocketTimeout, embedded.CodeCannotOpenFile, embedded.CodeCannotScheduleTask:
		return http.StatusServiceUnavailable
	case embedded.CodeHTTPLengthRequired:
		return http.StatusLengthRequired
	case embedded.CodeTimeoutExceeded:
		return http.StatusRequestTimeout
	case embedded.CodeUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}
