package jsonpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// filterStep selects the elements of a list for which a comparison holds, or, without an
// operator, for which the left operand selects something.
type filterStep struct {
	left, right operand
	op          string // "" (exists), "==", "!=", "<", "<=", ">", ">="
}

// operand is a path from the element (@.x) or a literal.
type operand struct {
	path    *Path
	literal any
}

func (o operand) values(elem any) []any {
	if o.path != nil {
		return o.path.Eval(elem)
	}
	return []any{o.literal}
}

func (f filterStep) apply(v any, out []any) []any {
	list, ok := v.([]any)
	if !ok {
		return out
	}
	for _, e := range list {
		if f.match(e) {
			out = append(out, e)
		}
	}
	return out
}

func (f filterStep) match(e any) bool {
	lefts := f.left.values(e)
	if f.op == "" {
		return len(lefts) > 0
	}
	for _, l := range lefts {
		for _, r := range f.right.values(e) {
			if compare(l, r, f.op) {
				return true
			}
		}
	}
	return false
}

// compare applies op to two JSON values: numbers numerically, strings by bytes, booleans and
// null by equality; values of different types are only ever unequal.
func compare(a, b any, op string) bool {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return ordered(x, y, op)
		}
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return ordered(x, y, op)
		}
	}
	eq := false
	switch x := a.(type) {
	case bool:
		y, ok := b.(bool)
		eq = ok && x == y
	case nil:
		eq = b == nil
	}
	switch op {
	case "==":
		return eq
	case "!=":
		return !eq
	}
	return false
}

func ordered[T float64 | string](x, y T, op string) bool {
	switch op {
	case "==":
		return x == y
	case "!=":
		return x != y
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	case ">=":
		return x >= y
	}
	return false
}

// number returns v as a float64 if it is a JSON number.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}

// filterOps are the comparison operators, longest first so that "<=" is not read as "<".
var filterOps = []string{"==", "!=", "<=", ">=", "<", ">"}

// parseFilter parses "[?(EXPR)]" at the start of s.
func parseFilter(s string) (step, string, error) {
	body := s[len("[?("):]
	depth := 1
	end := scanUnquoted(body, 0, func(_ int, c byte) bool {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		}
		return depth == 0
	})
	if end < 0 || end+1 >= len(body) || body[end+1] != ']' {
		return nil, "", fmt.Errorf("unterminated filter %q", s)
	}
	expr, rest := strings.TrimSpace(body[:end]), body[end+2:]
	var f filterStep
	left, right := expr, ""
	if i, op := findOp(expr); i >= 0 {
		f.op = op
		left, right = strings.TrimSpace(expr[:i]), strings.TrimSpace(expr[i+len(op):])
	}
	var err error
	if f.left, err = parseOperand(left); err != nil {
		return nil, "", fmt.Errorf("filter %q: %w", expr, err)
	}
	if f.op != "" {
		if f.right, err = parseOperand(right); err != nil {
			return nil, "", fmt.Errorf("filter %q: %w", expr, err)
		}
	}
	return f, rest, nil
}

// findOp returns the position and operator of the first comparison outside quotes in expr,
// or -1.
func findOp(expr string) (int, string) {
	var found string
	i := scanUnquoted(expr, 0, func(i int, _ byte) bool {
		for _, op := range filterOps {
			if strings.HasPrefix(expr[i:], op) {
				found = op
				return true
			}
		}
		return false
	})
	return i, found
}

// parseOperand parses a path (starting with @, $ or .) or a literal: a quoted string, a
// number, true, false or null.
func parseOperand(s string) (operand, error) {
	switch {
	case s == "":
		return operand{}, errors.New("an operand is missing")
	case s[0] == '@' || s[0] == '$' || s[0] == '.':
		p, err := ParsePath(s)
		return operand{path: p}, err
	case s[0] == '"' || s[0] == '\'':
		v, err := unquote(s)
		return operand{literal: v}, err
	case s == "true" || s == "false":
		return operand{literal: s == "true"}, nil
	case s == "null":
		return operand{literal: nil}, nil
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return operand{}, fmt.Errorf("%q is neither a path, a string, a number nor a boolean", s)
	}
	return operand{literal: json.Number(s)}, nil
}
