package resource

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
)

// decimalSuffixes maps an exponent of ten, a multiple of three from -9 to 18, to its SI suffix.
var decimalSuffixes = map[int64]string{-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G",
	12: "T", 15: "P", 18: "E"}

// binarySuffixes maps a power of 1024 to its IEC suffix.
var binarySuffixes = [...]string{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}

// String returns the canonical form of q in its format: no fractional digits and the largest
// suffix that keeps the value exact, e.g. "1500m", "1Gi", "129e6", "0". A BinarySI value
// strictly between -1024 and 1024 or with a fractional part prints as DecimalSI.
func (q Quantity) String() string { return string(q.appendCanonical(nil)) }

// appendCanonical appends the canonical form of q to buf.
func (q Quantity) appendCanonical(buf []byte) []byte {
	if q.IsZero() {
		return append(buf, '0')
	}
	if q.Sign() < 0 {
		buf = append(buf, '-')
		q.Neg()
	}
	if q.Format == BinarySI && q.e >= 0 && q.CmpInt64(1024) >= 0 {
		return appendBinary(buf, q)
	}
	// Lower the exponent to a multiple of three, moving digits into the mantissa.
	e := int64(q.e)
	r := e % 3
	if r < 0 {
		r += 3
	}
	e -= r
	if m, ok := mulPow10(q.m, r); ok && q.b == nil {
		buf = strconv.AppendInt(buf, m, 10)
	} else {
		buf = q.atExp(e).Append(buf, 10)
	}
	if q.Format != DecimalExponent {
		if s, ok := decimalSuffixes[e]; ok {
			return append(buf, s...)
		}
	} else if e == 0 {
		return buf
	}
	buf = append(buf, 'e')
	return strconv.AppendInt(buf, e, 10)
}

// appendBinary appends a positive integer BinarySI value with the largest IEC suffix that keeps
// it exact.
func appendBinary(buf []byte, q Quantity) []byte {
	if q.b == nil {
		if v, ok := mulPow10(q.m, int64(q.e)); ok {
			k := min(bits.TrailingZeros64(uint64(v))/10, len(binarySuffixes)-1)
			buf = strconv.AppendInt(buf, v>>(10*k), 10)
			return append(buf, binarySuffixes[k]...)
		}
	}
	v := q.atExp(0)
	k := min(int(v.TrailingZeroBits())/10, len(binarySuffixes)-1)
	v.Rsh(v, uint(10*k))
	buf = v.Append(buf, 10)
	return append(buf, binarySuffixes[k]...)
}

// MarshalJSON encodes q as a JSON string holding its canonical form.
func (q Quantity) MarshalJSON() ([]byte, error) { return q.AppendJSON(make([]byte, 0, 24)) }

// AppendJSON appends what MarshalJSON returns to b, without allocating.
func (q Quantity) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '"')
	b = q.appendCanonical(b)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a JSON string holding a quantity (surrounding spaces are ignored, as
// in Kubernetes), a JSON number, or null, which gives zero.
func (q *Quantity) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*q = Quantity{}
		return nil
	}
	var s string
	switch {
	case len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"':
		// Quantities are ASCII, so escapes only ever make them invalid; decode them anyway
		// for an honest error message.
		if err := jsonUnquote(data, &s); err != nil {
			return err
		}
		s = string(bytes.TrimSpace([]byte(s)))
	case len(data) > 0 && (data[0] == '-' || isDigit(data[0])):
		s = string(data)
	default:
		return fmt.Errorf("quantity: cannot unmarshal %s: want a string or a number", truncate(data))
	}
	v, err := ParseQuantity(s)
	if err != nil {
		return err
	}
	*q = v
	return nil
}

func jsonUnquote(data []byte, s *string) error {
	if bytes.IndexByte(data, '\\') < 0 {
		*s = string(data[1 : len(data)-1])
		return nil
	}
	return json.Unmarshal(data, s)
}

func truncate(b []byte) []byte {
	if len(b) > 40 {
		return append(b[:37:37], "..."...)
	}
	return b
}
