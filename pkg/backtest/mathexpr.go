package backtest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// mathExpr is a parsed Grafana math expression over numbers: $refs and
// ${refs}, decimal constants, unary ! and -, * / %, + -, the comparisons,
// && and ||, parentheses and the functions abs, is_nan, is_inf and
// is_number. It follows Grafana's binary operator
// rules: comparisons and logic give 1 or 0, NaN gives NaN, except that
// "0 && x" is 0 and "non-zero || x" is 1 whatever x is (NaN counts as
// non-zero there, as it does in Grafana).
type mathExpr interface {
	eval(vars func(ref string) float64) float64
}

type (
	mathNum float64
	mathVar string
	mathUn  struct {
		op string
		x  mathExpr
	}
	mathBin struct {
		op   string
		a, b mathExpr
	}
	mathFunc struct {
		name string
		x    mathExpr
	}
)

func (n mathNum) eval(func(string) float64) float64         { return float64(n) }
func (v mathVar) eval(vars func(string) float64) float64    { return vars(string(v)) }
func (f mathFunc) eval(vars func(string) float64) float64   { return function(f.name, f.x.eval(vars)) }
func (u mathUn) eval(vars func(ref string) float64) float64 { return unary(u.op, u.x.eval(vars)) }
func (b mathBin) eval(vars func(ref string) float64) float64 {
	return binary(b.op, b.a.eval(vars), b.b.eval(vars))
}

// mathFunctions are the functions the evaluator knows.
func mathFunctions() []string { return []string{"abs", "is_nan", "is_inf", "is_number"} }

func function(name string, x float64) float64 {
	switch name {
	case "abs":
		return math.Abs(x)
	case "is_nan":
		return boolFloat(math.IsNaN(x))
	case "is_inf":
		return boolFloat(math.IsInf(x, 0))
	}
	return boolFloat(!math.IsNaN(x) && !math.IsInf(x, 0))
}

func unary(op string, x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	if op == "-" {
		return -x
	}
	return boolFloat(x == 0)
}

func binary(op string, a, b float64) float64 {
	switch {
	case op == "||" && a != 0:
		return 1
	case op == "&&" && a == 0:
		return 0
	case math.IsNaN(a) || math.IsNaN(b):
		return math.NaN()
	}
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "%":
		return math.Mod(a, b)
	case "<":
		return boolFloat(a < b)
	case "<=":
		return boolFloat(a <= b)
	case ">":
		return boolFloat(a > b)
	case ">=":
		return boolFloat(a >= b)
	case "==":
		return boolFloat(a == b)
	case "!=":
		return boolFloat(a != b)
	case "&&":
		return boolFloat(a != 0 && b != 0)
	case "||":
		return boolFloat(a != 0 || b != 0)
	}
	return math.NaN()
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// precedence of the binary operators, lowest first.
func precedence() [][]string {
	return [][]string{{"||"}, {"&&"}, {"==", "!=", "<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}}
}

// parseMath parses a Grafana math expression; refs lists the $refs it
// uses.
func parseMath(src string) (e mathExpr, refs []string, err error) {
	p := &mathParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			msg, ok := r.(mathError)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("math expression %q: %s", src, string(msg))
		}
	}()
	e = p.binary(0)
	if p.skip(); p.pos < len(p.src) {
		p.fail("unexpected %q at %d", p.src[p.pos:], p.pos)
	}
	return e, p.refs, nil
}

type mathError string

type mathParser struct {
	src  string
	pos  int
	refs []string
}

func (p *mathParser) fail(format string, args ...any) { panic(mathError(fmt.Sprintf(format, args...))) }

func (p *mathParser) skip() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

// op consumes the longest of ops at the cursor, so "<=" is never read as
// "<" then "=".
func (p *mathParser) op(ops []string) string {
	p.skip()
	best := ""
	for _, o := range ops {
		if strings.HasPrefix(p.src[p.pos:], o) && len(o) > len(best) {
			best = o
		}
	}
	if best != "" {
		p.pos += len(best)
	}
	return best
}

func (p *mathParser) binary(level int) mathExpr {
	levels := precedence()
	if level == len(levels) {
		return p.unary()
	}
	left := p.binary(level + 1)
	for {
		save := p.pos
		o := p.op(allOps())
		if o == "" || !contains(levels[level], o) {
			p.pos = save
			return left
		}
		left = mathBin{o, left, p.binary(level + 1)}
	}
}

// allOps lets a level see the whole operator at the cursor, so "<=" is
// never read as "<" followed by "=".
func allOps() []string {
	var out []string
	for _, l := range precedence() {
		out = append(out, l...)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (p *mathParser) unary() mathExpr {
	p.skip()
	if p.pos < len(p.src) && (p.src[p.pos] == '!' || p.src[p.pos] == '-') &&
		!strings.HasPrefix(p.src[p.pos:], "!=") {
		o := string(p.src[p.pos])
		p.pos++
		return mathUn{o, p.unary()}
	}
	return p.primary()
}

func (p *mathParser) primary() mathExpr {
	p.skip()
	if p.pos >= len(p.src) {
		p.fail("unexpected end")
	}
	c := p.src[p.pos]
	switch {
	case c == '(':
		p.pos++
		e := p.binary(0)
		p.expect(')')
		return e
	case c == '$':
		p.pos++
		var name string
		if p.pos < len(p.src) && p.src[p.pos] == '{' {
			end := strings.IndexByte(p.src[p.pos:], '}')
			if end < 0 {
				p.fail("unclosed ${")
			}
			name = p.src[p.pos+1 : p.pos+end]
			p.pos += end + 1
		} else {
			start := p.pos
			for p.pos < len(p.src) && (unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '_') {
				p.pos++
			}
			name = p.src[start:p.pos]
		}
		if name == "" {
			p.fail("empty reference at %d", p.pos)
		}
		p.refs = append(p.refs, name)
		return mathVar(name)
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.' ||
			p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
			p.pos++
		}
		f, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			p.fail("bad number %q", p.src[start:p.pos])
		}
		return mathNum(f)
	}
	for _, name := range mathFunctions() {
		if strings.HasPrefix(p.src[p.pos:], name+"(") {
			p.pos += len(name) + 1
			e := p.binary(0)
			p.expect(')')
			return mathFunc{name, e}
		}
	}
	p.fail("unexpected %q at %d (this evaluator knows $refs, numbers, operators and %s)", p.src[p.pos:], p.pos,
		strings.Join(mathFunctions(), ", "))
	return nil
}

func (p *mathParser) expect(c byte) {
	p.skip()
	if p.pos >= len(p.src) || p.src[p.pos] != c {
		p.fail("want %q at %d", c, p.pos)
	}
	p.pos++
}
