package fields

import (
	"cmp"
	"slices"
	"strings"
)

// Operator relates a field to a value.
type Operator string

// The operators of a field selector. "==" is read as Equals.
const (
	Equals    Operator = "="  // field=value: the field's value is value
	NotEquals Operator = "!=" // field!=value: the field's value is not value
)

// Requirement is one term of a field selector.
type Requirement struct {
	// Field is the field name, e.g. "metadata.name".
	Field string
	// Operator is Equals or NotEquals.
	Operator Operator
	// Value is the unescaped value.
	Value string
}

// Matches reports whether the field's value satisfies the requirement. A field the object
// does not have reads as "", as in Kubernetes, so "spec.nodeName=" matches objects whose
// nodeName is empty or absent.
func (r Requirement) Matches(f Fields) bool {
	v := get(f, r.Field)
	switch r.Operator {
	case Equals:
		return v == r.Value
	case NotEquals:
		return v != r.Value
	}
	return false
}

// String renders the term as ParseSelector reads it, with the value escaped.
func (r Requirement) String() string { return r.Field + string(r.Operator) + EscapeValue(r.Value) }

// get reads a field; nil Fields have no fields.
func get(f Fields, field string) string {
	switch s := f.(type) {
	case Set:
		return s[field]
	case nil:
		return ""
	}
	return f.Get(field)
}

// compare orders requirements by field, then operator, then value: the canonical order.
func compare(a, b Requirement) int {
	return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(a.Operator, b.Operator), cmp.Compare(a.Value, b.Value))
}

// Selector is a condition on an object's fields: a list of requirements that must all hold.
// Selectors are immutable and safe for concurrent use.
type Selector interface {
	// Matches reports whether the fields satisfy every requirement. It does not allocate.
	Matches(f Fields) bool
	// Empty reports whether the selector has no requirements and so matches everything.
	Empty() bool
	// String renders the selector as ParseSelector reads it, canonically: terms sorted by
	// field, operator and value, "==" written as "=", values escaped. Everything renders as "".
	String() string
	// Requirements returns a copy of the requirements, in canonical order.
	Requirements() []Requirement
	// RequiresExactMatch reports the value that field must have for the selector to match
	// (from a field=value term), so that a store can answer from an index.
	RequiresExactMatch(field string) (value string, found bool)
}

var _ Selector = terms(nil)

// terms is the one Selector implementation: requirements in canonical order, never modified
// after construction.
type terms []Requirement

// Everything returns the selector that matches every object.
func Everything() Selector { return terms(nil) }

// OneTermEqualSelector returns the selector field=value. Neither is checked: a field name that
// ParseSelector would reject makes String unparseable.
func OneTermEqualSelector(field, value string) Selector {
	return terms{{Field: field, Operator: Equals, Value: value}}
}

// OneTermNotEqualSelector returns the selector field!=value. Neither is checked.
func OneTermNotEqualSelector(field, value string) Selector {
	return terms{{Field: field, Operator: NotEquals, Value: value}}
}

// SelectorFromSet returns a selector that requires every field of s to have its value. A nil or
// empty set gives Everything.
func SelectorFromSet(s Set) Selector {
	if len(s) == 0 {
		return terms(nil)
	}
	t := make(terms, 0, len(s))
	for f, v := range s {
		t = append(t, Requirement{Field: f, Operator: Equals, Value: v})
	}
	slices.SortFunc(t, compare)
	return t
}

// AndSelectors returns a selector that requires everything each of sels requires. nil
// selectors are skipped.
func AndSelectors(sels ...Selector) Selector {
	var t terms
	for _, s := range sels {
		if s != nil {
			t = append(t, s.Requirements()...)
		}
	}
	slices.SortFunc(t, compare)
	return t
}

// Matches reports whether f satisfies every requirement.
func (t terms) Matches(f Fields) bool {
	for i := range t {
		if !t[i].Matches(f) {
			return false
		}
	}
	return true
}

// Empty reports whether there are no requirements.
func (t terms) Empty() bool { return len(t) == 0 }

// String joins the terms with commas.
func (t terms) String() string {
	var b strings.Builder
	for i, r := range t {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.Field)
		b.WriteString(string(r.Operator))
		b.WriteString(EscapeValue(r.Value))
	}
	return b.String()
}

// Requirements returns a copy of the requirements.
func (t terms) Requirements() []Requirement { return slices.Clone([]Requirement(t)) }

// RequiresExactMatch looks for a field=value term.
func (t terms) RequiresExactMatch(field string) (string, bool) {
	for _, r := range t {
		if r.Field == field && r.Operator == Equals {
			return r.Value, true
		}
	}
	return "", false
}
