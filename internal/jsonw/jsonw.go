package jsonw

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json escapes it with HTML
// escaping off: quote, backslash and control characters, invalid UTF-8 as U+FFFD, and U+2028
// and U+2029.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendBool appends true or false.
func AppendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// AppendInt appends v in decimal.
func AppendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// AppendUint appends v in decimal.
func AppendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }

// AppendBytes appends v as encoding/json writes a []byte: a base64 string, or null when nil.
func AppendBytes(b []byte, v []byte) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

// SortedKeys appends the keys of m to buf, sorts them as encoding/json orders object keys
// (bytewise) and returns them. Passing a small array's slice as buf keeps the keys of small
// maps off the heap.
func SortedKeys[K ~string, V any](buf []K, m map[K]V) []K {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}

// AppendStringMap appends m, a map of strings by strings, as a JSON object with sorted keys,
// or null when m is nil.
func AppendStringMap[K ~string, V ~string](b []byte, m map[K]V) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var kb [16]K
	b = append(b, '{')
	for i, k := range SortedKeys(kb[:0], m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, string(k))
		b = append(b, ':')
		b = AppendString(b, string(m[k]))
	}
	return append(b, '}')
}

// AppendMarshaler appends what m.MarshalJSON returns, compacted as encoding/json compacts a
// Marshaler's output.
func AppendMarshaler(b []byte, m json.Marshaler) ([]byte, error) {
	raw, err := m.MarshalJSON()
	if err != nil {
		return b, err
	}
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, raw); err != nil {
		return b, err
	}
	return buf.Bytes(), nil
}

// AppendStd appends v encoded by encoding/json with HTML escaping off: the way out for values
// the generated code has no fast path for.
func AppendStd(b []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return b, err
	}
	out := buf.Bytes()
	return out[:len(out)-1], nil // Encode ends with a newline
}

// EscapeHTML rewrites <, > and & in b[from:], JSON that AppendJSON or AppendString wrote, as
// \u003c, \u003e and \u0026: the result is then what json.Marshal (whose HTML escaping is on)
// writes. In JSON text these bytes can only stand inside strings, so no parsing is needed. b is
// returned unchanged when there is nothing to escape.
func EscapeHTML(b []byte, from int) []byte {
	i := bytes.IndexAny(b[from:], "<>&")
	if i < 0 {
		return b
	}
	i += from
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for _, c := range b[i:] {
		if c == '<' || c == '>' || c == '&' {
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			continue
		}
		out = append(out, c)
	}
	return out
}
