package labels

import (
	"errors"
	"slices"
	"strconv"
	"testing"
)

// fuzzSeeds are selector strings, valid and not, to start FuzzParse from.
var fuzzSeeds = []string{
	"", " ", "x", "!x", "x=a", "x==a", "x!=a", "x=", "x in (a,b)", "x notin (a)", "x in ()",
	"x in (,a,)", "x>1", "x<-1", "x>01", "in in (in,notin)", "a=b,c!=d,e in (x,y),f notin (z),g,!h",
	"x=a,", "x in", "x in (", "!x=y", "a in (b,c),a notin (b)", "example.com/app=web", "x=a b",
	"x\x00=a", "x in ((a))", "! x", "b,a,b", "x===a", "x>=1", "a/b/c", "ü", "x=a\ty",
}

// FuzzParse checks that Parse never panics, that its errors are *ParseError with a position in
// the input, and that every selector it accepts survives String and Parse unchanged: the same
// canonical string, the same requirements, and the same answers on label sets made to probe
// each requirement.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Input != s || pe.Pos < 0 || pe.Pos > len(s) {
				t.Fatalf("Parse(%q): bad error %#v", s, err)
			}
			return
		}
		str := sel.String()
		again, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", s, str, err)
		}
		if again.String() != str {
			t.Fatalf("Parse(%q) = %q, but Parse of that = %q", s, str, again.String())
		}
		if !equalSelectors(sel, again) {
			t.Fatalf("Parse(%q) and Parse(%q) have different requirements", s, str)
		}
		reqs, _ := sel.Requirements()
		if !slices.IsSortedFunc(reqs, func(a, b Requirement) int { return compareStrings(a.key, b.key) }) {
			t.Fatalf("requirements of %q are not sorted by key", str)
		}
		for _, ls := range probeSets(reqs) {
			want := referenceMatches(reqs, ls)
			if got := sel.Matches(ls); got != want {
				t.Fatalf("%q.Matches(%v) = %v, reference says %v", str, ls, got, want)
			}
			if got := again.Matches(ls); got != want {
				t.Fatalf("re-parsed %q.Matches(%v) = %v, reference says %v", str, ls, got, want)
			}
			if got := sel.Matches(otherLabels(ls)); got != want {
				t.Fatalf("%q.Matches(otherLabels %v) = %v, reference says %v", str, ls, got, want)
			}
		}
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// probeSets returns label sets that exercise each requirement: the key absent, present with
// each of its values, with a value none of them has, and around the bound of > and <.
func probeSets(reqs []Requirement) []Set {
	var keys []string
	cands := map[string][]*string{}
	str := func(s string) *string { return &s }
	for _, r := range reqs {
		if _, ok := cands[r.key]; !ok {
			keys = append(keys, r.key)
			cands[r.key] = []*string{nil, str(""), str("zz-other")}
		}
		for _, v := range r.values {
			cands[r.key] = append(cands[r.key], str(v), str(v+"x"))
			if n, ok := parseInt64(v); ok {
				cands[r.key] = append(cands[r.key], str(strconv.FormatInt(n-1, 10)), str(strconv.FormatInt(n+1, 10)))
			}
		}
	}
	const n = 24
	sets := make([]Set, 0, n)
	for j := range n {
		ls := Set{"unrelated": "label"}
		for i, k := range keys {
			c := cands[k]
			if v := c[(j*(i+1)+j/len(c)+i)%len(c)]; v != nil {
				ls[k] = *v
			}
		}
		sets = append(sets, ls)
	}
	return sets
}

// referenceMatches is the plain reading of ../shared/spec/objects.md §3, kept deliberately
// naive so that it can check the real Matches.
func referenceMatches(reqs []Requirement, ls Set) bool {
	for _, r := range reqs {
		v, ok := ls[r.key]
		var m bool
		switch r.operator {
		case Equals, DoubleEquals, In:
			m = ok && slices.Contains(r.values, v)
		case NotEquals, NotIn:
			m = !ok || !slices.Contains(r.values, v)
		case Exists:
			m = ok
		case DoesNotExist:
			m = !ok
		case GreaterThan, LessThan:
			have, err1 := strconv.ParseInt(v, 10, 64)
			bound, err2 := strconv.ParseInt(r.values[0], 10, 64)
			m = ok && err1 == nil && err2 == nil && (r.operator == GreaterThan && have > bound || r.operator == LessThan && have < bound)
		}
		if !m {
			return false
		}
	}
	return true
}

func TestProbeSetsCoverAbsentAndPresent(t *testing.T) {
	sel, _ := Parse("x in (a,b),y>3")
	reqs, _ := sel.Requirements()
	var absent, present, match bool
	for _, ls := range probeSets(reqs) {
		_, ok := ls["x"]
		absent = absent || !ok
		present = present || ok
		match = match || sel.Matches(ls)
	}
	if !absent || !present || !match {
		t.Errorf("probe sets do not cover the cases: absent %v present %v match %v", absent, present, match)
	}
}
