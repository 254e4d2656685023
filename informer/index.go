package informer

import (
	"slices"

	"github.com/skiff-dev/skiff/api/meta"
)

// NamespaceIndex is the name of the index every Cache has: objects by namespace.
// Cluster-scoped objects (namespace "") are not in it.
const NamespaceIndex = "namespace"

// IndexControllerUID is the conventional name for an index built with ControllerUIDIndexFunc,
// so that controllers sharing an informer share the index too (see ErrIndexExists).
const IndexControllerUID = "controllerUID"

// IndexFunc returns the values under which an index files obj; nil or empty means "not in
// this index". It is called with the cache's lock held: it must be fast, must not block and
// must not call back into the cache. It must not modify obj.
type IndexFunc[T meta.Object] func(obj T) []string

// Indexers names index functions.
type Indexers[T meta.Object] map[string]IndexFunc[T]

// ControllerUIDIndexFunc files an object under the UID of its controller owner reference
// (the owner with controller: true), so that a controller finds the objects it owns with
// ByIndex(IndexControllerUID, string(owner.UID)). Objects without a controller are not
// indexed.
func ControllerUIDIndexFunc[T meta.Object](obj T) []string {
	ref := meta.GetControllerOf(obj)
	if ref == nil {
		return nil
	}
	return []string{string(ref.UID)}
}

// index is one named index: value → key → entry. The sets hold entries rather than keys, so
// ByIndex reads the objects without a second lookup; each entry is shared with Cache.items.
type index[T meta.Object] struct {
	name   string
	fn     IndexFunc[T]
	values map[string]map[string]*entry[T]
}

func newIndex[T meta.Object](name string, fn IndexFunc[T]) *index[T] {
	return &index[T]{name: name, fn: fn, values: map[string]map[string]*entry[T]{}}
}

// add files e under each of vals.
func (ix *index[T]) add(e *entry[T], vals []string) {
	for _, v := range vals {
		set := ix.values[v]
		if set == nil {
			set = map[string]*entry[T]{}
			ix.values[v] = set
		}
		set[e.key] = e
	}
}

// remove takes e out of each of vals, dropping sets that become empty.
func (ix *index[T]) remove(e *entry[T], vals []string) {
	for _, v := range vals {
		set := ix.values[v]
		delete(set, e.key)
		if len(set) == 0 {
			delete(ix.values, v)
		}
	}
}

// update refiles e from oldVals to newVals. Most updates change no index value; they cost
// one comparison.
func (ix *index[T]) update(e *entry[T], oldVals, newVals []string) {
	if slices.Equal(oldVals, newVals) {
		return
	}
	ix.remove(e, oldVals)
	ix.add(e, newVals)
}
