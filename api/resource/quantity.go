package resource

import (
	"math"
	"math/big"
	"strconv"
)

// Format says how a Quantity prints its suffix. A parsed Quantity keeps the format of the
// suffix it was written with.
type Format uint8

// The three formats. The zero Format is DecimalSI.
const (
	// DecimalSI uses the SI suffixes n, u, m, k, M, G, T, P, E (powers of 1000), e.g. "129M".
	DecimalSI Format = iota
	// BinarySI uses the IEC suffixes Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), e.g. "123Mi".
	BinarySI
	// DecimalExponent uses a power of ten, e.g. "129e6".
	DecimalExponent
)

// String returns the format's name as Kubernetes spells it: "DecimalSI", "BinarySI" or
// "DecimalExponent".
func (f Format) String() string {
	switch f {
	case DecimalSI:
		return "DecimalSI"
	case BinarySI:
		return "BinarySI"
	case DecimalExponent:
		return "DecimalExponent"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Scale is a power of ten, used with ScaledValue and NewScaledQuantity.
type Scale int32

// Commonly used scales.
const (
	Nano  Scale = -9
	Micro Scale = -6
	Milli Scale = -3
	Kilo  Scale = 3
	Mega  Scale = 6
	Giga  Scale = 9
	Tera  Scale = 12
	Peta  Scale = 15
	Exa   Scale = 18
)

// Quantity is an exact fixed-point number with a preferred print format; see the package
// documentation for the syntax. The zero value is 0 in DecimalSI format.
//
// Internally the value is mantissa × 10^exp with exp ≥ -9 (whole nano units) and no trailing
// zeros in the mantissa, so that each value has one representation.
type Quantity struct {
	m int64    // mantissa when b is nil; never math.MinInt64
	b *big.Int // mantissa when it does not fit an int64; never mutated once stored
	e int32    // decimal exponent; >= minExp; 0 when the value is zero

	// Format is the format String prints the value in. Change it at will.
	Format Format
}

const (
	// minExp is the finest precision a Quantity keeps: 1n.
	minExp = int64(Nano)
	// maxParseExp bounds the exponent of the leading digit of a parsed value.
	maxParseExp = 9999
)

// MustParse is ParseQuantity for values known to be valid, such as constants in code and tests;
// it panics on error.
func MustParse(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic("resource: " + err.Error())
	}
	return q
}

// NewQuantity returns a Quantity holding value in the given format.
func NewQuantity(value int64, format Format) *Quantity {
	q := fromInt64(value, 0, format)
	return &q
}

// NewMilliQuantity returns a Quantity holding value/1000 in the given format. Like any
// BinarySI quantity, one strictly between -1024 and 1024 or with a fractional part prints as
// DecimalSI.
func NewMilliQuantity(value int64, format Format) *Quantity {
	q := fromInt64(value, int64(Milli), format)
	return &q
}

// NewScaledQuantity returns a DecimalSI Quantity holding value × 10^scale (rounded away from
// zero to whole nano units).
func NewScaledQuantity(value int64, scale Scale) *Quantity {
	q := fromInt64(value, int64(scale), DecimalSI)
	return &q
}

// fromInt64 returns m × 10^e in normal form.
func fromInt64(m int64, e int64, f Format) Quantity {
	if m == 0 {
		return Quantity{Format: f}
	}
	if m == math.MinInt64 {
		return fromBig(big.NewInt(m), e, f)
	}
	if e < minExp {
		m = divPow10RoundAway(m, minExp-e)
		e = minExp
	}
	for m%10 == 0 {
		m /= 10
		e++
	}
	if e > math.MaxInt32 {
		return fromBig(big.NewInt(m), e, f)
	}
	return Quantity{m: m, e: int32(e), Format: f}
}

// fromBig returns b × 10^e in normal form. It takes ownership of b.
func fromBig(b *big.Int, e int64, f Format) Quantity {
	if b.Sign() == 0 {
		return Quantity{Format: f}
	}
	if e < minExp {
		b = bigDivPow10RoundAway(b, minExp-e)
		e = minExp
	}
	if b.IsInt64() && b.Int64() != math.MinInt64 {
		return fromInt64(b.Int64(), e, f)
	}
	// Strip trailing zeros, a few at a time for speed.
	var r big.Int
	for _, step := range []struct {
		n   int64
		div *big.Int
	}{{9, bigPow10(9)}, {1, bigTen}} {
		for {
			var quo big.Int
			quo.QuoRem(b, step.div, &r)
			if r.Sign() != 0 {
				break
			}
			b = &quo
			e += step.n
		}
	}
	if b.IsInt64() && b.Int64() != math.MinInt64 {
		return fromInt64(b.Int64(), e, f)
	}
	return Quantity{b: b, e: clampExp(e), Format: f}
}

// clampExp keeps exponents in int32; values that large cannot be produced by parsing, only
// by adding enormous numbers, and are clamped rather than wrapped.
func clampExp(e int64) int32 {
	if e > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(e)
}

var bigTen = big.NewInt(10)

var pow10Table = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// bigPow10 returns a new 10^n.
func bigPow10(n int64) *big.Int {
	return new(big.Int).Exp(bigTen, big.NewInt(n), nil)
}

// mulPow10 returns m × 10^n and whether it fits an int64 (n >= 0).
func mulPow10(m int64, n int64) (int64, bool) {
	if m == 0 {
		return 0, true
	}
	if n >= int64(len(pow10Table)) {
		return 0, false
	}
	p := pow10Table[n]
	r := m * p
	if r/p != m || r == math.MinInt64 {
		return 0, false
	}
	return r, true
}

// divPow10RoundAway returns m / 10^n rounded away from zero (n > 0).
func divPow10RoundAway(m int64, n int64) int64 {
	if n >= int64(len(pow10Table)) {
		if m > 0 {
			return 1
		}
		return -1
	}
	p := pow10Table[n]
	q, r := m/p, m%p
	switch {
	case r > 0:
		q++
	case r < 0:
		q--
	}
	return q
}

// bigDivPow10RoundAway returns a new b / 10^n rounded away from zero (n > 0).
func bigDivPow10RoundAway(b *big.Int, n int64) *big.Int {
	// |b| < 2^bitlen <= 10^(bitlen*0.30103+1): if n is larger the result is ±1.
	if n > int64(b.BitLen())*30103/100000+1 {
		return big.NewInt(int64(b.Sign()))
	}
	var q, r big.Int
	q.QuoRem(b, bigPow10(n), &r)
	if r.Sign() != 0 {
		q.Add(&q, big.NewInt(int64(b.Sign())))
	}
	return &q
}

// mant returns a new big.Int holding the mantissa.
func (q Quantity) mant() *big.Int {
	if q.b != nil {
		return new(big.Int).Set(q.b)
	}
	return big.NewInt(q.m)
}

// atExp returns the mantissa scaled to exponent e (e <= q.e) as a new big.Int.
func (q Quantity) atExp(e int64) *big.Int {
	b := q.mant()
	if d := int64(q.e) - e; d > 0 {
		b.Mul(b, bigPow10(d))
	}
	return b
}

// IsZero reports whether the value is zero.
func (q Quantity) IsZero() bool { return q.b == nil && q.m == 0 }

// Sign returns -1, 0 or 1 as the value is negative, zero or positive.
func (q Quantity) Sign() int {
	if q.b != nil {
		return q.b.Sign()
	}
	switch {
	case q.m > 0:
		return 1
	case q.m < 0:
		return -1
	}
	return 0
}

// Cmp compares the values of q and y (formats are ignored): -1 if q < y, 0 if equal, 1 if
// q > y. It is exact.
func (q Quantity) Cmp(y Quantity) int {
	qs, ys := q.Sign(), y.Sign()
	if qs != ys || qs == 0 {
		return cmpInt(qs, ys)
	}
	if q.b == nil && y.b == nil {
		if q.e == y.e {
			return cmpInt64(q.m, y.m)
		}
		// Scale the mantissa with the larger exponent down to the smaller exponent. If that
		// overflows, its magnitude exceeds the other's, which fits an int64.
		if q.e > y.e {
			if m, ok := mulPow10(q.m, int64(q.e)-int64(y.e)); ok {
				return cmpInt64(m, y.m)
			}
			return qs
		}
		if m, ok := mulPow10(y.m, int64(y.e)-int64(q.e)); ok {
			return cmpInt64(q.m, m)
		}
		return -qs
	}
	// Compare orders of magnitude before aligning, so that 1e9000 vs 1 costs nothing.
	if qm, ym := q.magnitude(), y.magnitude(); qm > ym+2 {
		return qs
	} else if ym > qm+2 {
		return -qs
	}
	e := min(int64(q.e), int64(y.e))
	return q.atExp(e).Cmp(y.atExp(e))
}

// magnitude returns an estimate of log10|q| within one.
func (q Quantity) magnitude() int64 {
	var bits int
	if q.b != nil {
		bits = q.b.BitLen()
	} else {
		m := q.m
		if m < 0 {
			m = -m
		}
		bits = big.NewInt(m).BitLen()
	}
	return int64(bits)*30103/100000 + int64(q.e)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CmpInt64 compares q with the integer y.
func (q Quantity) CmpInt64(y int64) int { return q.Cmp(fromInt64(y, 0, DecimalSI)) }

// Equal reports whether q and y have the same value, whatever their formats.
func (q Quantity) Equal(y Quantity) bool { return q.Cmp(y) == 0 }

// Add sets q to q + y. If q is zero it takes y's format; otherwise it keeps its own.
func (q *Quantity) Add(y Quantity) {
	if q.IsZero() {
		q.Format = y.Format
	}
	*q = sum(*q, y, q.Format)
}

// Sub sets q to q - y. If q is zero it takes y's format; otherwise it keeps its own.
func (q *Quantity) Sub(y Quantity) {
	if q.IsZero() {
		q.Format = y.Format
	}
	y.Neg()
	*q = sum(*q, y, q.Format)
}

// sum returns x + y in format f.
func sum(x, y Quantity, f Format) Quantity {
	switch {
	case y.IsZero():
		x.Format = f
		return x
	case x.IsZero():
		y.Format = f
		return y
	}
	if x.b == nil && y.b == nil {
		e := min(x.e, y.e)
		xm, ok1 := mulPow10(x.m, int64(x.e)-int64(e))
		ym, ok2 := mulPow10(y.m, int64(y.e)-int64(e))
		if ok1 && ok2 {
			s := xm + ym
			// Overflow happened iff both operands have the sign the result lacks.
			if (xm >= 0) == (ym >= 0) && (s >= 0) != (xm >= 0) {
				return fromBig(new(big.Int).Add(big.NewInt(xm), big.NewInt(ym)), int64(e), f)
			}
			return fromInt64(s, int64(e), f)
		}
	}
	e := min(int64(x.e), int64(y.e))
	s := x.atExp(e)
	s.Add(s, y.atExp(e))
	return fromBig(s, e, f)
}

// Neg sets q to -q.
func (q *Quantity) Neg() {
	if q.b != nil {
		q.b = new(big.Int).Neg(q.b)
		return
	}
	q.m = -q.m
}

// Set sets q to value, keeping its format.
func (q *Quantity) Set(value int64) { *q = fromInt64(value, 0, q.Format) }

// SetMilli sets q to value/1000, keeping its format.
func (q *Quantity) SetMilli(value int64) { *q = fromInt64(value, int64(Milli), q.Format) }

// SetScaled sets q to value × 10^scale, keeping its format.
func (q *Quantity) SetScaled(value int64, scale Scale) {
	*q = fromInt64(value, int64(scale), q.Format)
}

// Value returns the value as an integer, rounded away from zero (1500m gives 2, -1500m gives
// -2) and saturated at the int64 limits.
func (q Quantity) Value() int64 { return q.ScaledValue(0) }

// MilliValue returns the value in thousandths, rounded away from zero and saturated at the
// int64 limits: 1.5 gives 1500, 1n gives 1.
func (q Quantity) MilliValue() int64 { return q.ScaledValue(Milli) }

// ScaledValue returns the value divided by 10^scale, rounded away from zero and saturated at
// the int64 limits. ScaledValue(0) is Value and ScaledValue(Milli) is MilliValue.
func (q Quantity) ScaledValue(scale Scale) int64 {
	if q.IsZero() {
		return 0
	}
	d := int64(q.e) - int64(scale)
	if q.b == nil {
		if d >= 0 {
			if v, ok := mulPow10(q.m, d); ok {
				return v
			}
			return saturate(q.Sign())
		}
		return divPow10RoundAway(q.m, -d)
	}
	if q.magnitude()-int64(scale) > 20 {
		return saturate(q.Sign())
	}
	var v *big.Int
	if d >= 0 {
		v = q.atExp(int64(scale))
	} else {
		v = bigDivPow10RoundAway(q.b, -d)
	}
	if !v.IsInt64() {
		return saturate(q.Sign())
	}
	return v.Int64()
}

func saturate(sign int) int64 {
	if sign < 0 {
		return math.MinInt64
	}
	return math.MaxInt64
}

// AsInt64 returns the value as an int64 if it is an integer that fits one exactly.
func (q Quantity) AsInt64() (int64, bool) {
	if q.b != nil || q.e < 0 {
		return 0, false
	}
	return mulPow10(q.m, int64(q.e))
}

// AsApproximateFloat64 returns the value as the nearest float64 (±Inf when out of range), for
// scoring and display only: never compare quantities through floats.
func (q Quantity) AsApproximateFloat64() float64 {
	var s string
	if q.b != nil {
		s = q.b.String()
	} else {
		s = strconv.FormatInt(q.m, 10)
	}
	f, _ := strconv.ParseFloat(s+"e"+strconv.Itoa(int(q.e)), 64)
	return f
}

// DeepCopy returns a copy of q. The copy may share q's big mantissa, which is safe because no
// method mutates a big.Int once a Quantity holds it: the copy and q are independent, and
// assigning a Quantity is as good as copying it (the generated deep copies rely on this).
func (q Quantity) DeepCopy() Quantity { return q }

// DeepCopyInto copies q into out; see DeepCopy.
func (q *Quantity) DeepCopyInto(out *Quantity) { *out = *q }

// RoundUp rounds q away from zero to a multiple of 10^scale and reports whether it was exact
// already: with scale Milli, 1n becomes 1m. The API server rounds every entry of a
// ResourceList this way.
func (q *Quantity) RoundUp(scale Scale) bool {
	if q.IsZero() || int64(q.e) >= int64(scale) {
		return true
	}
	d := int64(scale) - int64(q.e)
	if q.b == nil {
		*q = fromInt64(divPow10RoundAway(q.m, d), int64(scale), q.Format)
	} else {
		*q = fromBig(bigDivPow10RoundAway(q.b, d), int64(scale), q.Format)
	}
	return false
}
