package labels

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Selector is a condition on a set of labels. Selectors are immutable and safe for concurrent
// use; Add returns a new one.
type Selector interface {
	// Matches reports whether the labels satisfy every requirement. It does not allocate and
	// does not modify ls.
	Matches(ls Labels) bool
	// Empty reports whether the selector has no requirements and so matches everything.
	// Nothing() is not empty.
	Empty() bool
	// String renders the selector in the syntax Parse reads, canonically: requirements sorted
	// by key (in their original order for the same key), so Parse(s.String()) gives back an
	// equal selector. Everything renders as "". Nothing renders as "<nothing>", which Parse
	// rejects, so that it never turns into "everything" on its way to a server.
	String() string
	// Requirements returns a copy of the requirements, sorted by key. selectable is false
	// only for Nothing(), which no list of requirements can express.
	Requirements() (reqs []Requirement, selectable bool)
	// Add returns a new selector that also requires reqs. Nothing stays Nothing.
	Add(reqs ...Requirement) Selector
	// RequiresExactMatch reports the one value that key must have for the selector to match
	// (from "key=v", "key==v" or "key in (v)"), so that a cache can answer from an index.
	// found is false when the selector allows more than one value, or none is required.
	RequiresExactMatch(key string) (value string, found bool)
}

var (
	_ Selector = requirements(nil)
	_ Selector = nothingSelector{}
)

// Everything returns the selector that matches every set of labels.
func Everything() Selector { return requirements(nil) }

// Nothing returns the selector that matches no set of labels (what a nil LabelSelector
// means).
func Nothing() Selector { return nothingSelector{} }

// NewSelector returns an empty selector (which matches everything) to Add requirements to.
func NewSelector() Selector { return requirements(nil) }

// SelectorFromSet returns a selector that requires every label of ls with its value, the
// selector form of "these exact labels". A nil or empty set gives Everything. ls is copied
// into a key-sorted list of key=value requirements, which Matches walks with one map lookup
// each and no allocation (faster than ranging over a map).
//
// Nothing is validated: an invalid key or value only makes String produce something Parse
// rejects. Use ValidatedSelectorFromSet for input from outside the program.
func SelectorFromSet(ls Set) Selector {
	if len(ls) == 0 {
		return requirements(nil)
	}
	reqs := make(requirements, 0, len(ls))
	vals := make([]string, len(ls)) // one backing array for every single-value slice
	i := 0
	for k, v := range ls {
		vals[i] = v
		reqs = append(reqs, Requirement{key: k, operator: Equals, values: vals[i : i+1 : i+1]})
		i++
	}
	slices.SortFunc(reqs, func(a, b Requirement) int { return cmp.Compare(a.key, b.key) })
	return reqs
}

// SelectorFromValidatedSet is SelectorFromSet for a set the caller has already validated
// (labels read from a stored object, say). It builds the same selector; the name records at
// the call site that skipping validation is deliberate.
func SelectorFromValidatedSet(ls Set) Selector { return SelectorFromSet(ls) }

// ValidatedSelectorFromSet is SelectorFromSet after checking every key and value with the
// label rules; the error wraps a validation.AggregateError.
func ValidatedSelectorFromSet(ls Set) (Selector, error) {
	if errs := ls.Validate(nil); len(errs) > 0 {
		return nil, fmt.Errorf("labels: invalid label set: %w", errs.ToAggregate())
	}
	return SelectorFromSet(ls), nil
}

// requirements is the general selector: requirements ANDed, sorted stably by key. It is never
// modified after construction.
type requirements []Requirement

// Matches reports whether ls satisfies every requirement.
func (s requirements) Matches(ls Labels) bool {
	for i := range s {
		if !s[i].Matches(ls) {
			return false
		}
	}
	return true
}

// Empty reports whether there are no requirements.
func (s requirements) Empty() bool { return len(s) == 0 }

// String renders the requirements joined by commas.
func (s requirements) String() string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0].String()
	}
	n := 0
	for i := range s {
		n += s[i].stringLen()
	}
	var b strings.Builder
	b.Grow(n)
	for i := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		s[i].writeTo(&b)
	}
	return b.String()
}

// Requirements returns a copy of the requirements.
func (s requirements) Requirements() ([]Requirement, bool) {
	return slices.Clone([]Requirement(s)), true
}

// Add returns a new selector with reqs added, sorted stably by key.
func (s requirements) Add(reqs ...Requirement) Selector {
	if len(reqs) == 0 {
		return s
	}
	out := make(requirements, 0, len(s)+len(reqs))
	out = append(append(out, s...), reqs...)
	sortByKey(out)
	return out
}

// RequiresExactMatch looks for an =, == or single-value in requirement on key.
func (s requirements) RequiresExactMatch(key string) (string, bool) {
	for i := range s {
		r := &s[i]
		if r.key != key {
			continue
		}
		switch r.operator {
		case Equals, DoubleEquals, In:
			if len(r.values) == 1 {
				return r.values[0], true
			}
		}
	}
	return "", false
}

// sortByKey sorts requirements by key, keeping the order of those with the same key.
func sortByKey(reqs []Requirement) {
	byKey := func(a, b Requirement) int { return cmp.Compare(a.key, b.key) }
	if !slices.IsSortedFunc(reqs, byKey) {
		slices.SortStableFunc(reqs, byKey)
	}
}

// nothingSelector matches nothing.
type nothingSelector struct{}

func (nothingSelector) Matches(Labels) bool                      { return false }
func (nothingSelector) Empty() bool                              { return false }
func (nothingSelector) String() string                           { return "<nothing>" }
func (nothingSelector) Requirements() ([]Requirement, bool)      { return nil, false }
func (n nothingSelector) Add(...Requirement) Selector            { return n }
func (nothingSelector) RequiresExactMatch(string) (string, bool) { return "", false }
