package fields

import (
	"errors"
	"slices"
	"testing"
)

// FuzzParseSelector checks that ParseSelector never panics, that its errors are *ParseError
// with a position in the input, and that every selector it accepts survives String and
// ParseSelector unchanged: the same canonical string, the same requirements, and the same
// answers on field sets made to probe each term. It also checks that any string, used as a
// value, survives escaping.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{
		"", ",", "metadata.name=web", "a==b", "a!=b", "a=b,c!=d", `a=x\,y\=z\\`, "a=b, c = d", "a=",
		"=b", "a", "a=b=c", `a=b\`, `a=b\x`, "a b=c", "a!b=c", "a!==b", "a=!b", "a=b,,c=d,", "\x00=\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Any value survives EscapeValue, String and ParseSelector.
		if got, err := UnescapeValue(EscapeValue(s)); err != nil || got != s {
			t.Fatalf("UnescapeValue(EscapeValue(%q)) = %q, %v", s, got, err)
		}
		one := OneTermEqualSelector("f", s)
		if back, err := ParseSelector(one.String()); err != nil {
			t.Fatalf("ParseSelector(%q): %v", one.String(), err)
		} else if v, ok := back.RequiresExactMatch("f"); !ok || (v != s && !hasOuterSpace(s)) {
			t.Fatalf("value %q came back as %q", s, v)
		}

		sel, err := ParseSelector(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Input != s || pe.Pos < 0 || pe.Pos > len(s) {
				t.Fatalf("ParseSelector(%q): bad error %#v", s, err)
			}
			return
		}
		str := sel.String()
		again, err := ParseSelector(str)
		if err != nil {
			t.Fatalf("ParseSelector(%q) = %q, which does not parse: %v", s, str, err)
		}
		if again.String() != str {
			t.Fatalf("ParseSelector(%q) = %q, but ParseSelector of that = %q", s, str, again.String())
		}
		reqs := sel.Requirements()
		if !equalRequirements(reqs, again.Requirements()) {
			t.Fatalf("requirements differ after the round trip of %q", str)
		}
		if !slices.IsSortedFunc(reqs, compare) {
			t.Fatalf("requirements of %q are not in canonical order", str)
		}
		for _, fs := range probeFields(reqs) {
			want := referenceMatches(reqs, fs)
			if got := sel.Matches(fs); got != want {
				t.Fatalf("%q.Matches(%v) = %v, reference says %v", str, fs, got, want)
			}
			if got := again.Matches(otherFields(fs)); got != want {
				t.Fatalf("re-parsed %q.Matches(%v) = %v, reference says %v", str, fs, got, want)
			}
		}
	})
}

// hasOuterSpace reports whether s starts or ends with white space, which ParseSelector trims
// from values.
func hasOuterSpace(s string) bool {
	return s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1]))
}

// probeFields returns field sets that have each term's field absent, equal to its value, and
// different from it.
func probeFields(reqs []Requirement) []Set {
	var fieldNames []string
	cands := map[string][]*string{}
	str := func(s string) *string { return &s }
	for _, r := range reqs {
		if _, ok := cands[r.Field]; !ok {
			fieldNames = append(fieldNames, r.Field)
			cands[r.Field] = []*string{nil, str("")}
		}
		cands[r.Field] = append(cands[r.Field], str(r.Value), str(r.Value+"x"))
	}
	sets := make([]Set, 0, 16)
	for j := range 16 {
		fs := Set{"unrelated": "field"}
		for i, f := range fieldNames {
			c := cands[f]
			if v := c[(j*(i+1)+j/len(c)+i)%len(c)]; v != nil {
				fs[f] = *v
			}
		}
		sets = append(sets, fs)
	}
	return sets
}

// referenceMatches is the plain reading of the semantics: a missing field reads as "".
func referenceMatches(reqs []Requirement, fs Set) bool {
	for _, r := range reqs {
		v := fs[r.Field]
		if (r.Operator == Equals) != (v == r.Value) {
			return false
		}
	}
	return true
}
