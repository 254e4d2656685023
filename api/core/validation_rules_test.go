package core

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCharacterRulesAgreeWithPatterns holds the hand-written character rules to the regular
// expressions their messages quote, on every string of up to three characters over an
// alphabet that covers each class, and on a few longer ones.
func TestCharacterRulesAgreeWithPatterns(t *testing.T) {
	const alphabet = "az09AZ-_./ \n\u00e9"
	values := []string{"", "http", "my-port", "a--b", "-a", "KEY_NAME", "key.name", "X-Header-Name", "\xff"}
	for n, prev := 0, []string{""}; n < 3; n++ {
		var next []string
		for _, p := range prev {
			for _, c := range alphabet {
				next = append(next, p+string(c))
			}
		}
		values = append(values, next...)
		prev = next
	}
	rules := []struct {
		name string
		rule func(string) bool
		re   *regexp.Regexp
	}{
		{"port name chars", func(s string) bool { return consistsOf(s, isPortNameChar) }, regexp.MustCompile("^[-a-z0-9]+$")},
		{"port name letter", func(s string) bool { return strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") }, regexp.MustCompile("[a-z]")},
		{"config key", func(s string) bool { return consistsOf(s, isConfigKeyChar) }, regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)},
		{"HTTP header name", func(s string) bool { return consistsOf(s, isHTTPHeaderNameChar) }, regexp.MustCompile(`^[-A-Za-z0-9]+$`)},
	}
	for _, r := range rules {
		for _, v := range values {
			if got, want := r.rule(v), r.re.MatchString(v); got != want {
				t.Errorf("%s(%q) = %v, the pattern says %v", r.name, v, got, want)
			}
		}
	}
}

func TestNameSet(t *testing.T) {
	for _, n := range []int{0, 1, 8, 9, 40} {
		var s nameSet
		var added []string
		for i := range n {
			name := strings.Repeat("x", i%20) + string(rune('a'+i%26))
			s.add(name)
			s.add(name)
			added = append(added, name)
		}
		c := s.clone()
		c.add("only-in-clone")
		for _, name := range added {
			if !s.has(name) || !c.has(name) {
				t.Errorf("n=%d: %q missing", n, name)
			}
		}
		if s.has("only-in-clone") || s.has("") || slices.Contains(added, "only-in-clone") {
			t.Errorf("n=%d: the clone shares memory with the set, or the set has names never added", n)
		}
	}
}
