// Package jsonpath evaluates kubectl's JSONPath templates (`get -o jsonpath=...`) and
// paths (`-o custom-columns=NAME:.metadata.name`) over objects in their generic JSON form.
//
// A template is text with actions in braces: `{.metadata.name}` prints what a path selects
// (several results separated by spaces), `{"\n"}` prints a literal, and
// `{range .items[*]}...{end}` repeats its body once per result, with that result as the
// current object of the paths inside. Outside braces, text is printed as it is.
//
// A path is a series of steps from the current object (`$` and `@` name it and may be
// left out):
//
//	.name  ..name  .*     a field (ending at . [ ] , { } $ @ or a space; \. escapes a dot),
//	                      a field at any depth, every field or element
//	[2]  [-1]  [1:3]  [::2]  [*]     elements by index (negative from the end) or slice
//	['a.b']  [0,2]  ['x','y']        a quoted field name; a union
//	[?(@.status == "True")]  [?(@.port > 80)]  [?(@.ready)]   elements that pass a filter
//
// Strings print as they are, numbers as written in the JSON, and objects and lists as
// compact JSON. As with kubectl's default --allow-missing-template-keys, a step that finds
// nothing (a missing field, an index out of range) selects nothing rather than failing.
//
// This is kubectl's dialect, not RFC 9535 JSONPath (whose member names cannot hold the
// dashes of Kubernetes' label keys, and which has no templates): skiff implements it itself
// because the one implementation of the dialect lives in k8s.io/client-go.
package jsonpath

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Template is a parsed JSONPath template.
type Template struct {
	nodes []node
}

// node is one piece of a template: literal text, a path to print, or a range.
type node struct {
	text  string // kind textNode
	path  *Path  // kind pathNode and rangeNode
	body  []node // kind rangeNode
	kind  nodeKind
	label string // the action as written, for errors
}

type nodeKind int

const (
	textNode nodeKind = iota
	pathNode
	rangeNode
)

// Parse parses a template. The errors name the action and the problem.
func Parse(text string) (*Template, error) {
	type frame struct {
		nodes *[]node
		open  string // the range action that opened this frame
	}
	var top []node
	stack := []frame{{nodes: &top}}
	for text != "" {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			*stack[len(stack)-1].nodes = append(*stack[len(stack)-1].nodes, node{kind: textNode, text: text})
			break
		}
		if i > 0 {
			*stack[len(stack)-1].nodes = append(*stack[len(stack)-1].nodes, node{kind: textNode, text: text[:i]})
		}
		end := actionEnd(text[i:])
		if end < 0 {
			return nil, fmt.Errorf("unclosed action %q", text[i:])
		}
		action := strings.TrimSpace(text[i+1 : i+end])
		text = text[i+end+1:]
		cur := stack[len(stack)-1].nodes
		switch {
		case action == "end":
			if len(stack) == 1 {
				return nil, errors.New("{end} without a {range}")
			}
			stack = stack[:len(stack)-1]
		case strings.HasPrefix(action, "range ") || strings.HasPrefix(action, "range\t"):
			p, err := ParsePath(strings.TrimSpace(action[len("range"):]))
			if err != nil {
				return nil, fmt.Errorf("{%s}: %w", action, err)
			}
			*cur = append(*cur, node{kind: rangeNode, path: p, label: action})
			last := &(*cur)[len(*cur)-1]
			stack = append(stack, frame{nodes: &last.body, open: action})
		case action == "":
			return nil, errors.New("empty action {}")
		case action[0] == '"' || action[0] == '\'':
			s, err := unquote(action)
			if err != nil {
				return nil, fmt.Errorf("{%s}: %w", action, err)
			}
			*cur = append(*cur, node{kind: textNode, text: s})
		default:
			p, err := ParsePath(action)
			if err != nil {
				return nil, fmt.Errorf("{%s}: %w", action, err)
			}
			*cur = append(*cur, node{kind: pathNode, path: p, label: action})
		}
	}
	if len(stack) > 1 {
		return nil, fmt.Errorf("{%s} is not closed by {end}", stack[len(stack)-1].open)
	}
	return &Template{nodes: top}, nil
}

// actionEnd returns the index of the "}" that closes the action s starts with ("{"),
// skipping quoted strings, or -1.
func actionEnd(s string) int {
	i := scanUnquoted(s, 1, func(_ int, c byte) bool { return c == '}' || c == '\n' })
	if i < 0 || s[i] == '\n' {
		return -1
	}
	return i
}

// scanUnquoted calls stop for each byte of s from index from that is outside single- and
// double-quoted strings (within which a backslash escapes the next byte), and returns the
// index of the first byte for which stop returns true, or -1.
func scanUnquoted(s string, from int, stop func(i int, c byte) bool) int {
	var quote byte
	for i := from; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
		case c == '\'' || c == '"':
			quote = c
		case stop(i, c):
			return i
		}
	}
	return -1
}

// Execute prints the template for data, a generic JSON value (maps, slices, strings,
// json.Number or float64, bools, nil).
func (t *Template) Execute(w io.Writer, data any) error {
	var buf bytes.Buffer
	if err := execute(&buf, t.nodes, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func execute(buf *bytes.Buffer, nodes []node, data any) error {
	for _, n := range nodes {
		switch n.kind {
		case textNode:
			buf.WriteString(n.text)
		case pathNode:
			for i, v := range n.path.Eval(data) {
				if i > 0 {
					buf.WriteByte(' ')
				}
				if err := writeValue(buf, v); err != nil {
					return fmt.Errorf("{%s}: %w", n.label, err)
				}
			}
		case rangeNode:
			for _, v := range n.path.Eval(data) {
				if err := execute(buf, n.body, v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Text returns v as a template prints it.
func Text(v any) (string, error) {
	var buf bytes.Buffer
	err := writeValue(&buf, v)
	return buf.String(), err
}

func writeValue(buf *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case string:
		buf.WriteString(v)
	case json.Number:
		buf.WriteString(v.String())
	case float64:
		buf.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		buf.Write(data)
	}
	return nil
}

// Path is a parsed path: a series of steps.
type Path struct {
	steps []step
}

// step selects, from each value, zero or more values.
type step interface {
	apply(v any, out []any) []any
}

// ParsePath parses a path such as ".items[*].metadata.name" (braces around it are allowed,
// as custom-columns writes them either way).
func ParsePath(s string) (*Path, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return nil, errors.New("empty path")
	}
	if s[0] == '$' || s[0] == '@' {
		s = s[1:]
	}
	p := &Path{}
	for s != "" {
		var st step
		var err error
		switch {
		case strings.HasPrefix(s, ".."):
			st, s, err = parseRecursive(s[2:])
		case s[0] == '.':
			st, s, err = parseField(s[1:])
		case s[0] == '[':
			st, s, err = parseBracket(s)
		default:
			return nil, fmt.Errorf("unexpected %q: a step starts with . or [", s)
		}
		if err != nil {
			return nil, err
		}
		p.steps = append(p.steps, st)
	}
	return p, nil
}

// Eval returns what the path selects in v, in order.
func (p *Path) Eval(v any) []any {
	cur := []any{v}
	for _, st := range p.steps {
		var next []any
		for _, c := range cur {
			next = st.apply(c, next)
		}
		cur = next
	}
	return cur
}

// fieldStep selects one field of a map.
type fieldStep struct{ name string }

func (f fieldStep) apply(v any, out []any) []any {
	if m, ok := v.(map[string]any); ok {
		if x, ok := m[f.name]; ok {
			out = append(out, x)
		}
	}
	return out
}

// wildcardStep selects every value of a map (in key order) or every element of a list.
type wildcardStep struct{}

func (wildcardStep) apply(v any, out []any) []any {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, v[k])
		}
	case []any:
		out = append(out, v...)
	}
	return out
}

// recursiveStep applies next to v and to everything below it, depth first.
type recursiveStep struct{ next step }

func (r recursiveStep) apply(v any, out []any) []any {
	out = r.next.apply(v, out)
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = r.apply(v[k], out)
		}
	case []any:
		for _, x := range v {
			out = r.apply(x, out)
		}
	}
	return out
}

func parseRecursive(s string) (step, string, error) {
	var next step
	var err error
	switch {
	case strings.HasPrefix(s, "["):
		next, s, err = parseBracket(s)
	default:
		next, s, err = parseField(s)
	}
	if err != nil {
		return nil, "", err
	}
	return recursiveStep{next}, s, nil
}

// parseField parses a field name up to a terminator; "*" is the wildcard.
func parseField(s string) (step, string, error) {
	var name strings.Builder
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			name.WriteByte(s[i])
			continue
		}
		if strings.IndexByte(".,[]$@{} \t", c) >= 0 {
			break
		}
		name.WriteByte(c)
	}
	switch name.String() {
	case "":
		return nil, "", errors.New("a field name is missing after a dot")
	case "*":
		return wildcardStep{}, s[i:], nil
	}
	return fieldStep{name.String()}, s[i:], nil
}

// indexStep selects list elements by index or slice: [i], [a:b:c], or a field by quoted
// name.
type indexStep struct {
	start, end, stride     int
	hasStart, hasEnd, isSl bool
}

func (x indexStep) apply(v any, out []any) []any {
	list, ok := v.([]any)
	if !ok {
		return out
	}
	n := len(list)
	if !x.isSl {
		i := x.start
		if i < 0 {
			i += n
		}
		if i >= 0 && i < n {
			out = append(out, list[i])
		}
		return out
	}
	norm := func(i, def int, has bool) int {
		if !has {
			return def
		}
		if i < 0 {
			i += n
		}
		return max(0, min(i, n))
	}
	start, end := norm(x.start, 0, x.hasStart), norm(x.end, n, x.hasEnd)
	for i := start; i < end; i += x.stride {
		out = append(out, list[i])
	}
	return out
}

// unionStep concatenates what each of its steps selects.
type unionStep []step

func (u unionStep) apply(v any, out []any) []any {
	for _, s := range u {
		out = s.apply(v, out)
	}
	return out
}

// parseBracket parses "[...]": a filter, a wildcard, or a union of indexes, slices and
// quoted names.
func parseBracket(s string) (step, string, error) {
	if strings.HasPrefix(s, "[?(") {
		return parseFilter(s)
	}
	end := scanUnquoted(s, 1, func(_ int, c byte) bool { return c == ']' })
	if end < 0 {
		return nil, "", fmt.Errorf("unterminated %q", s)
	}
	inner, rest := strings.TrimSpace(s[1:end]), s[end+1:]
	if inner == "*" {
		return indexStep{stride: 1, isSl: true}, rest, nil
	}
	var u unionStep
	for _, part := range splitUnion(inner) {
		part = strings.TrimSpace(part)
		if part != "" && (part[0] == '\'' || part[0] == '"') {
			name, err := unquote(part)
			if err != nil {
				return nil, "", fmt.Errorf("[%s]: %w", inner, err)
			}
			u = append(u, fieldStep{name})
			continue
		}
		st, err := parseIndex(part)
		if err != nil {
			return nil, "", fmt.Errorf("[%s]: %w", inner, err)
		}
		u = append(u, st)
	}
	if len(u) == 1 {
		return u[0], rest, nil
	}
	return u, rest, nil
}

// splitUnion splits a bracket's content at the commas outside quotes.
func splitUnion(s string) []string {
	var parts []string
	start := 0
	scanUnquoted(s, 0, func(i int, c byte) bool {
		if c == ',' {
			parts = append(parts, s[start:i])
			start = i + 1
		}
		return false
	})
	return append(parts, s[start:])
}

// parseIndex parses "i" or "a:b" or "a:b:c" (each part optional in a slice).
func parseIndex(s string) (indexStep, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return indexStep{}, fmt.Errorf("invalid array index %q", s)
	}
	num := func(p string) (int, bool, error) {
		p = strings.TrimSpace(p)
		if p == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return 0, false, fmt.Errorf("array index %q is not a number", p)
		}
		return n, true, nil
	}
	var x indexStep
	var err error
	if x.start, x.hasStart, err = num(parts[0]); err != nil {
		return x, err
	}
	if len(parts) == 1 {
		if !x.hasStart {
			return x, errors.New("empty array index")
		}
		return x, nil
	}
	x.isSl, x.stride = true, 1
	if x.end, x.hasEnd, err = num(parts[1]); err != nil {
		return x, err
	}
	if len(parts) == 3 {
		stride, has, err := num(parts[2])
		if err != nil {
			return x, err
		}
		if has {
			if stride <= 0 {
				return x, fmt.Errorf("slice step %d must be positive", stride)
			}
			x.stride = stride
		}
	}
	return x, nil
}

// unquote returns the content of a single- or double-quoted string, with Go's escapes.
func unquote(s string) (string, error) {
	if len(s) < 2 || s[0] != s[len(s)-1] || (s[0] != '"' && s[0] != '\'') {
		return "", fmt.Errorf("malformed quoted string %s", s)
	}
	q := s[0]
	body := s[1 : len(s)-1]
	var b strings.Builder
	for body != "" {
		r, _, tail, err := strconv.UnquoteChar(body, q)
		if err != nil {
			return "", fmt.Errorf("malformed quoted string %s", s)
		}
		b.WriteRune(r)
		body = tail
	}
	return b.String(), nil
}
