package fields

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fields is read access to the selectable fields of an object (metadata.name, status.phase,
// ...), the thing a Selector matches. Set implements it.
type Fields interface {
	// Has reports whether the object has the field.
	Has(field string) bool
	// Get returns the field's value, or "" when the object does not have it.
	Get(field string) string
}

// Set maps field names to values. Its nil value is the empty set.
type Set map[string]string

var _ Fields = Set(nil)

// Has reports whether the field is present.
func (s Set) Has(field string) bool {
	_, ok := s[field]
	return ok
}

// Get returns the field's value, or "" when it is absent.
func (s Set) Get(field string) string { return s[field] }

// String renders the set as "f1=v1,f2=v2" sorted by field, with values escaped by
// EscapeValue, so that it parses back into a selector requiring exactly these values.
func (s Set) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(EscapeValue(s[k]))
	}
	return b.String()
}

// AsSelector returns a selector that requires every field of s, as SelectorFromSet does.
func (s Set) AsSelector() Selector { return SelectorFromSet(s) }

// valueEscaper escapes the three characters that have a meaning in a selector term. The
// backslash comes first so that the backslashes added for ',' and '=' are not doubled.
var valueEscaper = strings.NewReplacer(`\`, `\\`, `,`, `\,`, `=`, `\=`)

// EscapeValue escapes a value for use in a field selector string: '\' becomes `\\`, ','
// becomes `\,` and '=' becomes `\=`. UnescapeValue reverses it.
func EscapeValue(s string) string {
	if !strings.ContainsAny(s, `\,=`) {
		return s
	}
	return valueEscaper.Replace(s)
}

// UnescapeValue reverses EscapeValue. It fails on a backslash not followed by '\', ',' or
// '=', and on an unescaped ',' or '='. A value without backslashes is returned as it is.
func UnescapeValue(s string) (string, error) {
	v, pos, msg := unescape(s)
	if msg != "" {
		return "", errors.New("fields: cannot unescape " + strconv.Quote(s) + ": at position " + strconv.Itoa(pos) + ": " + msg)
	}
	return v, nil
}

// unescape does the work of UnescapeValue, returning the offset and a description of the
// first problem instead of an error.
func unescape(s string) (value string, pos int, msg string) {
	i := strings.IndexAny(s, `\,=`)
	if i < 0 {
		return s, 0, ""
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case ',', '=':
			return "", i, "unescaped '" + string(c) + "' in value (write '\\" + string(c) + "')"
		case '\\':
			if i+1 == len(s) {
				return "", i, `value ends in a lone '\' (write '\\' for a backslash)`
			}
			i++
			switch c := s[i]; c {
			case '\\', ',', '=':
				b.WriteByte(c)
			default:
				r, _ := utf8.DecodeRuneInString(s[i:])
				return "", i - 1, "invalid escape sequence '\\" + string(r) + "' in value (only '\\\\', '\\,' and '\\=' are allowed)"
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), 0, ""
}
