package fields

import (
	"testing"
)

// otherFields implements Fields without being a Set.
type otherFields map[string]string

func (o otherFields) Has(f string) bool   { _, ok := o[f]; return ok }
func (o otherFields) Get(f string) string { return o[f] }

func TestMatches(t *testing.T) {
	pod := Set{"metadata.name": "web-1", "metadata.namespace": "default", "spec.nodeName": "", "status.phase": "Running"}
	tests := []struct {
		sel  string
		f    Set
		want bool
	}{
		{"", pod, true},
		{"", nil, true},
		{"metadata.name=web-1", pod, true},
		{"metadata.name=web-2", pod, false},
		{"metadata.name!=web-2", pod, true},
		{"metadata.name!=web-1", pod, false},
		{"metadata.name=web-1,status.phase!=Succeeded", pod, true},
		{"metadata.name=web-1,status.phase!=Running", pod, false},
		{"spec.nodeName=", pod, true},
		{"spec.nodeName!=", pod, false},
		{"spec.schedulerName=", pod, true},   // absent reads as ""
		{"spec.schedulerName!=x", pod, true}, // absent reads as ""
		{"spec.schedulerName=x", pod, false},
		{"a=x", nil, false},
		{"a!=x", nil, true},
		{`a=x\,y`, Set{"a": "x,y"}, true},
	}
	for _, tt := range tests {
		sel, err := ParseSelector(tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := sel.Matches(tt.f); got != tt.want {
			t.Errorf("%q.Matches(%v) = %v, want %v", tt.sel, tt.f, got, tt.want)
		}
		if got := sel.Matches(otherFields(tt.f)); got != tt.want {
			t.Errorf("%q.Matches(otherFields %v) = %v, want %v", tt.sel, tt.f, got, tt.want)
		}
	}
	if !Everything().Matches(nil) || OneTermEqualSelector("a", "b").Matches(nil) {
		t.Error("Matches(nil)")
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name string
		sel  Selector
		want string
	}{
		{"Everything", Everything(), ""},
		{"OneTermEqualSelector", OneTermEqualSelector("spec.nodeName", "node-1"), "spec.nodeName=node-1"},
		{"OneTermEqualSelector escapes", OneTermEqualSelector("metadata.name", "a,b=c"), `metadata.name=a\,b\=c`},
		{"OneTermNotEqualSelector", OneTermNotEqualSelector("status.phase", "Failed"), "status.phase!=Failed"},
		{"SelectorFromSet", SelectorFromSet(Set{"b": "2", "a": "1,"}), `a=1\,,b=2`},
		{"SelectorFromSet nil", SelectorFromSet(nil), ""},
		{"Set.AsSelector", Set{"x": "y"}.AsSelector(), "x=y"},
		{"AndSelectors", AndSelectors(OneTermEqualSelector("b", "2"), nil, Everything(), OneTermNotEqualSelector("a", "1")), "a!=1,b=2"},
		{"AndSelectors none", AndSelectors(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sel.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if tt.sel.Empty() != (tt.want == "") {
				t.Errorf("Empty() = %v", tt.sel.Empty())
			}
			again, err := ParseSelector(tt.sel.String())
			if err != nil || !equalRequirements(again.Requirements(), tt.sel.Requirements()) {
				t.Errorf("round trip: %v, %v", again, err)
			}
		})
	}
}

func TestRequiresExactMatch(t *testing.T) {
	tests := []struct {
		sel, field string
		want       string
		found      bool
	}{
		{"", "a", "", false},
		{"a=1", "a", "1", true},
		{"a==1", "a", "1", true},
		{"a!=1", "a", "", false},
		{"a!=1,a=2", "a", "2", true},
		{"b=1", "a", "", false},
		{"a=", "a", "", true},
		{`a=x\,y`, "a", "x,y", true},
	}
	for _, tt := range tests {
		sel, err := ParseSelector(tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		got, found := sel.RequiresExactMatch(tt.field)
		if got != tt.want || found != tt.found {
			t.Errorf("%q.RequiresExactMatch(%q) = %q, %v; want %q, %v", tt.sel, tt.field, got, found, tt.want, tt.found)
		}
	}
}

func TestRequirements(t *testing.T) {
	sel, _ := ParseSelector("b!=2,a==1")
	reqs := sel.Requirements()
	want := []Requirement{{"a", Equals, "1"}, {"b", NotEquals, "2"}}
	if !equalRequirements(reqs, want) {
		t.Fatalf("Requirements() = %+v, want %+v", reqs, want)
	}
	reqs[0].Value = "changed"
	if sel.String() != "a=1,b!=2" {
		t.Errorf("modifying Requirements() changed the selector: %q", sel)
	}
	if got := (Requirement{"f", NotEquals, "a=b"}).String(); got != `f!=a\=b` {
		t.Errorf("Requirement.String() = %q", got)
	}
	if (Requirement{Field: "f", Operator: "~", Value: ""}).Matches(Set{}) {
		t.Error("a requirement with an unknown operator matches")
	}
}

func TestSetString(t *testing.T) {
	s := Set{"b": "x=y", "a": ""}
	if got, want := s.String(), `a=,b=x\=y`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !s.Has("a") || s.Has("c") || s.Get("b") != "x=y" {
		t.Error("Has/Get")
	}
	sel, err := ParseSelector(s.String())
	if err != nil || !sel.Matches(s) {
		t.Errorf("ParseSelector(Set.String()) = %v, %v", sel, err)
	}
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	sel, err := ParseSelector("metadata.name=web,status.phase!=Running,spec.nodeName=node-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Fields{podFields, otherFields(podFields)} {
		if n := testing.AllocsPerRun(100, func() { sel.Matches(f) }); n != 0 {
			t.Errorf("Matches allocates %v times", n)
		}
	}
}
