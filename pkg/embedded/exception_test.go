package embedded

import "testing"

func TestParseException(t *testing.T) {
	cases := []struct {
		text string
		want Exception
	}{
		{
			"Code: 60. DB::Exception: Unknown table expression identifier 'nosuch' in scope SELECT * FROM nosuch. (UNKNOWN_TABLE)",
			Exception{Code: 60, Name: "UNKNOWN_TABLE", Message: "Unknown table expression identifier 'nosuch' in scope SELECT * FROM nosuch"},
		},
		{
			"Code: 108. DB::Exception: Code: 108. DB::Exception: No data to insert. (NO_DATA_TO_INSERT) (version 26.7.2.1). (NO_DATA_TO_INSERT)",
			Exception{Code: 108, Name: "NO_DATA_TO_INSERT", Message: "No data to insert"},
		},
		{
			"Code: 164. DB::Exception: default: Cannot execute query in readonly mode. (READONLY) (version 26.7.2.1 (official build))",
			Exception{Code: 164, Name: "READONLY", Message: "default: Cannot execute query in readonly mode"},
		},
		{
			"Code: 62. DB::Exception: Syntax error: failed at position 7 (1): 1. Expected one of: token, end of query. (SYNTAX_ERROR)",
			Exception{Code: 62, Name: "SYNTAX_ERROR", Message: "Syntax error: failed at position 7 (1): 1. Expected one of: token, end of query"},
		},
		{
			"Error: Invalid or closed connection",
			Exception{Code: CodeStdException, Name: "STD_EXCEPTION", Message: "Invalid or closed connection"},
		},
	}
	for _, c := range cases {
		got := ParseException(c.text)
		if *got != c.want {
			t.Errorf("%q:\n got %+v\nwant %+v", c.text, *got, c.want)
		}
	}
}

func TestExceptionRoundTrip(t *testing.T) {
	ex := NewException(CodeUnknownQueryParameter, "Substitution `%s` is not set", "x")
	want := "Code: 456. DB::Exception: Substitution `x` is not set. (UNKNOWN_QUERY_PARAMETER)"
	if ex.Error() != want {
		t.Fatalf("got %q", ex.Error())
	}
	if back := ParseException(ex.Error()); *back != *ex {
		t.Fatalf("round trip: %+v", back)
	}
}
