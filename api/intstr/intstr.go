// Package intstr provides IntOrString, the value of fields such as maxSurge and maxUnavailable
// that take either an integer ("1") or a percentage ("25%"), with Kubernetes' rounding rules for
// turning a percentage of a total into a count.
package intstr

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/internal/jsonw"
)

// Type says which of the two values an IntOrString holds.
type Type int

// The two kinds of IntOrString.
const (
	Int    Type = iota // IntVal is set.
	String             // StrVal is set.
)

// IntOrString holds an int32 or a string. It marshals to a JSON number or string.
type IntOrString struct {
	Type   Type
	IntVal int32
	StrVal string
}

// FromInt returns an IntOrString holding i.
func FromInt(i int) IntOrString { return IntOrString{Type: Int, IntVal: int32(i)} }

// FromString returns an IntOrString holding s.
func FromString(s string) IntOrString { return IntOrString{Type: String, StrVal: s} }

// Parse returns an int IntOrString when s is a decimal integer, else a string one.
func Parse(s string) IntOrString {
	if i, err := strconv.Atoi(s); err == nil {
		return FromInt(i)
	}
	return FromString(s)
}

// Ptr returns a pointer to v, for optional fields.
func Ptr(v IntOrString) *IntOrString { return &v }

// String returns the value as text.
func (v IntOrString) String() string {
	if v.Type == String {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// IntValue returns the int value, or the string parsed as an int (0 if it is not one).
func (v IntOrString) IntValue() int {
	if v.Type == String {
		i, _ := strconv.Atoi(v.StrVal)
		return i
	}
	return int(v.IntVal)
}

// MarshalJSON encodes the value as a JSON number or string.
func (v IntOrString) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil) }

// AppendJSON appends what MarshalJSON returns to b, without allocating.
func (v IntOrString) AppendJSON(b []byte) ([]byte, error) {
	if v.Type == String {
		return jsonw.AppendString(b, v.StrVal), nil
	}
	return strconv.AppendInt(b, int64(v.IntVal), 10), nil
}

// UnmarshalJSON accepts a JSON number or string.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.Type = String
		v.IntVal = 0
		return json.Unmarshal(b, &v.StrVal)
	}
	v.Type = Int
	v.StrVal = ""
	if err := json.Unmarshal(b, &v.IntVal); err != nil {
		return fmt.Errorf("intstr: %s is neither an integer nor a string", b)
	}
	return nil
}

// IsPercent reports whether the value is a string ending in %.
func (v IntOrString) IsPercent() bool { return v.Type == String && strings.HasSuffix(v.StrVal, "%") }

// ScaledValue resolves v against total: an int is returned as is; a percentage "p%" gives
// total*p/100 rounded up when roundUp is set and down otherwise, as Kubernetes'
// GetScaledValueFromIntOrPercent does. A string that is not a percentage is an error.
func ScaledValue(v *IntOrString, total int, roundUp bool) (int, error) {
	if v == nil {
		return 0, fmt.Errorf("intstr: nil value")
	}
	if v.Type == Int {
		return int(v.IntVal), nil
	}
	s := v.StrVal
	if !strings.HasSuffix(s, "%") {
		return 0, fmt.Errorf("invalid value for IntOrString: invalid type: string is not a percentage")
	}
	p, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
	if err != nil {
		return 0, fmt.Errorf("invalid value %q: %w", s, err)
	}
	if roundUp {
		return int(math.Ceil(float64(p) * float64(total) / 100)), nil
	}
	return int(math.Floor(float64(p) * float64(total) / 100)), nil
}

// ValueOrDefault returns *v, or def when v is nil.
func ValueOrDefault(v *IntOrString, def IntOrString) IntOrString {
	if v == nil {
		return def
	}
	return *v
}
