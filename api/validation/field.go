package validation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Path is a field path such as spec.template.spec.containers[0].image. Paths are immutable;
// Child, Index and Key return new paths. The nil *Path is the root.
//
// A path is only rendered when an error is reported: building one stores its step and a
// pointer to its parent, nothing more. Child, Index and Key are small enough to be inlined,
// and no function of this package keeps a path it is given, so a path that is only passed
// down while validating (the happy path) usually lives on the stack and costs no allocation.
// Keep it that way in validation code: do not store paths in long-lived structures.
type Path struct {
	parent *Path
	more   []string // further field names after name (Child and NewPath with more names)
	name   string   // the field name of a field step; the key of a key step
	index  int      // the index of an index step
	step   step
}

// step says what one Path element is.
type step uint8

const (
	fieldStep step = iota // .name (and .more...)
	indexStep             // [index]
	keyStep               // [name]
)

// NewPath returns a path starting at the named root field, with optional further children.
func NewPath(name string, more ...string) *Path {
	return (*Path)(nil).Child(name, more...)
}

// Child returns the path of a field below p, and of more fields below that one. Further
// names cost an allocation (the path keeps a copy of them); chained Child calls do not.
func (p *Path) Child(name string, more ...string) *Path {
	c := &Path{parent: p, name: name}
	if len(more) > 0 {
		c.more = slices.Clone(more) // paths are immutable: the caller may reuse more
	}
	return c
}

// Index returns the path of element i of the list at p.
func (p *Path) Index(i int) *Path { return &Path{parent: p, index: i, step: indexStep} }

// Key returns the path of map key k at p.
func (p *Path) Key(k string) *Path { return &Path{parent: p, name: k, step: keyStep} }

// String renders the path in Kubernetes' notation: a.b[0].c[key].
func (p *Path) String() string {
	if p == nil {
		return "<nil>"
	}
	var buf [128]byte
	return string(p.appendTo(buf[:0]))
}

// appendTo appends the rendered path to b.
func (p *Path) appendTo(b []byte) []byte {
	if p.parent != nil {
		b = p.parent.appendTo(b)
	}
	switch p.step {
	case indexStep:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	case keyStep:
		b = append(b, '[')
		b = append(b, p.name...)
		return append(b, ']')
	}
	b = appendField(b, p.name)
	for _, m := range p.more {
		b = appendField(b, m)
	}
	return b
}

// appendField appends a field step: the name, after a '.' unless it comes first.
func appendField(b []byte, name string) []byte {
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, name...)
}

// ErrorType classifies a field error.
type ErrorType string

// The field error types, with the wording Kubernetes prints for each.
const (
	ErrorTypeNotFound     ErrorType = "FieldValueNotFound"
	ErrorTypeRequired     ErrorType = "FieldValueRequired"
	ErrorTypeDuplicate    ErrorType = "FieldValueDuplicate"
	ErrorTypeInvalid      ErrorType = "FieldValueInvalid"
	ErrorTypeNotSupported ErrorType = "FieldValueNotSupported"
	ErrorTypeForbidden    ErrorType = "FieldValueForbidden"
	ErrorTypeTooLong      ErrorType = "FieldValueTooLong"
	ErrorTypeTooMany      ErrorType = "FieldValueTooMany"
	ErrorTypeInternal     ErrorType = "InternalError"
	ErrorTypeUnknown      ErrorType = "FieldValueUnknown"
)

// String returns the human wording of the error type, e.g. "Invalid value".
func (t ErrorType) String() string {
	switch t {
	case ErrorTypeNotFound:
		return "Not found"
	case ErrorTypeRequired:
		return "Required value"
	case ErrorTypeDuplicate:
		return "Duplicate value"
	case ErrorTypeInvalid:
		return "Invalid value"
	case ErrorTypeNotSupported:
		return "Unsupported value"
	case ErrorTypeForbidden:
		return "Forbidden"
	case ErrorTypeTooLong:
		return "Too long"
	case ErrorTypeTooMany:
		return "Too many"
	case ErrorTypeInternal:
		return "Internal error"
	case ErrorTypeUnknown:
		return "Unknown field"
	}
	return string(t)
}

// Error is one problem with one field.
type Error struct {
	// Type classifies the problem.
	Type ErrorType
	// Field is the field path, e.g. "spec.replicas".
	Field string
	// BadValue is the offending value, when there is one worth printing.
	BadValue any
	// Detail explains the rule that was broken.
	Detail string
}

// Error renders the error as Kubernetes does: `spec.replicas: Invalid value: -1: must be ...`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(e.Type.String())
	switch e.Type {
	case ErrorTypeInvalid, ErrorTypeNotSupported, ErrorTypeDuplicate, ErrorTypeNotFound, ErrorTypeTooLong, ErrorTypeTooMany, ErrorTypeUnknown:
		if e.BadValue != nil {
			b.WriteString(": ")
			b.WriteString(formatValue(e.BadValue))
		}
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case *string:
		if x == nil {
			return "null"
		}
		return strconv.Quote(*x)
	case *int32:
		if x == nil {
			return "null"
		}
		return strconv.Itoa(int(*x))
	case *int64:
		if x == nil {
			return "null"
		}
		return strconv.FormatInt(*x, 10)
	case fmt.Stringer:
		return strconv.Quote(x.String())
	}
	// Go syntax, as Kubernetes prints maps, slices and structs: map[string]string{"app":"web"}.
	return fmt.Sprintf("%#v", v)
}

func pathString(p *Path) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// Required reports a missing required field.
func Required(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeRequired, Field: pathString(p), Detail: detail}
}

// Invalid reports a value that breaks a rule.
func Invalid(p *Path, value any, detail string) *Error {
	return &Error{Type: ErrorTypeInvalid, Field: pathString(p), BadValue: value, Detail: detail}
}

// Forbidden reports a field that may not be set (or changed) here.
func Forbidden(p *Path, detail string) *Error {
	return &Error{Type: ErrorTypeForbidden, Field: pathString(p), Detail: detail}
}

// Duplicate reports a value that appears twice where it must be unique.
func Duplicate(p *Path, value any) *Error {
	return &Error{Type: ErrorTypeDuplicate, Field: pathString(p), BadValue: value}
}

// NotFound reports a reference to something that does not exist.
func NotFound(p *Path, value any) *Error {
	return &Error{Type: ErrorTypeNotFound, Field: pathString(p), BadValue: value}
}

// NotSupported reports a value outside an enumeration; the detail lists the allowed values.
func NotSupported[T ~string](p *Path, value any, allowed []T) *Error {
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = strconv.Quote(string(a))
	}
	return &Error{Type: ErrorTypeNotSupported, Field: pathString(p), BadValue: value, Detail: "supported values: " + strings.Join(quoted, ", ")}
}

// TooLong reports a value longer than max.
func TooLong(p *Path, value any, max int) *Error {
	return &Error{Type: ErrorTypeTooLong, Field: pathString(p), BadValue: value, Detail: fmt.Sprintf("must have at most %d bytes", max)}
}

// TooMany reports a list with more than max items.
func TooMany(p *Path, actual, max int) *Error {
	return &Error{Type: ErrorTypeTooMany, Field: pathString(p), BadValue: actual, Detail: fmt.Sprintf("must have at most %d items", max)}
}

// Unknown reports a field the schema does not have (strict decoding).
func Unknown(p *Path) *Error {
	return &Error{Type: ErrorTypeUnknown, Field: pathString(p)}
}

// Internal reports an unexpected failure while validating.
func Internal(p *Path, err error) *Error {
	return &Error{Type: ErrorTypeInternal, Field: pathString(p), Detail: err.Error()}
}

// ErrorList is a list of field errors; a nil or empty list means valid.
type ErrorList []*Error

// ToAggregate returns the list as a single error, or nil when it is empty.
func (l ErrorList) ToAggregate() error {
	if len(l) == 0 {
		return nil
	}
	return AggregateError(l)
}

// AggregateError is an ErrorList used as an error.
type AggregateError ErrorList

// Error joins the messages as Kubernetes does: one error alone, or "[a, b]".
func (a AggregateError) Error() string {
	if len(a) == 1 {
		return a[0].Error()
	}
	msgs := make([]string, len(a))
	for i, e := range a {
		msgs[i] = e.Error()
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// Errors returns the field errors.
func (a AggregateError) Errors() ErrorList { return ErrorList(a) }
