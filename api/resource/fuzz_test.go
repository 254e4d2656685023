package resource

import (
	"encoding/json"
	"testing"
)

// FuzzParseQuantity checks that parsing never panics and that every parsed quantity prints a
// canonical form that parses back to an equal value and prints the same again, also through
// JSON, and that arithmetic with it is exact.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"500m", "1Gi", "2", "1.5", "100M", "1e3", "128974848", "129e6", "129M",
		"123Mi", "0", "-1.5", "0.5Gi", "9Ei", "1000E", "1e-12", ".001Ki", "12345678901234567890123",
		"1.01E", "+5", "1e9999", "3.001n", "-0.1m", "1e-99999999999999999999"} {
		f.Add(s)
	}
	one := MustParse("1")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			return
		}
		c := q.String()
		back, err := ParseQuantity(c)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, c, err)
		}
		if back.Cmp(q) != 0 {
			t.Fatalf("%q printed as %q, which parses to a different value", s, c)
		}
		if again := back.String(); again != c {
			t.Fatalf("%q printed as %q, which prints as %q", s, c, again)
		}
		data, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		var j Quantity
		if err := json.Unmarshal(data, &j); err != nil || j.Cmp(q) != 0 {
			t.Fatalf("JSON round trip of %q via %s: %v, %v", s, data, j, err)
		}
		sum := q
		sum.Add(one)
		if sum.Cmp(q) <= 0 {
			t.Fatalf("%q + 1 is not larger", s)
		}
		sum.Sub(one)
		if sum.Cmp(q) != 0 {
			t.Fatalf("%q + 1 - 1 = %s", s, sum.String())
		}
		neg := q
		neg.Neg()
		neg.Add(q)
		if !neg.IsZero() {
			t.Fatalf("-%q + %q = %s", s, s, neg.String())
		}
		_ = q.Value()
		_ = q.MilliValue()
	})
}
