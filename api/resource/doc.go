// Package resource provides Quantity, the fixed-point number Kubernetes uses for resource
// amounts: "500m" CPU, "1Gi" memory, "2", "1.5", "129e6".
//
// # Basics
//
// A Quantity is parsed from a string with ParseQuantity or MustParse and compared, added and
// subtracted exactly: the value is an integer mantissa times a power of ten, never a float.
// Values that do not fit an int64 mantissa fall back to math/big transparently.
//
// The grammar is Kubernetes':
//
//	<quantity> ::= <sign>? <number> <suffix>
//	<number>   ::= <digits> | <digits>.<digits>? | .<digits>
//	<suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei          (BinarySI, powers of 1024)
//	             | n | u | m | "" | k | M | G | T | P | E (DecimalSI, powers of 1000)
//	             | (e | E) <sign>? <digits>            (DecimalExponent)
//
// A Quantity remembers which of the three formats its suffix used and prints itself in the
// canonical form of that format: no fractional digits and the largest suffix that loses no
// precision. So "1.5" prints as "1500m", "1024Mi" as "1Gi", "0.5Gi" as "512Mi" and "1.5e3" as
// "1500". Values are rounded away from zero to whole nano units (10^-9) when parsed, and
// BinarySI values are capped at 2^63-1 in magnitude, exactly as Kubernetes does.
//
// In JSON a Quantity is a string ("500m"); JSON numbers are accepted on input.
//
// A Quantity is a small value (24 bytes) that is cheap to copy and safe to store in maps such
// as core.ResourceList. Its methods never mutate memory shared with another copy. Two
// Quantities of the same value and format compare equal with == unless the value needs more
// than 18 significant digits; always use Cmp or Equal to compare values.
//
// # Differences from Kubernetes
//
//   - String always returns the canonical form. Kubernetes echoes a few non-canonical inputs
//     verbatim (for example "+1", "01" or "1.G"); skiff prints "1", "1" and "1G".
//   - A number must have at least one digit: Kubernetes accepts "+", "-" and "." as zero.
//   - A DecimalSI value too large for the "E" suffix prints in exponent form ("1000E" prints as
//     "1e21"), where Kubernetes prints a wrong number. BinarySI values never use a suffix
//     beyond "Ei".
//   - Exponents are bounded: a value of 10^10000 or more is a parse error, so that no input can
//     make arithmetic on it arbitrarily expensive.
//   - Value, MilliValue and ScaledValue saturate at the int64 limits instead of overflowing.
//   - Format is a small integer type; its zero value is DecimalSI.
package resource
