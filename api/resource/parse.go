package resource

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ParseQuantity parses s, which must be a complete quantity such as "500m", "1Gi", "1.5" or
// "129e6" (see the package documentation for the grammar). No whitespace is allowed. Errors
// wrap ErrFormatWrong, ErrNumeric, ErrSuffix or ErrTooLarge and quote s.
func ParseQuantity(s string) (Quantity, error) {
	q, err := parse(s)
	if err != nil {
		return Quantity{}, fmt.Errorf("quantity %q: %w", s, err)
	}
	return q, nil
}

func parse(s string) (Quantity, error) {
	if s == "" {
		return Quantity{}, ErrFormatWrong
	}
	i := 0
	neg := false
	switch s[0] {
	case '-':
		neg = true
		i++
	case '+':
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[fracStart:i]
	}
	if intPart == "" && frac == "" {
		return Quantity{}, ErrFormatWrong
	}
	suffix := s[i:]
	format, exp10, exp2, err := interpretSuffix(suffix)
	if err != nil {
		return Quantity{}, err
	}

	// The value is digits × 10^(exp10 - len(frac)) × 2^exp2.
	digits := strings.TrimLeft(intPart+frac, "0")
	e := exp10 - int64(len(frac))
	if digits == "" {
		return Quantity{Format: format}, nil
	}
	// Reject values whose leading digit is beyond 10^maxParseExp before doing any big
	// arithmetic. Binary suffixes need no check: their values are capped below.
	if format != BinarySI && int64(len(digits))+e-1 > maxParseExp {
		return Quantity{}, ErrTooLarge
	}

	var q Quantity
	if len(digits) <= 18 {
		m, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return Quantity{}, ErrNumeric
		}
		if neg {
			m = -m
		}
		if exp2 == 0 {
			q = fromInt64(m, e, format)
		} else if abs := max(m, -m); abs <= math.MaxInt64>>exp2 {
			q = fromInt64(m<<exp2, e, format)
		} else {
			q = fromBig(new(big.Int).Lsh(big.NewInt(m), uint(exp2)), e, format)
		}
	} else {
		b, ok := new(big.Int).SetString(digits, 10)
		if !ok {
			return Quantity{}, ErrNumeric
		}
		if neg {
			b.Neg(b)
		}
		b.Lsh(b, uint(exp2))
		q = fromBig(b, e, format)
	}

	if format == BinarySI {
		// Binary quantities are capped at 2^63-1 in magnitude, and fractions of one print
		// as decimals, as in Kubernetes.
		limit := fromInt64(math.MaxInt64, 0, BinarySI)
		if neg {
			limit.Neg()
			if q.Cmp(limit) < 0 {
				q = limit
			}
		} else if q.Cmp(limit) > 0 {
			q = limit
		}
		if q.CmpInt64(1) < 0 && q.CmpInt64(-1) > 0 {
			q.Format = DecimalSI
		}
	}
	return q, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// interpretSuffix returns the format and the power of ten and of two a suffix stands for.
func interpretSuffix(s string) (f Format, exp10, exp2 int64, err error) {
	switch s {
	case "":
		return DecimalSI, 0, 0, nil
	case "n":
		return DecimalSI, -9, 0, nil
	case "u":
		return DecimalSI, -6, 0, nil
	case "m":
		return DecimalSI, -3, 0, nil
	case "k":
		return DecimalSI, 3, 0, nil
	case "M":
		return DecimalSI, 6, 0, nil
	case "G":
		return DecimalSI, 9, 0, nil
	case "T":
		return DecimalSI, 12, 0, nil
	case "P":
		return DecimalSI, 15, 0, nil
	case "E":
		return DecimalSI, 18, 0, nil
	case "Ki":
		return BinarySI, 0, 10, nil
	case "Mi":
		return BinarySI, 0, 20, nil
	case "Gi":
		return BinarySI, 0, 30, nil
	case "Ti":
		return BinarySI, 0, 40, nil
	case "Pi":
		return BinarySI, 0, 50, nil
	case "Ei":
		return BinarySI, 0, 60, nil
	}
	if !suffixShape(s) {
		return 0, 0, 0, ErrFormatWrong
	}
	if len(s) > 1 && (s[0] == 'e' || s[0] == 'E') {
		// Exponents are clamped to ±2^40, far beyond what parse accepts for non-zero values
		// and far below anything that could overflow: tiny values round up to 1n anyway.
		const bound = 1 << 40
		n, perr := strconv.ParseInt(s[1:], 10, 64)
		if ne, ok := perr.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			n, perr = bound, nil
			if s[1] == '-' {
				n = -bound
			}
		}
		if perr == nil {
			return DecimalExponent, min(max(n, -bound), bound), 0, nil
		}
	}
	return 0, 0, 0, ErrSuffix
}

// suffixShape reports whether s has the shape Kubernetes' scanner accepts for a suffix:
// letters from "eEinumkKMGTP", an optional sign, then digits.
func suffixShape(s string) bool {
	i := 0
	for i < len(s) && strings.IndexByte("eEinumkKMGTP", s[i]) >= 0 {
		i++
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i == len(s)
}
