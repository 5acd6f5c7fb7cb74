package embedded

// ClickHouse error codes the engine and the HTTP front raise themselves or
// map to HTTP statuses. Numbers and names are ClickHouse's (checked against
// errorCodeToName in chDB 26.7).
const (
	CodeUnexpectedEndOfFile         = 3
	CodeCannotParseText             = 6
	CodeThereIsNoColumn             = 8
	CodeDuplicateColumn             = 15
	CodeCannotParseEscapeSequence   = 25
	CodeCannotParseQuotedString     = 26
	CodeCannotParseInputAssertion   = 27
	CodeCannotReadAllData           = 33
	CodeBadArguments                = 36
	CodeUnknownElementInAST         = 37
	CodeCannotParseDate             = 38
	CodeChecksumDoesntMatch         = 40
	CodeCannotParseDateTime         = 41
	CodeIllegalColumn               = 44
	CodeUnknownFunction             = 46
	CodeUnknownIdentifier           = 47
	CodeNotImplemented              = 48
	CodeLogicalError                = 49
	CodeUnknownType                 = 50
	CodeTypeMismatch                = 53
	CodeUnknownStorage              = 56
	CodeUnknownTable                = 60
	CodeSyntaxError                 = 62
	CodeUnknownAggregateFunction    = 63
	CodeCannotParseNumber           = 72
	CodeUnknownFormat               = 73
	CodeCannotOpenFile              = 76
	CodeUnknownTypeOfQuery          = 78
	CodeUnknownDatabase             = 81
	CodeUnknownCompressionMethod    = 89
	CodeNoDataToInsert              = 108
	CodeUnknownSetting              = 115
	CodeIncorrectData               = 117
	CodeUnknownTypeOfASTNode        = 123
	CodeUnknownDirectionOfSorting   = 152
	CodeTimeoutExceeded             = 159
	CodeReadonly                    = 164
	CodeTooDeepAST                  = 167
	CodeTooBigAST                   = 168
	CodeUnknownUser                 = 192
	CodeWrongPassword               = 193
	CodeRequiredPassword            = 194
	CodeSocketTimeout               = 209
	CodeUnexpectedASTStructure      = 223
	CodeQueryIsTooLarge             = 229
	CodeCannotDecompress            = 271
	CodeValueIsOutOfRangeOfDataType = 321
	CodeUnknownDatabaseEngine       = 336
	CodeSupportIsDisabled           = 344
	CodeIntoOutfileNotAllowed       = 358
	CodeCannotParseUUID             = 376
	CodeHTTPLengthRequired          = 381
	CodeQueryWasCancelled           = 394
	CodeCannotCompileRegexp         = 427
	CodeSettingConstraintViolation  = 452
	CodeCannotScheduleTask          = 439
	CodeCannotParseDomainValue      = 441
	CodeUnknownQueryParameter       = 456
	CodeBadQueryParameter           = 457
	CodeAccessDenied                = 497
	CodeUnknownRole                 = 511
	CodeSetNonGrantedRole           = 512
	CodeAuthenticationFailed        = 516
	CodeCannotParseIPv4             = 675
	CodeCannotParseIPv6             = 676
	CodeUnsupportedMediaType        = 779
	CodeStdException                = 1001
)

// CodeName is the symbolic name of the codes this project raises itself;
// other codes come with their name in chDB's error text.
func CodeName(code int) string {
	switch code {
	case CodeSyntaxError:
		return "SYNTAX_ERROR"
	case CodeCannotReadAllData:
		return "CANNOT_READ_ALL_DATA"
	case CodeBadArguments:
		return "BAD_ARGUMENTS"
	case CodeNotImplemented:
		return "NOT_IMPLEMENTED"
	case CodeUnknownDatabase:
		return "UNKNOWN_DATABASE"
	case CodeUnknownCompressionMethod:
		return "UNKNOWN_COMPRESSION_METHOD"
	case CodeUnknownSetting:
		return "UNKNOWN_SETTING"
	case CodeTimeoutExceeded:
		return "TIMEOUT_EXCEEDED"
	case CodeReadonly:
		return "READONLY"
	case CodeSettingConstraintViolation:
		return "SETTING_CONSTRAINT_VIOLATION"
	case CodeQueryIsTooLarge:
		return "QUERY_IS_TOO_LARGE"
	case CodeCannotDecompress:
		return "CANNOT_DECOMPRESS"
	case CodeIntoOutfileNotAllowed:
		return "INTO_OUTFILE_NOT_ALLOWED"
	case CodeUnknownTypeOfQuery:
		return "UNKNOWN_TYPE_OF_QUERY"
	case CodeCannotParseNumber:
		return "CANNOT_PARSE_NUMBER"
	case CodeHTTPLengthRequired:
		return "HTTP_LENGTH_REQUIRED"
	case CodeQueryWasCancelled:
		return "QUERY_WAS_CANCELLED"
	case CodeUnknownQueryParameter:
		return "UNKNOWN_QUERY_PARAMETER"
	case CodeBadQueryParameter:
		return "BAD_QUERY_PARAMETER"
	case CodeAccessDenied:
		return "ACCESS_DENIED"
	case CodeAuthenticationFailed:
		return "AUTHENTICATION_FAILED"
	case CodeLogicalError:
		return "LOGICAL_ERROR"
	case CodeStdException:
		return "STD_EXCEPTION"
	}
	return ""
}
