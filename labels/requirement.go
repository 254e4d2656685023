package labels

import (
	"fmt"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// Operator relates a requirement's key to its values.
type Operator string

// The operators a Requirement may use. Each comment shows how the string syntax spells it and
// when a requirement with it matches. LabelSelector (api/meta) has only In, NotIn, Exists and
// DoesNotExist.
const (
	Equals       Operator = "="      // key=value: present and equal to value
	DoubleEquals Operator = "=="     // key==value: the same as Equals
	NotEquals    Operator = "!="     // key!=value: absent, or present and different
	In           Operator = "in"     // key in (v1,v2): present with one of the values
	NotIn        Operator = "notin"  // key notin (v1,v2): absent, or present with none of the values
	Exists       Operator = "exists" // key: present, with any value
	DoesNotExist Operator = "!"      // !key: absent
	GreaterThan  Operator = "gt"     // key>n: present, an integer, and greater than n
	LessThan     Operator = "lt"     // key<n: present, an integer, and less than n
)

// operators lists every operator, for error messages.
var operators = []Operator{Equals, DoubleEquals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan}

// Requirement is one condition on one label: a key, an operator and the operator's values.
// Requirements are immutable values; build them with NewRequirement or get them from a
// Selector. The zero Requirement matches nothing.
type Requirement struct {
	key      string
	operator Operator
	// values has exactly one element for =, ==, !=, gt and lt, none for exists and !, and is
	// sorted without duplicates for in and notin. It is never modified after construction,
	// so copies of a Requirement share it safely.
	values []string
	// bound is values[0] parsed, for gt and lt.
	bound int64
}

// NewRequirement returns the requirement that key relates to vals by op, after checking it:
// the key must be a valid label key and each value a valid label value; In and NotIn need at
// least one value, Exists and DoesNotExist none, Equals, DoubleEquals and NotEquals exactly
// one, GreaterThan and LessThan exactly one integer. The values of In and NotIn are sorted
// and duplicates dropped. vals is copied, not retained.
//
// The error is a validation.AggregateError (wrapped) whose field paths are "key", "operator"
// and "values[i]".
func NewRequirement(key string, op Operator, vals []string) (Requirement, error) {
	r, errs := newRequirement(key, op, vals, nil)
	if len(errs) > 0 {
		return Requirement{}, fmt.Errorf("labels: invalid requirement: %w", errs.ToAggregate())
	}
	return r, nil
}

// newRequirement checks and builds a requirement, reporting problems below p (p may be nil).
func newRequirement(key string, op Operator, vals []string, p *validation.Path) (Requirement, validation.ErrorList) {
	var errs validation.ErrorList
	for _, msg := range keyProblems(key) {
		errs = append(errs, validation.Invalid(child(p, "key"), key, msg))
	}
	// Paths are built only for errors, so that a valid requirement costs no allocations here.
	valuesPath := func() *validation.Path { return child(p, "values") }
	var bound int64
	switch op {
	case In, NotIn:
		if len(vals) == 0 {
			errs = append(errs, validation.Required(valuesPath(), "must be specified when operator is 'in' or 'notin'"))
		}
	case Equals, DoubleEquals, NotEquals:
		if len(vals) != 1 {
			errs = append(errs, validation.Invalid(valuesPath(), vals, "exactly one value is required when operator is '=', '==' or '!='"))
		}
	case Exists, DoesNotExist:
		if len(vals) != 0 {
			errs = append(errs, validation.Forbidden(valuesPath(), "may not be specified when operator is 'exists' or '!'"))
		}
	case GreaterThan, LessThan:
		if len(vals) != 1 {
			errs = append(errs, validation.Invalid(valuesPath(), vals, "exactly one value is required when operator is 'gt' or 'lt'"))
		}
		for i, v := range vals {
			n, ok := parseInt64(v)
			if !ok {
				errs = append(errs, validation.Invalid(valuesPath().Index(i), v, "must be an integer when operator is 'gt' or 'lt'"))
			}
			bound = n
		}
	default:
		errs = append(errs, validation.NotSupported(child(p, "operator"), string(op), operators))
	}
	for i, v := range vals {
		for _, msg := range valueProblems(v) {
			errs = append(errs, validation.Invalid(valuesPath().Index(i), v, msg))
		}
	}
	if len(errs) > 0 {
		return Requirement{}, errs
	}
	return makeRequirement(key, op, slices.Clone(vals), bound), nil
}

// makeRequirement builds a requirement from checked parts, taking ownership of vals.
func makeRequirement(key string, op Operator, vals []string, bound int64) Requirement {
	if op == In || op == NotIn {
		slices.Sort(vals)
		vals = slices.Compact(vals)
	}
	if len(vals) == 0 {
		vals = nil
	}
	return Requirement{key: key, operator: op, values: slices.Clip(vals), bound: bound}
}

// child is p.Child(name), or a root path named name when p is nil.
func child(p *validation.Path, name string) *validation.Path {
	if p == nil {
		return validation.NewPath(name)
	}
	return p.Child(name)
}

// Key returns the label key the requirement is about.
func (r Requirement) Key() string { return r.key }

// Operator returns the requirement's operator.
func (r Requirement) Operator() Operator { return r.operator }

// Values returns a copy of the requirement's values (sorted for In and NotIn).
func (r Requirement) Values() []string { return slices.Clone(r.values) }

// Equal reports whether r and o have the same key, operator and values.
func (r Requirement) Equal(o Requirement) bool {
	return r.key == o.key && r.operator == o.operator && slices.Equal(r.values, o.values)
}

// Matches reports whether labels satisfy the requirement. It does not allocate.
func (r Requirement) Matches(ls Labels) bool {
	v, ok := lookup(ls, r.key)
	switch r.operator {
	case Equals, DoubleEquals:
		return ok && v == r.values[0]
	case NotEquals:
		return !ok || v != r.values[0]
	case In:
		return ok && r.hasValue(v)
	case NotIn:
		return !ok || !r.hasValue(v)
	case Exists:
		return ok
	case DoesNotExist:
		return !ok
	case GreaterThan:
		n, isInt := parseInt64(v)
		return ok && isInt && n > r.bound
	case LessThan:
		n, isInt := parseInt64(v)
		return ok && isInt && n < r.bound
	}
	return false
}

// hasValue reports whether v is one of the (sorted) values.
func (r Requirement) hasValue(v string) bool {
	if len(r.values) <= 8 {
		for _, x := range r.values {
			if x == v {
				return true
			}
		}
		return false
	}
	_, found := slices.BinarySearch(r.values, v)
	return found
}

// lookup returns a label's value and whether it is present, with a single map access for a
// Set. A nil Labels has no labels.
func lookup(ls Labels, key string) (string, bool) {
	switch s := ls.(type) {
	case Set:
		v, ok := s[key]
		return v, ok
	case nil:
		return "", false
	}
	if !ls.Has(key) {
		return "", false
	}
	return ls.Get(key), true
}

// String renders the requirement in the selector syntax Parse reads: "key", "!key",
// "key=value", "key==value", "key!=value", "key in (a,b)", "key notin (a,b)", "key>n",
// "key<n".
func (r Requirement) String() string {
	var b strings.Builder
	r.writeTo(&b)
	return b.String()
}

func (r Requirement) writeTo(b *strings.Builder) {
	switch r.operator {
	case Exists:
		b.WriteString(r.key)
		return
	case DoesNotExist:
		b.WriteByte('!')
		b.WriteString(r.key)
		return
	}
	b.WriteString(r.key)
	switch r.operator {
	case Equals, DoubleEquals, NotEquals:
		b.WriteString(string(r.operator))
	case GreaterThan:
		b.WriteByte('>')
	case LessThan:
		b.WriteByte('<')
	case In, NotIn:
		b.WriteByte(' ')
		b.WriteString(string(r.operator))
		b.WriteString(" (")
		for i, v := range r.values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(v)
		}
		b.WriteByte(')')
		return
	default:
		return
	}
	if len(r.values) > 0 {
		b.WriteString(r.values[0])
	}
}

// stringLen estimates the length of the requirement's string form.
func (r Requirement) stringLen() int {
	n := len(r.key) + 8
	for _, v := range r.values {
		n += len(v) + 1
	}
	return n
}
