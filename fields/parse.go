package fields

import (
	"slices"
	"strconv"
	"strings"
)

// ParseSelector reads a field selector in the syntax of kubectl's --field-selector flag and the
// API's fieldSelector parameter: terms separated by commas, all of which must hold.
//
//	field=value    the field has this value (also field==value)
//	field!=value   the field does not have this value
//
// In a value, ',' '=' and '\' must be escaped as `\,` `\=` and `\\` (see EscapeValue); no
// other escapes exist. White space around a field name or a value is ignored; inside a value
// it is kept. A field name may not be empty or contain white space, ',', '=', '!' or '\'.
// Empty terms ("a=b,,c=d", a trailing comma) are skipped, and the empty string gives
// Everything. Which fields exist is not checked here: that is up to the kind being listed.
//
// Errors are *ParseError and name the position and the problem.
func ParseSelector(s string) (Selector, error) {
	var t terms
	for start := 0; start <= len(s); {
		end := termEnd(s, start)
		r, ok, err := parseTerm(s, start, end)
		if err != nil {
			return nil, err
		}
		if ok {
			t = append(t, r)
		}
		start = end + 1
	}
	slices.SortFunc(t, compare)
	return t, nil
}

// termEnd returns the index of the first comma at or after start that is not escaped, or
// len(s).
func termEnd(s string, start int) int {
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // the escaped byte cannot end the term
		case ',':
			return i
		}
	}
	return len(s)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimSpace returns the bounds of s[start:end] without surrounding white space.
func trimSpace(s string, start, end int) (int, int) {
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return start, end
}

// parseTerm parses the term s[start:end]. ok is false for an empty term.
func parseTerm(s string, start, end int) (r Requirement, ok bool, err error) {
	start, end = trimSpace(s, start, end)
	if start == end {
		return Requirement{}, false, nil
	}
	fail := func(pos int, msg string) (Requirement, bool, error) {
		return Requirement{}, false, &ParseError{Input: s, Pos: pos, Msg: msg}
	}
	// The operator is the first "!=", "==" or "=": field names cannot contain them.
	opPos, op, opLen := -1, Equals, 0
	for i := start; i < end && opPos < 0; i++ {
		switch {
		case s[i] == '!' && i+1 < end && s[i+1] == '=':
			opPos, op, opLen = i, NotEquals, 2
		case s[i] == '=' && i+1 < end && s[i+1] == '=':
			opPos, opLen = i, 2
		case s[i] == '=':
			opPos, opLen = i, 1
		}
	}
	if opPos < 0 {
		return fail(start, "term "+strconv.Quote(s[start:end])+" has no operator; expected field=value, field==value or field!=value")
	}
	fieldStart, fieldEnd := trimSpace(s, start, opPos)
	field := s[fieldStart:fieldEnd]
	if field == "" {
		return fail(opPos, "missing field name before '"+s[opPos:opPos+opLen]+"'")
	}
	if i := strings.IndexFunc(field, func(c rune) bool { return c < 0x80 && (isSpace(byte(c)) || strings.ContainsRune(`,=!\`, c)) }); i >= 0 {
		return fail(fieldStart+i, "invalid field name "+strconv.Quote(field)+": must not contain white space, ',', '=', '!' or '\\'")
	}
	valueStart, valueEnd := trimSpace(s, opPos+opLen, end)
	value, pos, msg := unescape(s[valueStart:valueEnd])
	if msg != "" {
		return fail(valueStart+pos, msg)
	}
	return Requirement{Field: field, Operator: op, Value: value}, true, nil
}
