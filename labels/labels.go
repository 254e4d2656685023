package labels

import (
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// Labels is read access to a set of labels, the thing a Selector matches. Set implements it;
// other types (a view over an object's fields, say) can too.
type Labels interface {
	// Has reports whether the label is present (possibly with an empty value).
	Has(label string) bool
	// Get returns the label's value, or "" when it is absent.
	Get(label string) string
}

// Set is a map of labels. Its nil value is the empty set. A Set passed to Matches is read, never
// modified.
type Set map[string]string

var _ Labels = Set(nil)

// Has reports whether the label is present.
func (s Set) Has(label string) bool {
	_, ok := s[label]
	return ok
}

// Get returns the label's value, or "" when it is absent.
func (s Set) Get(label string) string { return s[label] }

// String renders the set as "k1=v1,k2=v2" sorted by key; the empty set renders as "". For
// valid labels the result parses back into a selector that requires exactly this set.
func (s Set) String() string {
	keys := make([]string, 0, len(s))
	size := 0
	for k, v := range s {
		keys = append(keys, k)
		size += len(k) + len(v) + 2
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(size)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(s[k])
	}
	return b.String()
}

// AsSelector returns a selector that requires every label of s, as SelectorFromSet does.
func (s Set) AsSelector() Selector { return SelectorFromSet(s) }

// AsValidatedSelector checks s with the label rules and returns a selector that requires every
// label of s, as ValidatedSelectorFromSet does.
func (s Set) AsValidatedSelector() (Selector, error) { return ValidatedSelectorFromSet(s) }

// Validate checks every key and value of s with the label rules, reporting errors at p (keys)
// and p[key] (values), in key order.
func (s Set) Validate(p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	for _, k := range sortedKeys(s) {
		for _, msg := range keyProblems(k) {
			errs = append(errs, validation.Invalid(p, k, msg))
		}
		for _, msg := range valueProblems(s[k]) {
			errs = append(errs, validation.Invalid(p.Key(k), s[k], msg))
		}
	}
	return errs
}

// FormatLabels renders labels as Set.String does, but "<none>" for an empty map, the way
// kubectl's --show-labels column shows them.
func FormatLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return "<none>"
	}
	return Set(labels).String()
}

// Merge returns a new set with the labels of a and b; where both have a key, b's value wins.
// Neither argument is modified.
func Merge(a, b Set) Set {
	m := make(Set, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// Equal reports whether s and o have the same labels with the same values. A nil set equals
// an empty one.
func (s Set) Equal(o Set) bool {
	if len(s) != len(o) {
		return false
	}
	for k, v := range s {
		if w, ok := o[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Conflicts reports whether s and o have some key with different values.
func (s Set) Conflicts(o Set) bool {
	small, large := s, o
	if len(small) > len(large) {
		small, large = large, small
	}
	for k, v := range small {
		if w, ok := large[k]; ok && w != v {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
