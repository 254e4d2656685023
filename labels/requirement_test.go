package labels

import (
	"errors"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/validation"
)

func TestNewRequirement(t *testing.T) {
	tests := []struct {
		key  string
		op   Operator
		vals []string
		want string // String() of the requirement
	}{
		{"x", Equals, []string{"a"}, "x=a"},
		{"x", Equals, []string{""}, "x="},
		{"x", DoubleEquals, []string{"a"}, "x==a"},
		{"x", NotEquals, []string{"a"}, "x!=a"},
		{"x", In, []string{"b", "a", "b"}, "x in (a,b)"},
		{"x", In, []string{""}, "x in ()"},
		{"x", NotIn, []string{"a"}, "x notin (a)"},
		{"x", Exists, nil, "x"},
		{"x", Exists, []string{}, "x"},
		{"x", DoesNotExist, nil, "!x"},
		{"x", GreaterThan, []string{"3"}, "x>3"},
		{"x", LessThan, []string{"0"}, "x<0"},
		{"example.com/x", Exists, nil, "example.com/x"},
	}
	for _, tt := range tests {
		r, err := NewRequirement(tt.key, tt.op, tt.vals)
		if err != nil {
			t.Errorf("NewRequirement(%q, %q, %q): %v", tt.key, tt.op, tt.vals, err)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("NewRequirement(%q, %q, %q).String() = %q, want %q", tt.key, tt.op, tt.vals, got, tt.want)
		}
		if r.Key() != tt.key || r.Operator() != tt.op {
			t.Errorf("Key/Operator = %q/%q", r.Key(), r.Operator())
		}
		// The string form parses back to the same requirement.
		sel, err := Parse(r.String())
		if err != nil {
			t.Errorf("Parse(%q): %v", r.String(), err)
			continue
		}
		reqs, _ := sel.Requirements()
		if len(reqs) != 1 || !reqs[0].Equal(r) {
			t.Errorf("Parse(%q) = %v, want %v", r.String(), reqs, r)
		}
	}
}

func TestNewRequirementCopiesValues(t *testing.T) {
	vals := []string{"b", "a"}
	r, err := NewRequirement("x", In, vals)
	if err != nil {
		t.Fatal(err)
	}
	if vals[0] != "b" {
		t.Error("NewRequirement sorted the caller's slice")
	}
	vals[1] = "c"
	if r.String() != "x in (a,b)" {
		t.Errorf("NewRequirement retained the caller's slice: %q", r)
	}
}

func TestNewRequirementErrors(t *testing.T) {
	tests := []struct {
		key  string
		op   Operator
		vals []string
		want []string // field errors, in order
	}{
		{"x", In, nil, []string{"values: Required value: must be specified when operator is 'in' or 'notin'"}},
		{"x", NotIn, []string{}, []string{"values: Required value: must be specified when operator is 'in' or 'notin'"}},
		{"x", Equals, nil, []string{"values: Invalid value: []string(nil): exactly one value is required when operator is '=', '==' or '!='"}},
		{"x", NotEquals, []string{"a", "b"}, []string{"values: Invalid value: []string{\"a\", \"b\"}: exactly one value is required"}},
		{"x", DoubleEquals, []string{"a", "b"}, []string{"values: Invalid value: []string{\"a\", \"b\"}: exactly one value is required"}},
		{"x", Exists, []string{"a"}, []string{"values: Forbidden: may not be specified when operator is 'exists' or '!'"}},
		{"x", DoesNotExist, []string{"a"}, []string{"values: Forbidden: may not be specified"}},
		{"x", GreaterThan, nil, []string{"values: Invalid value: []string(nil): exactly one value is required when operator is 'gt' or 'lt'"}},
		{"x", LessThan, []string{"1", "2"}, []string{"values: Invalid value: []string{\"1\", \"2\"}: exactly one value is required when operator is 'gt' or 'lt'"}},
		{"x", GreaterThan, []string{"a"}, []string{`values[0]: Invalid value: "a": must be an integer when operator is 'gt' or 'lt'`}},
		{"x", LessThan, []string{"1.5"}, []string{`values[0]: Invalid value: "1.5": must be an integer`}},
		{"x", Operator("~"), []string{"a"}, []string{`operator: Unsupported value: "~": supported values: "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"`}},
		{"", Exists, nil, []string{`key: Invalid value: "": name part must be non-empty`, `key: Invalid value: "": name part must consist of`}},
		{"a b", Exists, nil, []string{`key: Invalid value: "a b": name part must consist of alphanumeric characters`}},
		{"x", In, []string{"ok", "not ok"}, []string{`values[1]: Invalid value: "not ok": a valid label must be an empty string or consist of`}},
		{"x", GreaterThan, []string{"-1"}, []string{`values[0]: Invalid value: "-1": a valid label must be`}},
		{"-k", Equals, []string{"v_"}, []string{`key: Invalid value: "-k"`, `values[0]: Invalid value: "v_"`}},
	}
	for _, tt := range tests {
		_, err := NewRequirement(tt.key, tt.op, tt.vals)
		if err == nil {
			t.Errorf("NewRequirement(%q, %q, %q) succeeded", tt.key, tt.op, tt.vals)
			continue
		}
		if !strings.HasPrefix(err.Error(), "labels: invalid requirement: ") {
			t.Errorf("error lacks the prefix: %v", err)
		}
		var agg validation.AggregateError
		if !errors.As(err, &agg) {
			t.Errorf("error %T does not wrap a validation.AggregateError", err)
			continue
		}
		if len(agg) != len(tt.want) {
			t.Errorf("NewRequirement(%q, %q, %q): %d errors, want %d: %v", tt.key, tt.op, tt.vals, len(agg), len(tt.want), err)
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(agg[i].Error(), w) {
				t.Errorf("NewRequirement(%q, %q, %q) error %d:\n  %v\nwant prefix\n  %s", tt.key, tt.op, tt.vals, i, agg[i], w)
			}
		}
	}
}

func TestRequirementEqual(t *testing.T) {
	a := mustRequirement(t, "x", In, "a", "b")
	if !a.Equal(mustRequirement(t, "x", In, "b", "a", "a")) {
		t.Error("same set in another order is not equal")
	}
	for _, o := range []Requirement{
		mustRequirement(t, "y", In, "a", "b"),
		mustRequirement(t, "x", NotIn, "a", "b"),
		mustRequirement(t, "x", In, "a"),
		mustRequirement(t, "x", Equals, "a"),
		{},
	} {
		if a.Equal(o) {
			t.Errorf("%q equals %q", a, o)
		}
	}
}

func TestZeroRequirement(t *testing.T) {
	var r Requirement
	if r.Matches(Set{"": ""}) || r.Matches(nil) {
		t.Error("the zero Requirement matches")
	}
	if r.String() != "" || r.Key() != "" || r.Values() != nil {
		t.Errorf("zero Requirement: %q", r)
	}
}
