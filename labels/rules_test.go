package labels

import (
	"strconv"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/validation"
)

// ruleSamples are strings at the edges of the key and value rules.
var ruleSamples = []string{
	"", "a", "A", "0", "-", "_", ".", "/", "a/", "/a", "a/b", "a/b/c", "a-b", "a_b", "a.b", "-a", "a-",
	"_a", "a_", ".a", "a.", "a b", "a\x00", "ü", "example.com/x", "Example.com/x", "ex_ample.com/x",
	"example..com/x", "example.com./x", ".example.com/x", "-ex.com/x", "ex-.com/x", "e-x.com/X_y.z",
	"123/abc", "a/-b", strings.Repeat("a", 63), strings.Repeat("a", 64),
	strings.Repeat("p", 253) + "/a", strings.Repeat("p", 254) + "/a",
	strings.Repeat("p", 63) + "." + strings.Repeat("q", 100) + "/n",
}

func TestRulesAgreeWithValidation(t *testing.T) {
	for _, s := range ruleSamples {
		checkRules(t, s)
	}
}

func checkRules(t *testing.T, s string) {
	t.Helper()
	if got, want := isKey(s), len(validation.IsQualifiedName(s)) == 0; got != want {
		t.Errorf("isKey(%q) = %v, validation.IsQualifiedName says %v", s, got, want)
	}
	if got, want := isValue(s), len(validation.IsValidLabelValue(s)) == 0; got != want {
		t.Errorf("isValue(%q) = %v, validation.IsValidLabelValue says %v", s, got, want)
	}
	if got, want := isDNS1123Subdomain(s), len(validation.IsDNS1123Subdomain(s)) == 0; got != want {
		t.Errorf("isDNS1123Subdomain(%q) = %v, validation says %v", s, got, want)
	}
}

var intSamples = []string{
	"", "0", "-0", "+0", "1", "-1", "+", "-", "01", "1a", "a1", " 1", "1 ", "1.0", "0x10", "1_000",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"99999999999999999999", "+9223372036854775807", "--1", "+-1",
}

func TestParseInt64(t *testing.T) {
	for _, s := range intSamples {
		checkInt(t, s)
	}
}

func checkInt(t *testing.T, s string) {
	t.Helper()
	want, err := strconv.ParseInt(s, 10, 64)
	got, ok := parseInt64(s)
	if ok != (err == nil) || (ok && got != want) {
		t.Errorf("parseInt64(%q) = %d, %v; strconv says %d, %v", s, got, ok, want, err)
	}
}

// FuzzRules holds the allocation-free checks to the rules of api/validation and strconv.
func FuzzRules(f *testing.F) {
	for _, s := range append(ruleSamples, intSamples...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkRules(t, s)
		checkInt(t, s)
	})
}
