package labels

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// labelSelectorOperators lists the operators a LabelSelectorRequirement may use.
var labelSelectorOperators = []meta.LabelSelectorOperator{
	meta.LabelSelectorOpIn, meta.LabelSelectorOpNotIn, meta.LabelSelectorOpExists, meta.LabelSelectorOpDoesNotExist,
}

// operatorOf maps a LabelSelector operator to a Requirement operator.
func operatorOf(op meta.LabelSelectorOperator) (Operator, bool) {
	switch op {
	case meta.LabelSelectorOpIn:
		return In, true
	case meta.LabelSelectorOpNotIn:
		return NotIn, true
	case meta.LabelSelectorOpExists:
		return Exists, true
	case meta.LabelSelectorOpDoesNotExist:
		return DoesNotExist, true
	}
	return "", false
}

// FromLabelSelector converts an API LabelSelector into a Selector: a nil selector matches
// nothing, an empty one everything. Each matchLabels entry becomes a key=value requirement and
// each matchExpressions entry the requirement with the same operator; all of them must hold.
//
// Keys, values and operators are checked as ValidateLabelSelector does; the error wraps a
// validation.AggregateError with paths relative to the selector ("matchLabels",
// "matchExpressions[0].operator"). sel is not retained.
func FromLabelSelector(sel *meta.LabelSelector) (Selector, error) {
	if sel == nil {
		return Nothing(), nil
	}
	if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		return Everything(), nil
	}
	var errs validation.ErrorList
	reqs := make(requirements, 0, len(sel.MatchLabels)+len(sel.MatchExpressions))
	for _, k := range sortedKeys(sel.MatchLabels) {
		v := sel.MatchLabels[k]
		if !isKey(k) || !isValue(v) {
			errs = append(errs, Set{k: v}.Validate(validation.NewPath("matchLabels"))...)
			continue
		}
		reqs = append(reqs, makeRequirement(k, Equals, []string{v}, 0))
	}
	for i, e := range sel.MatchExpressions {
		op, ok := operatorOf(e.Operator)
		if !ok {
			errs = append(errs, validation.NotSupported(validation.NewPath("matchExpressions").Index(i).Child("operator"), string(e.Operator), labelSelectorOperators))
			continue
		}
		r, rerrs := newRequirement(e.Key, op, e.Values, validation.NewPath("matchExpressions").Index(i))
		if len(rerrs) > 0 {
			errs = append(errs, rerrs...)
			continue
		}
		reqs = append(reqs, r)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("labels: invalid label selector: %w", errs.ToAggregate())
	}
	sortByKey(reqs)
	return reqs, nil
}

// ValidateLabelSelector checks an API LabelSelector found at p: matchLabels keys and values
// follow the label rules; each expression has a valid key, a known operator, at least one
// value for In and NotIn, none for Exists and DoesNotExist, and valid values. A nil or empty
// selector is valid here (kinds that forbid it say so themselves). Errors come in a stable
// order, e.g. `spec.selector.matchExpressions[0].values: Required value: ...`.
func ValidateLabelSelector(sel *meta.LabelSelector, p *validation.Path) validation.ErrorList {
	if sel == nil {
		return nil
	}
	errs := Set(sel.MatchLabels).Validate(p.Child("matchLabels"))
	for i, e := range sel.MatchExpressions {
		ep := p.Child("matchExpressions").Index(i)
		valuesPath := ep.Child("values")
		switch e.Operator {
		case meta.LabelSelectorOpIn, meta.LabelSelectorOpNotIn:
			if len(e.Values) == 0 {
				errs = append(errs, validation.Required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case meta.LabelSelectorOpExists, meta.LabelSelectorOpDoesNotExist:
			if len(e.Values) > 0 {
				errs = append(errs, validation.Forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		default:
			errs = append(errs, validation.NotSupported(ep.Child("operator"), string(e.Operator), labelSelectorOperators))
		}
		for _, msg := range keyProblems(e.Key) {
			errs = append(errs, validation.Invalid(ep.Child("key"), e.Key, msg))
		}
		for j, v := range e.Values {
			for _, msg := range valueProblems(v) {
				errs = append(errs, validation.Invalid(valuesPath.Index(j), v, msg))
			}
		}
	}
	return errs
}

// LabelSelectorAsMap returns the labels an object must have to match sel, for selectors that
// only require exact values: matchLabels, and In expressions with a single value. A nil
// selector gives a nil map, an empty one an empty map. Any other expression, or two different
// values required for one key, gives an error wrapping ErrNotSelectable.
func LabelSelectorAsMap(sel *meta.LabelSelector) (map[string]string, error) {
	if sel == nil {
		return nil, nil
	}
	m := make(map[string]string, len(sel.MatchLabels)+len(sel.MatchExpressions))
	for k, v := range sel.MatchLabels {
		m[k] = v
	}
	for i, e := range sel.MatchExpressions {
		switch {
		case e.Operator == meta.LabelSelectorOpIn && len(e.Values) == 1:
			if v, ok := m[e.Key]; ok && v != e.Values[0] {
				return nil, fmt.Errorf("%w: matchExpressions[%d] requires %s=%s but %s=%s is also required", ErrNotSelectable, i, e.Key, e.Values[0], e.Key, v)
			}
			m[e.Key] = e.Values[0]
		case e.Operator == meta.LabelSelectorOpIn:
			return nil, fmt.Errorf("%w: matchExpressions[%d]: operator In needs exactly one value, has %d", ErrNotSelectable, i, len(e.Values))
		default:
			return nil, fmt.Errorf("%w: matchExpressions[%d]: operator %q", ErrNotSelectable, i, e.Operator)
		}
	}
	return m, nil
}

// FormatLabelSelector renders sel for people, as kubectl's wide output does: the canonical
// selector string, "<none>" for a nil or empty selector, "<error>" for an invalid one.
func FormatLabelSelector(sel *meta.LabelSelector) string {
	if sel == nil {
		return "<none>"
	}
	s, err := FromLabelSelector(sel)
	if err != nil {
		return "<error>"
	}
	if str := s.String(); str != "" {
		return str
	}
	return "<none>"
}
