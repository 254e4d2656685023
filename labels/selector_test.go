package labels

import (
	"strings"
	"testing"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		sel    string
		labels Set
		want   bool
	}{
		{"", nil, true},
		{"", Set{"x": "y"}, true},
		{"x=y", Set{"x": "y"}, true},
		{"x=y", Set{"x": "y", "z": "w"}, true},
		{"x=y", Set{"x": "z"}, false},
		{"x=y", nil, false},
		{"x=", Set{"x": ""}, true},
		{"x=", nil, false},
		{"x==y", Set{"x": "y"}, true},
		{"x==y", Set{"x": "Y"}, false},
		{"x!=y", Set{"x": "y"}, false},
		{"x!=y", Set{"x": "z"}, true},
		{"x!=y", nil, true},
		{"x!=", Set{"x": ""}, false},
		{"x!=", nil, true},
		{"x", Set{"x": ""}, true},
		{"x", Set{"x": "y"}, true},
		{"x", Set{"y": "x"}, false},
		{"!x", Set{"x": ""}, false},
		{"!x", Set{"y": "x"}, true},
		{"!x", nil, true},
		{"x in (a,b)", Set{"x": "a"}, true},
		{"x in (a,b)", Set{"x": "b"}, true},
		{"x in (a,b)", Set{"x": "c"}, false},
		{"x in (a,b)", nil, false},
		{"x in ()", Set{"x": ""}, true},
		{"x in ()", Set{"x": "a"}, false},
		{"x in (,a)", Set{"x": ""}, true},
		{"x notin (a,b)", Set{"x": "a"}, false},
		{"x notin (a,b)", Set{"x": "c"}, true},
		{"x notin (a,b)", nil, true},
		{"x>1", Set{"x": "2"}, true},
		{"x>1", Set{"x": "1"}, false},
		{"x>1", Set{"x": "0"}, false},
		{"x>1", Set{"x": "a"}, false},
		{"x>1", Set{"x": ""}, false},
		{"x>1", nil, false},
		{"x>1", Set{"x": "-5"}, false},
		{"x<1", Set{"x": "-5"}, true},
		{"x<1", Set{"x": "+0"}, true},
		{"x<1", Set{"x": "99999999999999999999"}, false},
		{"x<1", Set{"x": "1"}, false},
		{"x>9223372036854775806", Set{"x": "9223372036854775807"}, true},
		{"x in (a),x notin (a)", Set{"x": "a"}, false},
		{"x in (a,b),x notin (a)", Set{"x": "b"}, true},
		{"x=a,y=b", Set{"x": "a", "y": "b"}, true},
		{"x=a,y=b", Set{"x": "a"}, false},
		{"x=a,!y", Set{"x": "a"}, true},
		{"x=a,!y", Set{"x": "a", "y": ""}, false},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", Set{"a": "b", "e": "x", "g": ""}, true},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", Set{"a": "b", "c": "d", "e": "x", "g": ""}, false},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", Set{"a": "b", "e": "x", "f": "z", "g": ""}, false},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", Set{"a": "b", "e": "x"}, false},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", Set{"a": "b", "e": "x", "g": "", "h": "1"}, false},
		{"x in (a,b,c,d,e,f,g,h,i,j,k)", Set{"x": "k"}, true},
		{"x in (a,b,c,d,e,f,g,h,i,j,k)", Set{"x": "a"}, true},
		{"x in (a,b,c,d,e,f,g,h,i,j,k)", Set{"x": "f"}, true},
		{"x in (a,b,c,d,e,f,g,h,i,j,k)", Set{"x": "z"}, false},
		{"x notin (a,b,c,d,e,f,g,h,i,j,k)", Set{"x": "j"}, false},
	}
	for _, tt := range tests {
		sel, err := Parse(tt.sel)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.sel, err)
		}
		if got := sel.Matches(tt.labels); got != tt.want {
			t.Errorf("%q.Matches(%v) = %v, want %v", tt.sel, tt.labels, got, tt.want)
		}
		// The same through a Labels that is not a Set.
		if got := sel.Matches(otherLabels(tt.labels)); got != tt.want {
			t.Errorf("%q.Matches(otherLabels %v) = %v, want %v", tt.sel, tt.labels, got, tt.want)
		}
	}
}

// otherLabels implements Labels without being a Set, to exercise the generic path.
type otherLabels map[string]string

func (o otherLabels) Has(k string) bool   { _, ok := o[k]; return ok }
func (o otherLabels) Get(k string) string { return o[k] }

func TestMatchesNilLabels(t *testing.T) {
	for _, s := range []string{"", "x", "!x", "x!=a", "x=a"} {
		sel, _ := Parse(s)
		want := s == "" || s == "!x" || s == "x!=a"
		if got := sel.Matches(nil); got != want {
			t.Errorf("%q.Matches(nil) = %v, want %v", s, got, want)
		}
	}
}

func TestEverythingNothing(t *testing.T) {
	e, n := Everything(), Nothing()
	if !e.Empty() || e.String() != "" || !e.Matches(Set{"a": "b"}) || !e.Matches(nil) {
		t.Errorf("Everything: Empty %v String %q", e.Empty(), e.String())
	}
	if reqs, ok := e.Requirements(); !ok || len(reqs) != 0 {
		t.Errorf("Everything().Requirements() = %v, %v", reqs, ok)
	}
	if n.Empty() || n.Matches(Set{}) || n.Matches(nil) || n.Matches(Set{"a": "b"}) {
		t.Errorf("Nothing matches or is empty")
	}
	if reqs, ok := n.Requirements(); ok || reqs != nil {
		t.Errorf("Nothing().Requirements() = %v, %v", reqs, ok)
	}
	if n.String() != "<nothing>" {
		t.Errorf("Nothing().String() = %q", n.String())
	}
	if _, err := Parse(n.String()); err == nil {
		t.Errorf("Parse(Nothing().String()) succeeded; it must not turn into Everything")
	}
	r := mustRequirement(t, "a", Exists)
	if got := n.Add(r); got.Matches(Set{"a": ""}) || got.String() != "<nothing>" {
		t.Errorf("Nothing().Add(...) = %q", got)
	}
	if _, ok := n.RequiresExactMatch("a"); ok {
		t.Errorf("Nothing().RequiresExactMatch found a value")
	}
	if got := e.Add(r); got.String() != "a" || !got.Matches(Set{"a": ""}) {
		t.Errorf("Everything().Add(a) = %q", got)
	}
	if got := NewSelector(); !got.Empty() {
		t.Errorf("NewSelector() not empty")
	}
}

func TestAdd(t *testing.T) {
	base, err := Parse("m=1,b")
	if err != nil {
		t.Fatal(err)
	}
	got := base.Add(
		mustRequirement(t, "z", In, "2", "1"),
		mustRequirement(t, "b", DoesNotExist),
		mustRequirement(t, "a", NotEquals, "x"),
	)
	if want := "a!=x,b,!b,m=1,z in (1,2)"; got.String() != want {
		t.Errorf("Add: %q, want %q", got, want)
	}
	if base.String() != "b,m=1" {
		t.Errorf("Add modified its receiver: %q", base)
	}
	if base.Add().String() != base.String() {
		t.Errorf("Add() changed the selector")
	}
	// Adding to a selector from a validated set converts it.
	vs := SelectorFromValidatedSet(Set{"b": "1"}).Add(mustRequirement(t, "a", Exists))
	if vs.String() != "a,b=1" || !vs.Matches(Set{"a": "", "b": "1"}) || vs.Matches(Set{"b": "1"}) {
		t.Errorf("validated set Add: %q", vs)
	}
}

func TestRequirementsIsACopy(t *testing.T) {
	sel, _ := Parse("a=1,b=2")
	reqs, _ := sel.Requirements()
	reqs[0] = mustRequirement(t, "zzz", Exists)
	if sel.String() != "a=1,b=2" {
		t.Errorf("modifying Requirements() changed the selector: %q", sel)
	}
	vals := reqs[1].Values()
	vals[0] = "changed"
	if reqs[1].String() != "b=2" {
		t.Errorf("modifying Values() changed the requirement")
	}
}

func TestRequiresExactMatch(t *testing.T) {
	tests := []struct {
		sel, key string
		want     string
		found    bool
	}{
		{"", "a", "", false},
		{"a=1", "a", "1", true},
		{"a==1", "a", "1", true},
		{"a in (1)", "a", "1", true},
		{"a in (1,2)", "a", "", false},
		{"a notin (1)", "a", "", false},
		{"a!=1", "a", "", false},
		{"a", "a", "", false},
		{"!a", "a", "", false},
		{"a>1", "a", "", false},
		{"a=1", "b", "", false},
		{"b=2,a=1", "a", "1", true},
		{"a!=x,a=y", "a", "y", true},
		{"a=", "a", "", true},
	}
	for _, tt := range tests {
		sel, err := Parse(tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		got, found := sel.RequiresExactMatch(tt.key)
		if got != tt.want || found != tt.found {
			t.Errorf("%q.RequiresExactMatch(%q) = %q, %v; want %q, %v", tt.sel, tt.key, got, found, tt.want, tt.found)
		}
	}
}

func TestSelectorFromSet(t *testing.T) {
	set := Set{"b": "2", "a": "1", "example.com/c": ""}
	for name, sel := range map[string]Selector{
		"SelectorFromSet":          SelectorFromSet(set),
		"SelectorFromValidatedSet": SelectorFromValidatedSet(set),
		"AsSelector":               set.AsSelector(),
	} {
		t.Run(name, func(t *testing.T) {
			if want := "a=1,b=2,example.com/c="; sel.String() != want {
				t.Errorf("String() = %q, want %q", sel.String(), want)
			}
			if sel.Empty() {
				t.Error("Empty() = true")
			}
			for _, tc := range []struct {
				ls   Set
				want bool
			}{
				{Set{"a": "1", "b": "2", "example.com/c": ""}, true},
				{Set{"a": "1", "b": "2", "example.com/c": "", "d": "4"}, true},
				{Set{"a": "1", "b": "2"}, false},
				{Set{"a": "1", "b": "3", "example.com/c": ""}, false},
				{nil, false},
			} {
				if got := sel.Matches(tc.ls); got != tc.want {
					t.Errorf("Matches(%v) = %v, want %v", tc.ls, got, tc.want)
				}
				if got := sel.Matches(otherLabels(tc.ls)); got != tc.want {
					t.Errorf("Matches(otherLabels %v) = %v, want %v", tc.ls, got, tc.want)
				}
			}
			if v, ok := sel.RequiresExactMatch("b"); v != "2" || !ok {
				t.Errorf("RequiresExactMatch(b) = %q, %v", v, ok)
			}
			if _, ok := sel.RequiresExactMatch("z"); ok {
				t.Error("RequiresExactMatch(z) found a value")
			}
			reqs, ok := sel.Requirements()
			if !ok || len(reqs) != 3 || reqs[0].String() != "a=1" || reqs[2].Operator() != Equals {
				t.Errorf("Requirements() = %v, %v", reqs, ok)
			}
			again, err := Parse(sel.String())
			if err != nil || again.String() != sel.String() {
				t.Errorf("round trip: %q, %v", again, err)
			}
		})
	}
	// SelectorFromSet copies; later changes to the map do not leak in.
	m := Set{"a": "1"}
	sel := SelectorFromSet(m)
	m["a"] = "2"
	if !sel.Matches(Set{"a": "1"}) {
		t.Error("SelectorFromSet did not copy its input")
	}
	for _, empty := range []Set{nil, {}} {
		if !SelectorFromSet(empty).Empty() || !SelectorFromValidatedSet(empty).Empty() {
			t.Errorf("selector from %v is not empty", empty)
		}
	}
}

func TestValidatedSelectorFromSet(t *testing.T) {
	sel, err := ValidatedSelectorFromSet(Set{"a": "1"})
	if err != nil || sel.String() != "a=1" {
		t.Fatalf("got %q, %v", sel, err)
	}
	_, err = Set{"a b": "1", "c": "x y"}.AsValidatedSelector()
	if err == nil {
		t.Fatal("no error for an invalid set")
	}
	for _, want := range []string{
		`labels: invalid label set: [`,
		`: Invalid value: "a b": name part must consist of`,
		`[c]: Invalid value: "x y": a valid label must be`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func mustRequirement(t testing.TB, key string, op Operator, vals ...string) Requirement {
	t.Helper()
	r, err := NewRequirement(key, op, vals)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	sels := []Selector{
		SelectorFromSet(Set{"app": "web", "tier": "frontend"}),
		mustParse(t, "app=web,tier in (frontend,backend),!canary,version>10,env notin (dev),x!=y"),
		mustParse(t, "tier in (a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,frontend),version<100"),
	}
	for _, sel := range sels {
		for _, ls := range []Labels{podLabels, otherLabels(podLabels), Set{"version": "not a number"}} {
			if n := testing.AllocsPerRun(100, func() { sel.Matches(ls) }); n != 0 {
				t.Errorf("%q.Matches allocates %v times", sel, n)
			}
		}
	}
}

func mustParse(t testing.TB, s string) Selector {
	t.Helper()
	sel, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}
