package validation

import (
	"regexp"
	"strings"
	"testing"
)

// nameMatchers pairs each hand-written matcher with the regular expression its message quotes.
var nameMatchers = []struct {
	name  string
	match func(string) bool
	re    *regexp.Regexp
}{
	{"dns1123Label", matchesDNS1123Label, regexp.MustCompile("^" + dns1123LabelFmt + "$")},
	{"dns1123Subdomain", matchesDNS1123Subdomain, regexp.MustCompile("^" + dns1123SubdomainFmt + "$")},
	{"dns1035Label", matchesDNS1035Label, regexp.MustCompile("^" + dns1035LabelFmt + "$")},
	{"qualifiedName", matchesQualifiedName, regexp.MustCompile("^" + qualifiedNameFmt + "$")},
}

// TestMatchersAgreeWithPatterns checks the matchers against the patterns on every string of up
// to four characters over an alphabet that covers each character class, and on a few longer
// ones.
func TestMatchersAgreeWithPatterns(t *testing.T) {
	const alphabet = "az09AZ-_./ \n\u00e9"
	values := []string{""}
	for n, prev := 0, []string{""}; n < 4; n++ {
		var next []string
		for _, p := range prev {
			for _, c := range alphabet {
				next = append(next, p+string(c))
			}
		}
		values = append(values, next...)
		prev = next
	}
	values = append(values, "example.com", "a.b.c", "a..b", ".a", "a.", "my-name.example-1.com", "a\n",
		strings.Repeat("a", 64), strings.Repeat("a.", 130)+"a")
	for _, m := range nameMatchers {
		for _, v := range values {
			if got, want := m.match(v), m.re.MatchString(v); got != want {
				t.Errorf("%s(%q) = %v, the pattern says %v", m.name, v, got, want)
			}
		}
	}
}

func FuzzMatchers(f *testing.F) {
	for _, s := range []string{"", "a", "a.b", "example.com/App_1", "-a", "a-", "a..b", "A", "1abc", "a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, m := range nameMatchers {
			if got, want := m.match(v), m.re.MatchString(v); got != want {
				t.Errorf("%s(%q) = %v, the pattern says %v", m.name, v, got, want)
			}
		}
	})
}
