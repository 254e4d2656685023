package labels

import (
	"testing"
)

func TestSet(t *testing.T) {
	s := Set{"b": "2", "a": "", "example.com/c": "3"}
	if !s.Has("a") || s.Has("z") || s.Get("b") != "2" || s.Get("z") != "" {
		t.Error("Has/Get")
	}
	if got, want := s.String(), "a=,b=2,example.com/c=3"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if Set(nil).String() != "" || Set(nil).Has("a") {
		t.Error("nil Set")
	}
	// The string form is a selector that requires exactly these labels.
	sel, err := Parse(s.String())
	if err != nil || !sel.Matches(s) || sel.Matches(Set{"a": "", "b": "2"}) {
		t.Errorf("Parse(Set.String()) = %v, %v", sel, err)
	}
}

func TestFormatLabels(t *testing.T) {
	for _, tt := range []struct {
		in   map[string]string
		want string
	}{
		{nil, "<none>"},
		{map[string]string{}, "<none>"},
		{map[string]string{"b": "2", "a": "1"}, "a=1,b=2"},
	} {
		if got := FormatLabels(tt.in); got != tt.want {
			t.Errorf("FormatLabels(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMerge(t *testing.T) {
	a := Set{"x": "1", "y": "1"}
	b := Set{"y": "2", "z": "2"}
	got := Merge(a, b)
	if !got.Equal(Set{"x": "1", "y": "2", "z": "2"}) {
		t.Errorf("Merge = %v", got)
	}
	if len(a) != 2 || a["y"] != "1" || len(b) != 2 {
		t.Error("Merge modified an argument")
	}
	if m := Merge(nil, nil); m == nil || len(m) != 0 {
		t.Errorf("Merge(nil, nil) = %#v, want an empty non-nil set", m)
	}
}

func TestEqualAndConflicts(t *testing.T) {
	tests := []struct {
		a, b      Set
		equal     bool
		conflicts bool
	}{
		{nil, nil, true, false},
		{nil, Set{}, true, false},
		{Set{"a": "1"}, Set{"a": "1"}, true, false},
		{Set{"a": "1"}, Set{"a": "2"}, false, true},
		{Set{"a": "1"}, Set{"b": "1"}, false, false},
		{Set{"a": "1"}, Set{"a": "1", "b": "2"}, false, false},
		{Set{"a": "1", "c": "3"}, Set{"a": "1", "b": "2"}, false, false},
		{Set{"a": "", "c": "3"}, Set{"a": "x"}, false, true},
		{Set{"a": "1", "b": "2"}, Set{"a": "1", "c": "2"}, false, false},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.equal {
			t.Errorf("%v.Equal(%v) = %v", tt.a, tt.b, got)
		}
		if got := tt.b.Equal(tt.a); got != tt.equal {
			t.Errorf("%v.Equal(%v) = %v", tt.b, tt.a, got)
		}
		if got := tt.a.Conflicts(tt.b); got != tt.conflicts {
			t.Errorf("%v.Conflicts(%v) = %v", tt.a, tt.b, got)
		}
		if got := tt.b.Conflicts(tt.a); got != tt.conflicts {
			t.Errorf("%v.Conflicts(%v) = %v", tt.b, tt.a, got)
		}
	}
}
