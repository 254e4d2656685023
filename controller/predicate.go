package controller

import (
	"maps"

	"github.com/skiff-dev/skiff/api/meta"
)

// Predicate filters the events of a source before its EventHandler sees them: an event
// passes when the method for its type returns true. Predicates get the informer cache's
// objects and must not modify them.
type Predicate[T meta.Object] interface {
	// Create reports whether a creation (or an object of the initial list) passes.
	Create(obj T) bool
	// Update reports whether a change passes. On a resync oldObj and newObj are the same
	// object.
	Update(oldObj, newObj T) bool
	// Delete reports whether a removal passes.
	Delete(obj T) bool
}

var (
	_ Predicate[meta.Object] = PredicateFuncs[meta.Object]{}
	_ Predicate[meta.Object] = GenerationChanged[meta.Object]{}
	_ Predicate[meta.Object] = LabelsChanged[meta.Object]{}
	_ Predicate[meta.Object] = AnnotationsChanged[meta.Object]{}
	_ Predicate[meta.Object] = ResourceVersionChanged[meta.Object]{}
)

// PredicateFuncs adapts functions to Predicate. A nil function lets its events pass.
type PredicateFuncs[T meta.Object] struct {
	// CreateFunc filters creations.
	CreateFunc func(obj T) bool
	// UpdateFunc filters changes.
	UpdateFunc func(oldObj, newObj T) bool
	// DeleteFunc filters removals.
	DeleteFunc func(obj T) bool
}

// Create calls CreateFunc, or returns true if it is nil.
func (p PredicateFuncs[T]) Create(obj T) bool { return p.CreateFunc == nil || p.CreateFunc(obj) }

// Update calls UpdateFunc, or returns true if it is nil.
func (p PredicateFuncs[T]) Update(oldObj, newObj T) bool {
	return p.UpdateFunc == nil || p.UpdateFunc(oldObj, newObj)
}

// Delete calls DeleteFunc, or returns true if it is nil.
func (p PredicateFuncs[T]) Delete(obj T) bool { return p.DeleteFunc == nil || p.DeleteFunc(obj) }

// NewPredicate returns the Predicate that lets an event pass when filter accepts its object
// (the new object of an update).
func NewPredicate[T meta.Object](filter func(obj T) bool) PredicateFuncs[T] {
	return PredicateFuncs[T]{
		CreateFunc: filter,
		UpdateFunc: func(_, newObj T) bool { return filter(newObj) },
		DeleteFunc: filter,
	}
}

// GenerationChanged lets an update pass only when metadata.generation changed, that is when
// the spec changed: status-only and metadata-only updates and resyncs are dropped. Creations
// and deletions pass. Kinds whose generation never changes (ConfigMap) lose every update.
type GenerationChanged[T meta.Object] struct{}

// Create returns true.
func (GenerationChanged[T]) Create(T) bool { return true }

// Update reports whether the generation changed.
func (GenerationChanged[T]) Update(oldObj, newObj T) bool {
	return oldObj.GetObjectMeta().Generation != newObj.GetObjectMeta().Generation
}

// Delete returns true.
func (GenerationChanged[T]) Delete(T) bool { return true }

// LabelsChanged lets an update pass only when the labels changed. Creations and deletions pass.
type LabelsChanged[T meta.Object] struct{}

// Create returns true.
func (LabelsChanged[T]) Create(T) bool { return true }

// Update reports whether the labels changed.
func (LabelsChanged[T]) Update(oldObj, newObj T) bool {
	return !maps.Equal(oldObj.GetObjectMeta().Labels, newObj.GetObjectMeta().Labels)
}

// Delete returns true.
func (LabelsChanged[T]) Delete(T) bool { return true }

// AnnotationsChanged lets an update pass only when the annotations changed. Creations and
// deletions pass.
type AnnotationsChanged[T meta.Object] struct{}

// Create returns true.
func (AnnotationsChanged[T]) Create(T) bool { return true }

// Update reports whether the annotations changed.
func (AnnotationsChanged[T]) Update(oldObj, newObj T) bool {
	return !maps.Equal(oldObj.GetObjectMeta().Annotations, newObj.GetObjectMeta().Annotations)
}

// Delete returns true.
func (AnnotationsChanged[T]) Delete(T) bool { return true }

// ResourceVersionChanged drops the updates that change nothing: resyncs and relists of an
// unchanged object, which carry the same resourceVersion. Creations and deletions pass.
type ResourceVersionChanged[T meta.Object] struct{}

// Create returns true.
func (ResourceVersionChanged[T]) Create(T) bool { return true }

// Update reports whether the resourceVersion changed.
func (ResourceVersionChanged[T]) Update(oldObj, newObj T) bool {
	return oldObj.GetObjectMeta().ResourceVersion != newObj.GetObjectMeta().ResourceVersion
}

// Delete returns true.
func (ResourceVersionChanged[T]) Delete(T) bool { return true }

// And returns the Predicate that lets an event pass when every one of ps does (checked in
// order, stopping at the first refusal). And() lets everything pass.
func And[T meta.Object](ps ...Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return all(ps, func(p Predicate[T]) bool { return p.Create(obj) }) },
		UpdateFunc: func(o, n T) bool { return all(ps, func(p Predicate[T]) bool { return p.Update(o, n) }) },
		DeleteFunc: func(obj T) bool { return all(ps, func(p Predicate[T]) bool { return p.Delete(obj) }) },
	}
}

// Or returns the Predicate that lets an event pass when any one of ps does (checked in order,
// stopping at the first). Or() lets nothing pass.
func Or[T meta.Object](ps ...Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return anyOf(ps, func(p Predicate[T]) bool { return p.Create(obj) }) },
		UpdateFunc: func(o, n T) bool { return anyOf(ps, func(p Predicate[T]) bool { return p.Update(o, n) }) },
		DeleteFunc: func(obj T) bool { return anyOf(ps, func(p Predicate[T]) bool { return p.Delete(obj) }) },
	}
}

// Not returns the Predicate that lets an event pass when p does not.
func Not[T meta.Object](p Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return !p.Create(obj) },
		UpdateFunc: func(o, n T) bool { return !p.Update(o, n) },
		DeleteFunc: func(obj T) bool { return !p.Delete(obj) },
	}
}

func all[T meta.Object](ps []Predicate[T], f func(Predicate[T]) bool) bool {
	for _, p := range ps {
		if !f(p) {
			return false
		}
	}
	return true
}

func anyOf[T meta.Object](ps []Predicate[T], f func(Predicate[T]) bool) bool {
	for _, p := range ps {
		if f(p) {
			return true
		}
	}
	return false
}
