// Package sqllex is a lexer for ClickHouse SQL, shared by the embedded
// server (statement boundaries, INSERT data, placeholders) and the data
// source (which statements and table functions a viewer's SQL may use).
package sqllex

// The lexer knows just enough of ClickHouse's SQL to find statement
// boundaries, keywords and {name:Type} placeholders without being fooled by
// strings, quoted identifiers or comments. It never rejects input: whatever
// it cannot make sense of is left for the engine to report with its own,
// better, error message.

// TokenKind classifies a token.
type TokenKind int

// Token kinds. Comments and whitespace are skipped, never returned.
const (
	TokWord        TokenKind = iota + 1 // bare identifier or keyword
	TokQuotedIdent                      // "..." or `...`
	TokString                           // '...' or a $tag$...$tag$ heredoc
	TokNumber                           // numeric literal
	TokPunct                            // any other single byte: ( ) , ; { } : . = ...
)

// Token is one lexeme of a query: Text is query[Pos:End].
type Token struct {
	Kind TokenKind
	Text string
	Pos  int
	End  int
}

// Nesting is how a token changes the bracket depth: +1 for an opening
// bracket, -1 for a closing one, 0 for anything else.
func (t Token) Nesting() int {
	if t.Kind != TokPunct {
		return 0
	}
	switch t.Text {
	case "(", "[", "{":
		return 1
	case ")", "]", "}":
		return -1
	}
	return 0
}

// Lexer walks a query token by token.
type Lexer struct {
	src string
	pos int
}

// NewLexer starts a lexer at the beginning of src.
func NewLexer(src string) *Lexer { return &Lexer{src: src} }

// Next returns the next token, or false at the end of the input. An
// unterminated string, identifier or comment runs to the end of the input.
func (l *Lexer) Next() (Token, bool) {
	l.skipSpaceAndComments()
	if l.pos >= len(l.src) {
		return Token{}, false
	}
	start := l.pos
	c := l.src[l.pos]
	var kind TokenKind
	switch {
	case c == '\'':
		kind = TokString
		l.skipQuoted('\'')
	case c == '"' || c == '`':
		kind = TokQuotedIdent
		l.skipQuoted(c)
	case c == '$' && l.heredoc():
		kind = TokString
	case IsDigit(c) || (c == '.' && l.pos+1 < len(l.src) && IsDigit(l.src[l.pos+1]) && !l.afterWordOrClose(start)):
		kind = TokNumber
		l.skipNumber()
	case isWordStart(c):
		kind = TokWord
		for l.pos < len(l.src) && isWordChar(l.src[l.pos]) {
			l.pos++
		}
	default:
		kind = TokPunct
		l.pos++
	}
	return Token{Kind: kind, Text: l.src[start:l.pos], Pos: start, End: l.pos}, true
}

// All lexes the whole of src.
func All(src string) []Token {
	lx := NewLexer(src)
	var toks []Token
	for {
		t, ok := lx.Next()
		if !ok {
			return toks
		}
		toks = append(toks, t)
	}
}

// Pos is the offset the next token search starts from.
func (l *Lexer) Pos() int { return l.pos }

func (l *Lexer) skipSpaceAndComments() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case IsSpace(c):
			l.pos++
		case c == '-' && l.peek(1) == '-', c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.peek(1) == '*':
			l.skipBlockComment()
		default:
			return
		}
	}
}

// skipBlockComment skips a /* */ comment; ClickHouse lets them nest.
func (l *Lexer) skipBlockComment() {
	depth := 0
	for l.pos < len(l.src) {
		switch {
		case l.src[l.pos] == '/' && l.peek(1) == '*':
			depth++
			l.pos += 2
		case l.src[l.pos] == '*' && l.peek(1) == '/':
			depth--
			l.pos += 2
			if depth == 0 {
				return
			}
		default:
			l.pos++
		}
	}
}

// skipQuoted skips a quoted literal whose quote character can be escaped
// with a backslash or by doubling it.
func (l *Lexer) skipQuoted(q byte) {
	l.pos++
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\\':
			l.pos += 2
		case c == q && l.peek(1) == q:
			l.pos += 2
		case c == q:
			l.pos++
			return
		default:
			l.pos++
		}
	}
	l.pos = len(l.src)
}

// heredoc skips a $tag$ ... $tag$ string if one starts here.
func (l *Lexer) heredoc() bool {
	end := l.pos + 1
	for end < len(l.src) && isWordChar(l.src[end]) && l.src[end] != '$' {
		end++
	}
	if end >= len(l.src) || l.src[end] != '$' {
		return false
	}
	tag := l.src[l.pos : end+1]
	rest := l.src[end+1:]
	for i := 0; i+len(tag) <= len(rest); i++ {
		if rest[i:i+len(tag)] == tag {
			l.pos = end + 1 + i + len(tag)
			return true
		}
	}
	l.pos = len(l.src)
	return true
}

func (l *Lexer) skipNumber() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isWordChar(c) || c == '.':
			l.pos++
		case (c == '+' || c == '-') && l.pos > 0 && isExponent(l.src[l.pos-1]):
			l.pos++
		default:
			return
		}
	}
}

// afterWordOrClose tells whether the byte before pos ends an expression, in
// which case ".5" is member access (t.1), not a number.
func (l *Lexer) afterWordOrClose(pos int) bool {
	if pos == 0 {
		return false
	}
	c := l.src[pos-1]
	return isWordChar(c) || c == ')' || c == ']' || c == '"' || c == '`'
}

func (l *Lexer) peek(off int) byte {
	if l.pos+off < len(l.src) {
		return l.src[l.pos+off]
	}
	return 0
}

func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// IsDigit tells whether c is an ASCII digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// Bytes from 0x80 are UTF-8 parts: ClickHouse takes them as identifier
// characters too.
func isWordStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isWordChar(c byte) bool { return isWordStart(c) || IsDigit(c) || c == '$' }

func isExponent(c byte) bool { return c == 'e' || c == 'E' || c == 'p' || c == 'P' }
