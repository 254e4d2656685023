package scheme

import (
	"fmt"
	"maps"
	"reflect"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// Strategy is what the store asks of a kind on every write. The store owns the objects it passes:
// a strategy may modify obj but never old.
type Strategy interface {
	// Default fills in defaults (it is also applied on decode at the edges).
	Default(obj meta.Object)
	// PrepareForCreate readies a new object after the store set its uid and timestamps:
	// generation 1, status cleared for kinds with a status subresource, kind-specific set-up.
	PrepareForCreate(obj meta.Object)
	// PrepareForUpdate carries over what an Update may not change (status, for kinds with a
	// status subresource) and sets generation: old+1 when the spec changed, else old's.
	PrepareForUpdate(obj, old meta.Object)
	// PrepareForStatusUpdate carries over everything but status from old, so that an
	// UpdateStatus changes only the status.
	PrepareForStatusUpdate(obj, old meta.Object)
	// Validate checks a new object, metadata included.
	Validate(obj meta.Object) validation.ErrorList
	// ValidateUpdate checks an update, metadata immutability included.
	ValidateUpdate(obj, old meta.Object) validation.ErrorList
	// ValidateStatusUpdate checks a status update, metadata immutability included.
	ValidateStatusUpdate(obj, old meta.Object) validation.ErrorList
}

// fieldAccess finds the Spec and Status fields of a kind's struct type.
type fieldAccess struct {
	spec   []int // field index path of Spec, nil if none
	status []int // field index path of Status, nil if none
}

func newFieldAccess(t reflect.Type, needStatus bool) (*fieldAccess, error) {
	a := &fieldAccess{}
	if f, ok := t.FieldByName("Spec"); ok {
		a.spec = f.Index
	}
	if f, ok := t.FieldByName("Status"); ok {
		a.status = f.Index
	}
	if needStatus && a.status == nil {
		return nil, fmt.Errorf("HasStatus is set but %s has no Status field", t)
	}
	return a, nil
}

func (a *fieldAccess) field(obj meta.Object, idx []int) reflect.Value {
	return reflect.ValueOf(obj).Elem().FieldByIndex(idx)
}

// typedStrategy implements Strategy for a registered Go type.
type typedStrategy[T meta.Object] struct {
	kind Kind[T]
	info *KindInfo
}

func (s *typedStrategy[T]) Default(obj meta.Object) {
	if s.kind.Default != nil {
		s.kind.Default(obj.(T))
	}
}

func (s *typedStrategy[T]) PrepareForCreate(obj meta.Object) {
	obj.GetObjectMeta().Generation = 1
	if s.info.HasStatus && !s.kind.KeepStatusOnCreate {
		st := s.info.access.field(obj, s.info.access.status)
		st.Set(reflect.Zero(st.Type()))
	}
	if s.kind.PrepareForCreate != nil {
		s.kind.PrepareForCreate(obj.(T))
	}
}

func (s *typedStrategy[T]) PrepareForUpdate(obj, old meta.Object) {
	acc := s.info.access
	if s.info.HasStatus {
		acc.field(obj, acc.status).Set(acc.field(old, acc.status))
	}
	m, om := obj.GetObjectMeta(), old.GetObjectMeta()
	m.Generation = om.Generation
	changed := false
	if acc.spec != nil {
		changed = !reflect.DeepEqual(acc.field(obj, acc.spec).Interface(), acc.field(old, acc.spec).Interface())
	}
	if !changed && s.kind.GenerationOnAnnotations {
		changed = !maps.Equal(m.Annotations, om.Annotations)
	}
	if changed {
		m.Generation++
	}
	if s.kind.PrepareForUpdate != nil {
		s.kind.PrepareForUpdate(obj.(T), old.(T))
	}
}

func (s *typedStrategy[T]) PrepareForStatusUpdate(obj, old meta.Object) {
	acc := s.info.access
	if acc.spec != nil {
		acc.field(obj, acc.spec).Set(acc.field(old, acc.spec))
	}
	rv := obj.GetObjectMeta().ResourceVersion
	*obj.GetObjectMeta() = *old.GetObjectMeta()
	obj.GetObjectMeta().ResourceVersion = rv
}

func (s *typedStrategy[T]) nameRule() validation.NameFunc {
	if s.kind.NameRule != nil {
		return s.kind.NameRule
	}
	return validation.NameIsDNSSubdomain
}

func (s *typedStrategy[T]) Validate(obj meta.Object) validation.ErrorList {
	if s.kind.Validate != nil {
		return dedupe(s.kind.Validate(obj.(T)))
	}
	return validation.ValidateObjectMeta(obj.GetObjectMeta(), s.info.Namespaced, s.nameRule(), validation.NewPath("metadata"))
}

func (s *typedStrategy[T]) ValidateUpdate(obj, old meta.Object) validation.ErrorList {
	if s.kind.ValidateUpdate != nil {
		return dedupe(s.kind.ValidateUpdate(obj.(T), old.(T)))
	}
	errs := s.validateMetaUpdate(obj, old)
	if s.kind.Validate != nil {
		errs = append(errs, s.kind.Validate(obj.(T))...)
	}
	return dedupe(errs)
}

func (s *typedStrategy[T]) ValidateStatusUpdate(obj, old meta.Object) validation.ErrorList {
	if s.kind.ValidateStatusUpdate != nil {
		return dedupe(s.kind.ValidateStatusUpdate(obj.(T), old.(T)))
	}
	return s.validateMetaUpdate(obj, old)
}

func (s *typedStrategy[T]) validateMetaUpdate(obj, old meta.Object) validation.ErrorList {
	return validation.ValidateObjectMetaUpdate(obj.GetObjectMeta(), old.GetObjectMeta(), s.info.Namespaced, s.nameRule(), validation.NewPath("metadata"))
}

// dedupe drops repeated errors: a kind's ValidateUpdate may re-check what Validate and the
// metadata checks already reported.
func dedupe(errs validation.ErrorList) validation.ErrorList {
	if len(errs) < 2 {
		return errs
	}
	seen := make(map[string]bool, len(errs))
	out := errs[:0]
	for _, e := range errs {
		k := e.Error()
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}
