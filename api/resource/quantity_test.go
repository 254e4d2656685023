package resource

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// The expected strings are what Kubernetes' resource.Quantity prints for the same input.
func TestParseCanonical(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		format Format
	}{
		// The brief's examples.
		{"500m", "500m", DecimalSI},
		{"1Gi", "1Gi", BinarySI},
		{"2", "2", DecimalSI},
		{"1.5", "1500m", DecimalSI},
		{"100M", "100M", DecimalSI},
		{"1e3", "1e3", DecimalExponent},
		{"128974848", "128974848", DecimalSI},
		{"129e6", "129e6", DecimalExponent},
		{"129M", "129M", DecimalSI},
		{"123Mi", "123Mi", BinarySI},
		// Zeros keep their format but print as "0".
		{"0", "0", DecimalSI},
		{"0n", "0", DecimalSI},
		{"0Ki", "0", BinarySI},
		{"0Ti", "0", BinarySI},
		{"-0", "0", DecimalSI},
		// Binary suffixes pick the largest exact one.
		{"1Ki", "1Ki", BinarySI},
		{"8Ki", "8Ki", BinarySI},
		{"1024Mi", "1Gi", BinarySI},
		{"1024Ki", "1Mi", BinarySI},
		{"3Ei", "3Ei", BinarySI},
		{"100Ti", "100Ti", BinarySI},
		{"0.5Gi", "512Mi", BinarySI},
		{"0.5Mi", "512Ki", BinarySI},
		{"1.5Ki", "1536", BinarySI},
		{"0.5Ki", "512", BinarySI},
		{"100.035Ki", "102435840m", BinarySI},
		{".001Ki", "1024m", BinarySI},
		{".000001Ki", "1024u", DecimalSI},
		{".000000001Ki", "1024n", DecimalSI},
		{".000000000001Ki", "2n", DecimalSI},
		{"9Ei", "9223372036854775807", BinarySI},
		{"9223372036854775807Ki", "9223372036854775807", BinarySI},
		// Decimal suffixes.
		{"5n", "5n", DecimalSI},
		{"4u", "4u", DecimalSI},
		{"3m", "3m", DecimalSI},
		{"8k", "8k", DecimalSI},
		{"50k", "50k", DecimalSI},
		{"1000M", "1G", DecimalSI},
		{"40T", "40T", DecimalSI},
		{"2P", "2P", DecimalSI},
		{"1E", "1E", DecimalSI},
		{"12E", "12E", DecimalSI},
		{"100.035k", "100035", DecimalSI},
		{"10.035M", "10035k", DecimalSI},
		{"7.123456M", "7123456", DecimalSI},
		{"6.987654321G", "6987654321", DecimalSI},
		{"1.01E", "1010P", DecimalSI},
		{"0.001", "1m", DecimalSI},
		{"0.0005k", "500m", DecimalSI},
		{"0.05", "50m", DecimalSI},
		{"1.08", "1080m", DecimalSI},
		{"1.", "1", DecimalSI},
		{"1.G", "1G", DecimalSI},
		{".0001k", "100m", DecimalSI},
		// Exponents.
		{"1E-3", "1e-3", DecimalExponent},
		{"1E6", "1e6", DecimalExponent},
		{"1e14", "100e12", DecimalExponent},
		{"1.2e3", "1200", DecimalExponent},
		{"1.5e3", "1500", DecimalExponent},
		{"1.3E+6", "1300e3", DecimalExponent},
		{"0.5e-1", "50e-3", DecimalExponent},
		{"80e-3", "80e-3", DecimalExponent},
		// Rounding up to whole nano units.
		{"3.001n", "4n", DecimalSI},
		{"1.1E-9", "2e-9", DecimalExponent},
		{"0.0000000001", "1n", DecimalSI},
		{"0.00000012345", "124n", DecimalSI},
		{"0.1m", "100u", DecimalSI},
		{"1e-12", "1e-9", DecimalExponent},
		{"-0.1m", "-100u", DecimalSI},
		// Signs.
		{"-1.5", "-1500m", DecimalSI},
		{"+5", "5", DecimalSI},
		{"-1Gi", "-1Gi", BinarySI},
		{"05", "5", DecimalSI},
		// Beyond int64 mantissas.
		{"12345678901234567890123", "12345678901234567890123", DecimalSI},
		{"1234567890123456789.5", "1234567890123456789500m", DecimalSI},
		{"1000E", "1e21", DecimalSI},
		{"1e9999", "1e9999", DecimalExponent},
		{"1e-99999999999999999999", "1e-9", DecimalExponent},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := ParseQuantity(tt.in)
			if err != nil {
				t.Fatalf("ParseQuantity(%q): %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("ParseQuantity(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			if q.Format != tt.format {
				t.Errorf("ParseQuantity(%q).Format = %v, want %v", tt.in, q.Format, tt.format)
			}
			back, err := ParseQuantity(q.String())
			if err != nil || back.Cmp(q) != 0 {
				t.Errorf("re-parsing %q gave %v, %v", q.String(), back, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrFormatWrong},
		{"1.1.M", ErrFormatWrong},
		{"1+1.0M", ErrFormatWrong},
		{"aoeu", ErrFormatWrong},
		{" 1", ErrFormatWrong},
		{"1 ", ErrFormatWrong},
		{".", ErrFormatWrong},
		{"-", ErrFormatWrong},
		{"-3.01e-", ErrSuffix},
		{"0.1mi", ErrSuffix},
		{"0.1am", ErrFormatWrong},
		{".5i", ErrSuffix},
		{"1i", ErrSuffix},
		{"1ki", ErrSuffix},
		{"1e", ErrSuffix},
		{"1KB", ErrFormatWrong},
		{"1e10000", ErrTooLarge},
		{"1e99999999999999999999", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseQuantity(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseQuantity(%q) = %v, want %v", tt.in, err, tt.want)
			}
			if !strings.Contains(err.Error(), `"`+tt.in+`"`) {
				t.Errorf("error %q does not quote the input", err)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustParse did not panic")
		}
	}()
	MustParse("not a number")
}

func TestCmp(t *testing.T) {
	tests := []struct {
		x, y string
		want int
	}{
		{"0", "0", 0},
		{"100m", "50m", 1},
		{"50m", "100m", -1},
		{"10000T", "100Gi", 1},
		{"1Ki", "1024", 0},
		{"1000m", "1", 0},
		{"1.5", "1500m", 0},
		{"1Gi", "1G", 1},
		{"-1", "1", -1},
		{"-2", "-1", -1},
		{"1n", "0", 1},
		{"0.1n", "1n", 0},
		{"9223372036854775807", "9223372036854775808", -1},
		{"99999999999999999999", "1E", 1},
		{"-99999999999999999999", "-1E", -1},
		{"1e9999", "1", 1},
		{"1", "1e9999", -1},
		{"123456789012345678901", "123456789012345678902", -1},
		{"1e30", "1000000000000000000000000000000", 0},
		{"8Ei", "9223372036854775807", 0},
	}
	for _, tt := range tests {
		x, y := MustParse(tt.x), MustParse(tt.y)
		if got := x.Cmp(y); got != tt.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
		if got := y.Cmp(x); got != -tt.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tt.y, tt.x, got, -tt.want)
		}
		if x.Equal(y) != (tt.want == 0) {
			t.Errorf("%s.Equal(%s) = %v", tt.x, tt.y, x.Equal(y))
		}
	}
}

func TestAddSub(t *testing.T) {
	tests := []struct {
		x, y      string
		sum, diff string
	}{
		{"1", "500m", "1500m", "500m"},
		{"1Gi", "512Mi", "1536Mi", "512Mi"},
		{"100m", "0", "100m", "100m"},
		{"0", "1Gi", "1Gi", "-1Gi"},
		{"1", "1n", "1000000001n", "999999999n"},
		{"9223372036854775807", "1", "9223372036854775808", "9223372036854775806"},
		{"-9223372036854775807", "2", "-9223372036854775805", "-9223372036854775809"},
		{"1E", "1n", "1000000000000000000000000001n", "999999999999999999999999999n"},
		{"12345678901234567890123", "-12345678901234567890123", "0", "24691357802469135780246"},
		{"1.5", "-1.5", "0", "3"},
	}
	for _, tt := range tests {
		x, y := MustParse(tt.x), MustParse(tt.y)
		s := x
		s.Add(y)
		if got := s.String(); got != tt.sum {
			t.Errorf("%s + %s = %s, want %s", tt.x, tt.y, got, tt.sum)
		}
		d := x
		d.Sub(y)
		if got := d.String(); got != tt.diff {
			t.Errorf("%s - %s = %s, want %s", tt.x, tt.y, got, tt.diff)
		}
		// x + y - y == x exactly.
		s.Sub(y)
		if s.Cmp(x) != 0 {
			t.Errorf("%s + %s - %s = %s", tt.x, tt.y, tt.y, s.String())
		}
	}
}

func TestAddKeepsFormat(t *testing.T) {
	for _, v := range []string{"100m", "1Gi", "1e3"} {
		zero := MustParse("0")
		zero.Add(MustParse(v))
		if zero.String() != v {
			t.Errorf("0 + %s = %s", v, zero.String())
		}
		q := MustParse(v)
		q.Add(MustParse("0"))
		if q.String() != v {
			t.Errorf("%s + 0 = %s", v, q.String())
		}
	}
	// A non-zero receiver keeps its own format.
	q := MustParse("1Gi")
	q.Add(MustParse("1G"))
	if q.Format != BinarySI || q.String() != "2073741824" {
		t.Errorf("1Gi + 1G = %s (%v)", q.String(), q.Format)
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		in           string
		value, milli int64
	}{
		{"0", 0, 0},
		{"1", 1, 1000},
		{"500m", 1, 500},
		{"1.5", 2, 1500},
		{"-1.5", -2, -1500},
		{"1n", 1, 1},
		{"-1n", -1, -1},
		{"1Gi", 1 << 30, 1 << 30 * 1000},
		{"1e3", 1000, 1000000},
		{"9223372036854775807", math.MaxInt64, math.MaxInt64},
		{"1E", 1000000000000000000, math.MaxInt64},
		{"100E", math.MaxInt64, math.MaxInt64},
		{"-100E", math.MinInt64, math.MinInt64},
		{"12345678901234567890.5", math.MaxInt64, math.MaxInt64},
		{"1e9999", math.MaxInt64, math.MaxInt64},
		{"1234567890123456789012n", 1234567890124, 1234567890123457},
	}
	for _, tt := range tests {
		q := MustParse(tt.in)
		if got := q.Value(); got != tt.value {
			t.Errorf("%s.Value() = %d, want %d", tt.in, got, tt.value)
		}
		if got := q.MilliValue(); got != tt.milli {
			t.Errorf("%s.MilliValue() = %d, want %d", tt.in, got, tt.milli)
		}
	}
	if got := MustParse("1.5G").ScaledValue(Mega); got != 1500 {
		t.Errorf("1.5G.ScaledValue(Mega) = %d", got)
	}
}

func TestAsInt64(t *testing.T) {
	for in, want := range map[string]bool{"1": true, "1Gi": true, "1.5": false, "100E": false, "1E": true, "1n": false} {
		if _, ok := MustParse(in).AsInt64(); ok != want {
			t.Errorf("%s.AsInt64() ok = %v, want %v", in, ok, want)
		}
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		q    *Quantity
		want string
	}{
		{NewQuantity(5, DecimalSI), "5"},
		{NewQuantity(1024, BinarySI), "1Ki"},
		{NewQuantity(5, BinarySI), "5"},
		{NewQuantity(1000, DecimalExponent), "1e3"},
		{NewQuantity(0, BinarySI), "0"},
		{NewQuantity(math.MinInt64, DecimalSI), "-9223372036854775808"},
		{NewMilliQuantity(1500, DecimalSI), "1500m"},
		{NewMilliQuantity(1000, DecimalSI), "1"},
		{NewMilliQuantity(500, BinarySI), "500m"},
		{NewMilliQuantity(2048000, BinarySI), "2Ki"},
		{NewScaledQuantity(5, Giga), "5G"},
		{NewScaledQuantity(5, -12), "1n"},
	}
	for _, tt := range tests {
		if got := tt.q.String(); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
	var q Quantity
	q.SetMilli(250)
	if q.String() != "250m" {
		t.Errorf("SetMilli(250) = %s", q.String())
	}
	q.Set(3)
	if q.String() != "3" {
		t.Errorf("Set(3) = %s", q.String())
	}
	q.Neg()
	if q.String() != "-3" {
		t.Errorf("Neg = %s", q.String())
	}
}

func TestRoundUp(t *testing.T) {
	tests := []struct {
		in    string
		scale Scale
		want  string
		exact bool
	}{
		{"1n", Milli, "1m", false},
		{"1500u", Milli, "2m", false},
		{"-1500u", Milli, "-2m", false},
		{"1.5", 0, "2", false},
		{"100m", Milli, "100m", true},
		{"1Gi", 0, "1Gi", true},
		{"12345678901234567890123n", Milli, "12345678901234568m", false},
	}
	for _, tt := range tests {
		q := MustParse(tt.in)
		exact := q.RoundUp(tt.scale)
		if q.String() != tt.want || exact != tt.exact {
			t.Errorf("%s.RoundUp(%d) = %s, %v; want %s, %v", tt.in, tt.scale, q.String(), exact, tt.want, tt.exact)
		}
	}
}

func TestJSON(t *testing.T) {
	type holder struct {
		Q  Quantity  `json:"q"`
		P  *Quantity `json:"p,omitempty"`
		OZ Quantity  `json:"oz,omitzero"`
	}
	tests := []struct {
		in, out string
	}{
		{`{"q":"500m"}`, `{"q":"500m"}`},
		{`{"q":"1.5"}`, `{"q":"1500m"}`},
		{`{"q":1.5}`, `{"q":"1500m"}`},
		{`{"q":2}`, `{"q":"2"}`},
		{`{"q":-2}`, `{"q":"-2"}`},
		{`{"q":1e3}`, `{"q":"1e3"}`},
		{`{"q":" 1Gi "}`, `{"q":"1Gi"}`},
		{`{"q":null}`, `{"q":"0"}`},
		{`{"q":"0","p":"1Mi","oz":"0"}`, `{"q":"0","p":"1Mi"}`},
		{`{"q":"1","oz":"2"}`, `{"q":"1","oz":"2"}`},
		{`{"q":"\u0031Ki"}`, `{"q":"1Ki"}`},
	}
	for _, tt := range tests {
		var h holder
		if err := json.Unmarshal([]byte(tt.in), &h); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		out, err := json.Marshal(h)
		if err != nil || string(out) != tt.out {
			t.Errorf("round trip of %s = %s, %v; want %s", tt.in, out, err, tt.out)
		}
	}
	for _, bad := range []string{`{"q":"1x"}`, `{"q":true}`, `{"q":{}}`} {
		var h holder
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

func TestMapValue(t *testing.T) {
	m := map[string]Quantity{"cpu": MustParse("1"), "memory": MustParse("1Gi")}
	if m["cpu"].Cmp(MustParse("1000m")) != 0 || m["memory"].String() != "1Gi" {
		t.Fatal("map values lost")
	}
	v := m["cpu"]
	v.Add(MustParse("500m"))
	m["cpu"] = v
	if m["cpu"].String() != "1500m" {
		t.Fatalf("cpu = %s", m["cpu"].String())
	}
	// Equal values in one format are == (the representation is normalized).
	if MustParse("1") != MustParse("1000m") || MustParse("1Ki") == MustParse("1024") {
		t.Fatal("normalization broken")
	}
}

func TestDeepCopyIndependent(t *testing.T) {
	q := MustParse("12345678901234567890123")
	c := q.DeepCopy()
	q.Add(MustParse("1"))
	if c.String() != "12345678901234567890123" {
		t.Fatalf("copy changed: %s", c.String())
	}
	var out Quantity
	q.DeepCopyInto(&out)
	if out.Cmp(q) != 0 {
		t.Fatal("DeepCopyInto differs")
	}
}

func TestAsApproximateFloat64(t *testing.T) {
	for in, want := range map[string]float64{"1.5": 1.5, "1Gi": 1 << 30, "100m": 0.1, "-2k": -2000, "1e9999": math.Inf(1)} {
		if got := MustParse(in).AsApproximateFloat64(); got != want {
			t.Errorf("%s.AsApproximateFloat64() = %v, want %v", in, got, want)
		}
	}
}

func TestFormatString(t *testing.T) {
	if DecimalSI.String() != "DecimalSI" || BinarySI.String() != "BinarySI" ||
		DecimalExponent.String() != "DecimalExponent" || Format(9).String() != "Format(9)" {
		t.Fatal("Format.String")
	}
}
