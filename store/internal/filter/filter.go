package filter

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Predicate selects objects. The zero value selects everything. It is immutable and safe for
// concurrent use.
type Predicate struct {
	// Namespace, when not empty, is the only namespace selected.
	Namespace string
	label     labels.Selector      // nil: everything
	field     fields.Selector      // nil: everything
	terms     []fields.Requirement // field's requirements, evaluated without allocating
}

// New returns a predicate, or a BadRequest error when the field selector names a field that is
// not in store.SelectableFields.
func New(namespace string, label labels.Selector, field fields.Selector) (Predicate, error) {
	p := Predicate{Namespace: namespace}
	if label != nil && !label.Empty() {
		p.label = label
	}
	if field != nil && !field.Empty() {
		p.terms = field.Requirements()
		for _, r := range p.terms {
			if !slices.Contains(store.SelectableFields, r.Field) {
				return Predicate{}, store.NewBadRequest(fmt.Sprintf("field label not supported: %s", r.Field))
			}
			if r.Operator != fields.Equals && r.Operator != fields.NotEquals {
				return Predicate{}, store.NewBadRequest(fmt.Sprintf("field selector operator not supported: %s", r.Operator))
			}
		}
		p.field = field
	}
	return p, nil
}

// HasSelectors reports whether the predicate has a label or field selector (namespace aside).
func (p Predicate) HasSelectors() bool { return p.label != nil || p.field != nil }

// Matches reports whether obj is selected. It does not allocate.
func (p Predicate) Matches(obj meta.Object) bool {
	m := obj.GetObjectMeta()
	if p.Namespace != "" && m.Namespace != p.Namespace {
		return false
	}
	if p.label != nil && !p.label.Matches(labels.Set(m.Labels)) {
		return false
	}
	for _, r := range p.terms {
		v, _ := Field(obj, r.Field) // a missing field reads as "", as in Kubernetes
		if (r.Operator == fields.Equals) != (v == r.Value) {
			return false
		}
	}
	return true
}

// Key returns a string that identifies the predicate, for checking that a continue token is
// used with the selectors it was issued for.
func (p Predicate) Key() string {
	var b strings.Builder
	b.WriteString(p.Namespace)
	b.WriteByte('|')
	if p.label != nil {
		b.WriteString(p.label.String())
	}
	b.WriteByte('|')
	if p.field != nil {
		b.WriteString(p.field.String())
	}
	return b.String()
}

// Field returns the value of one of store.SelectableFields of obj, and whether obj has it.
func Field(obj meta.Object, field string) (string, bool) {
	switch field {
	case "metadata.name":
		return obj.GetObjectMeta().Name, true
	case "metadata.namespace":
		return obj.GetObjectMeta().Namespace, true
	case "spec.nodeName":
		return StringField(obj, "spec", "nodeName")
	case "status.phase":
		return StringField(obj, "status", "phase")
	}
	return "", false
}

// Set returns the selectable fields of obj as a fields.Set.
func Set(obj meta.Object) fields.Set {
	s := fields.Set{}
	for _, f := range store.SelectableFields {
		if v, ok := Field(obj, f); ok {
			s[f] = v
		}
	}
	return s
}

// StringField reads a string-kinded field two levels down, named by JSON names (e.g. "spec",
// "nodeName"), from a typed object or a *scheme.Unstructured.
func StringField(obj meta.Object, outer, inner string) (string, bool) {
	if u, ok := obj.(*scheme.Unstructured); ok {
		v, ok := u.Field(outer, inner)
		if !ok {
			return "", false
		}
		s, ok := v.(string)
		return s, ok
	}
	idx := fieldIndex(reflect.TypeOf(obj), outer, inner, reflect.String)
	if idx == nil {
		return "", false
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(idx).String(), true
}

// Int64PtrField reads a *int64 field two levels down, like StringField. It reports false when
// the kind has no such field; a nil pointer reads as (nil, true).
func Int64PtrField(obj meta.Object, outer, inner string) (*int64, bool) {
	if u, ok := obj.(*scheme.Unstructured); ok {
		v, ok := u.Field(outer, inner)
		if !ok {
			return nil, false
		}
		switch n := v.(type) {
		case float64:
			i := int64(n)
			return &i, true
		case int64:
			return &n, true
		}
		return nil, false
	}
	idx := fieldIndex(reflect.TypeOf(obj), outer, inner, reflect.Pointer)
	if idx == nil {
		return nil, false
	}
	v := reflect.ValueOf(obj).Elem().FieldByIndex(idx)
	if v.Type().Elem().Kind() != reflect.Int64 {
		return nil, false
	}
	if v.IsNil() {
		return nil, true
	}
	i := v.Elem().Int()
	return &i, true
}

type pathKey struct {
	t            reflect.Type
	outer, inner string
}

var indexCache sync.Map // pathKey -> []int (nil slice stored as empty when absent)

// fieldIndex finds the struct field path for JSON names outer.inner in *T, or nil.
func fieldIndex(t reflect.Type, outer, inner string, kind reflect.Kind) []int {
	k := pathKey{t, outer, inner}
	if v, ok := indexCache.Load(k); ok {
		idx := v.([]int)
		if len(idx) == 0 {
			return nil
		}
		return idx
	}
	idx := findIndex(t, outer, inner, kind)
	indexCache.Store(k, idx)
	if len(idx) == 0 {
		return nil
	}
	return idx
}

func findIndex(t reflect.Type, outer, inner string, kind reflect.Kind) []int {
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return []int{}
	}
	of, ok := jsonField(t.Elem(), outer)
	if !ok || of.Type.Kind() != reflect.Struct {
		return []int{}
	}
	inf, ok := jsonField(of.Type, inner)
	if !ok || inf.Type.Kind() != kind {
		return []int{}
	}
	return append(append([]int{}, of.Index...), inf.Index...)
}

func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name || (tag == "" && strings.EqualFold(f.Name, name)) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
