package labels

import (
	"strconv"
	"strings"
)

// Parse reads a selector in the string syntax kubectl's -l flag and the API's labelSelector
// parameter use: requirements separated by commas, all of which must hold.
//
//	key              the label is present (Exists)
//	!key             the label is absent (DoesNotExist)
//	key=value        present and equal (also key==value)
//	key!=value       absent, or present with another value
//	key in (a,b)     present with one of the values
//	key notin (a,b)  absent, or present with none of the values
//	key>n, key<n     present, an integer, and greater (less) than n
//
// Spaces, tabs and line breaks between tokens are ignored. A value may be empty ("key=",
// "key in (a,)"). The values in parentheses form a set: sorted, duplicates dropped. Keys and
// values must follow the label rules (../shared/spec/objects.md §2), and the values of > and <
// must be integers. The words "in" and "notin" are operators only after a key, so they can
// also be keys and values.
//
// The empty string (or only white space) gives Everything. The requirements of the result are
// sorted by key, keeping the given order for the same key, so that String is canonical.
// Errors are *ParseError and name the position and the problem.
func Parse(s string) (Selector, error) {
	p := parser{lex: lexer{input: s}}
	p.advance()
	if p.tok.kind == tokEnd {
		return Everything(), nil
	}
	// Every requirement but the last ends at a comma; commas inside parentheses only make
	// this an overestimate, which is capped.
	reqs := make(requirements, 0, min(strings.Count(s, ",")+1, 32))
	for {
		r, err := p.requirement(len(reqs) > 0)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, r)
		switch p.tok.kind {
		case tokEnd:
			sortByKey(reqs)
			return reqs, nil
		case tokComma:
			p.advance()
		default:
			msg := "expected ',' or end of string"
			if r.operator == DoesNotExist && p.tok.isOperator() {
				msg += " ('!key' means the label is absent and takes no operator or value)"
			}
			return nil, p.unexpected(msg)
		}
	}
}

// tokenKind classifies a token of the selector syntax.
type tokenKind uint8

const (
	tokEnd      tokenKind = iota // end of input
	tokIdent                     // a key, a value, or the words in and notin
	tokComma                     // ,
	tokOpen                      // (
	tokClose                     // )
	tokBang                      // !
	tokEq                        // =
	tokDoubleEq                  // ==
	tokNotEq                     // !=
	tokGT                        // >
	tokLT                        // <
)

// token is one lexeme: its kind, where it starts, and its text (a slice of the input).
type token struct {
	kind tokenKind
	pos  int
	text string
}

// isOperator reports whether t is one of the binary operators.
func (t token) isOperator() bool {
	switch t.kind {
	case tokEq, tokDoubleEq, tokNotEq, tokGT, tokLT:
		return true
	case tokIdent:
		return t.text == "in" || t.text == "notin"
	}
	return false
}

// describe renders t for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEnd:
		return "end of string"
	case tokIdent:
		return strconv.Quote(t.text)
	}
	return "'" + t.text + "'"
}

// lexer splits a selector string into tokens. An identifier is any run of bytes other than
// white space and the symbols , ( ) ! = < >; whether it is a valid key or value is checked by
// the parser.
type lexer struct {
	input string
	pos   int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isSymbol(c byte) bool {
	switch c {
	case ',', '(', ')', '!', '=', '<', '>':
		return true
	}
	return false
}

// next returns the next token, or a tokEnd token at the end of the input.
func (l *lexer) next() token {
	for l.pos < len(l.input) && isSpace(l.input[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start == len(l.input) {
		return token{kind: tokEnd, pos: start}
	}
	kind := tokIdent
	width := 1
	switch l.input[start] {
	case ',':
		kind = tokComma
	case '(':
		kind = tokOpen
	case ')':
		kind = tokClose
	case '>':
		kind = tokGT
	case '<':
		kind = tokLT
	case '=':
		kind = tokEq
		if l.peekEquals(start + 1) {
			kind, width = tokDoubleEq, 2
		}
	case '!':
		kind = tokBang
		if l.peekEquals(start + 1) {
			kind, width = tokNotEq, 2
		}
	default:
		width = 0
		for start+width < len(l.input) {
			c := l.input[start+width]
			if isSpace(c) || isSymbol(c) {
				break
			}
			width++
		}
	}
	l.pos = start + width
	return token{kind: kind, pos: start, text: l.input[start:l.pos]}
}

func (l *lexer) peekEquals(i int) bool { return i < len(l.input) && l.input[i] == '=' }

// parser is a recursive-descent parser with one token of lookahead.
type parser struct {
	lex lexer
	tok token // the current, not yet consumed token
}

func (p *parser) advance() { p.tok = p.lex.next() }

// fail returns a ParseError at pos.
func (p *parser) fail(pos int, msg string) *ParseError {
	return &ParseError{Input: p.lex.input, Pos: pos, Msg: msg}
}

// unexpected returns a ParseError about the current token.
func (p *parser) unexpected(expected string) *ParseError {
	return p.fail(p.tok.pos, "found "+p.tok.describe()+", "+expected)
}

// requirement parses one requirement, leaving the token after it current. afterComma only
// improves the error message.
func (p *parser) requirement(afterComma bool) (Requirement, error) {
	op := Exists
	if p.tok.kind == tokBang {
		op = DoesNotExist
		p.advance()
		if p.tok.kind != tokIdent {
			return Requirement{}, p.unexpected("expected a key after '!'")
		}
	}
	if p.tok.kind != tokIdent {
		msg := "expected a key or '!'"
		if afterComma {
			msg += " after ','"
		}
		return Requirement{}, p.unexpected(msg)
	}
	key := p.tok
	if probs := keyProblems(key.text); probs != nil {
		return Requirement{}, p.fail(key.pos, "invalid key "+strconv.Quote(key.text)+": "+strings.Join(probs, "; "))
	}
	p.advance()
	if op == DoesNotExist {
		return makeRequirement(key.text, DoesNotExist, nil, 0), nil
	}
	switch p.tok.kind {
	case tokEnd, tokComma:
		return makeRequirement(key.text, Exists, nil, 0), nil
	case tokEq:
		op = Equals
	case tokDoubleEq:
		op = DoubleEquals
	case tokNotEq:
		op = NotEquals
	case tokGT:
		op = GreaterThan
	case tokLT:
		op = LessThan
	case tokIdent:
		switch p.tok.text {
		case "in":
			op = In
		case "notin":
			op = NotIn
		}
	}
	if op == Exists { // unchanged: the token after the key is no operator
		return Requirement{}, p.unexpected("expected an operator (=, ==, !=, in, notin, >, <), ',' or end of string after key " + strconv.Quote(key.text))
	}
	p.advance()
	if op == In || op == NotIn {
		vals, err := p.valueSet(key.text, op)
		if err != nil {
			return Requirement{}, err
		}
		return makeRequirement(key.text, op, vals, 0), nil
	}
	return p.singleValue(key.text, op)
}

// singleValue parses the value after =, ==, !=, > or <. A missing value (the requirement ends
// right after the operator) is the empty string.
func (p *parser) singleValue(key string, op Operator) (Requirement, error) {
	var value string
	pos := p.tok.pos
	switch p.tok.kind {
	case tokEnd, tokComma:
	case tokIdent:
		value = p.tok.text
		p.advance()
	default:
		return Requirement{}, p.unexpected("expected a value")
	}
	if err := p.checkValue(pos, key, value); err != nil {
		return Requirement{}, err
	}
	var bound int64
	if op == GreaterThan || op == LessThan {
		n, ok := parseInt64(value)
		if !ok {
			return Requirement{}, p.fail(pos, "invalid value "+strconv.Quote(value)+" for key "+strconv.Quote(key)+": must be an integer for '>' and '<'")
		}
		bound = n
	}
	return makeRequirement(key, op, []string{value}, bound), nil
}

// valueSet parses "(v1, v2, ...)" after in or notin. An omitted value, as in "()" or "(a,)",
// is the empty string.
func (p *parser) valueSet(key string, op Operator) ([]string, error) {
	if p.tok.kind != tokOpen {
		return nil, p.unexpected("expected '(' after '" + string(op) + "'")
	}
	p.advance()
	var vals []string
	for {
		var value string
		expected := "expected a value, ',' or ')'"
		if p.tok.kind == tokIdent {
			value = p.tok.text
			if err := p.checkValue(p.tok.pos, key, value); err != nil {
				return nil, err
			}
			p.advance()
			expected = "expected ',' or ')'"
		}
		vals = append(vals, value)
		switch p.tok.kind {
		case tokComma:
			p.advance()
		case tokClose:
			p.advance()
			return vals, nil
		default:
			return nil, p.unexpected(expected)
		}
	}
}

// checkValue applies the label value rules to a value found at pos.
func (p *parser) checkValue(pos int, key, value string) error {
	if probs := valueProblems(value); probs != nil {
		return p.fail(pos, "invalid value "+strconv.Quote(value)+" for key "+strconv.Quote(key)+": "+strings.Join(probs, "; "))
	}
	return nil
}
