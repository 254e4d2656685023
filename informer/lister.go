package informer

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Lister reads typed objects from a cache: what reconcilers use instead of the store. Every
// object it returns is shared with the cache: never modify one; DeepCopyObject first. The
// slices are the caller's. The zero Lister is not usable; get one from Informer.Lister or
// NewLister.
type Lister[T meta.Object] struct {
	idx      Indexer[T]
	resource scheme.GroupResource
}

// NamespaceLister is a Lister restricted to one namespace.
type NamespaceLister[T meta.Object] struct {
	l         Lister[T]
	namespace string
}

// NewLister returns a Lister over idx (usually a *Cache filled by hand, in tests). resource
// names the kind in NotFound errors.
func NewLister[T meta.Object](idx Indexer[T], resource scheme.GroupResource) Lister[T] {
	return Lister[T]{idx: idx, resource: resource}
}

// List returns the objects whose labels match sel, in every namespace, in no particular
// order. A nil sel matches everything.
func (l Lister[T]) List(sel labels.Selector) []T {
	return l.list("", "", sel)
}

// Get returns the cluster-scoped object named name, or a store NotFound error
// (store.IsNotFound). For namespaced kinds use Namespace(ns).Get.
func (l Lister[T]) Get(name string) (T, error) {
	return l.get("", name)
}

// Namespace returns a lister of the objects in namespace; "" means every namespace.
func (l Lister[T]) Namespace(namespace string) NamespaceLister[T] {
	return NamespaceLister[T]{l: l, namespace: namespace}
}

// ByIndex returns the objects the named index files under value. It fails with
// ErrUnknownIndex if there is no such index.
func (l Lister[T]) ByIndex(index, value string) ([]T, error) {
	return l.idx.ByIndex(index, value)
}

// List returns the objects of the namespace whose labels match sel, in no particular order.
// A nil sel matches everything.
func (n NamespaceLister[T]) List(sel labels.Selector) []T {
	if n.namespace == "" {
		return n.l.list("", "", sel)
	}
	return n.l.list(NamespaceIndex, n.namespace, sel)
}

// Get returns the object of the namespace named name, or a store NotFound error
// (store.IsNotFound).
func (n NamespaceLister[T]) Get(name string) (T, error) {
	return n.l.get(n.namespace, name)
}

// list returns the objects of an index value (all objects when index is "") that match sel.
func (l Lister[T]) list(index, value string, sel labels.Selector) []T {
	everything := sel == nil || sel.Empty()
	var out []T
	keep := func(o T) {
		if everything || sel.Matches(labels.Set(o.GetObjectMeta().Labels)) {
			out = append(out, o)
		}
	}
	if c, ok := l.idx.(*Cache[T]); ok {
		_ = c.visit(index, value, keep) // NamespaceIndex always exists
		return out
	}
	var objs []T
	if index == "" {
		objs = l.idx.List()
	} else {
		objs, _ = l.idx.ByIndex(index, value)
	}
	if everything {
		return objs
	}
	for _, o := range objs {
		keep(o)
	}
	return out
}

func (l Lister[T]) get(namespace, name string) (T, error) {
	var obj T
	var ok bool
	if c, isCache := l.idx.(*Cache[T]); isCache {
		obj, ok = c.getNamespaced(namespace, name)
	} else {
		obj, ok = l.idx.Get(string(appendKey(nil, namespace, name)))
	}
	if !ok {
		return obj, store.NewNotFound(l.resource, name)
	}
	return obj, nil
}
