package informer

import (
	"fmt"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
)

// Indexer is the read side of a Cache: what listers and controllers may do with an
// informer's cache. Every object it returns is shared with the cache and with every other
// reader: never modify one; DeepCopyObject first. The returned slices are the caller's.
type Indexer[T meta.Object] interface {
	// Get returns the object with key ("namespace/name", or "name" if cluster-scoped).
	Get(key string) (T, bool)
	// List returns every object, in no particular order.
	List() []T
	// Keys returns every key, in no particular order.
	Keys() []string
	// Len returns the number of objects.
	Len() int
	// ByIndex returns the objects the named index files under value, in no particular order.
	// It fails with ErrUnknownIndex if there is no such index.
	ByIndex(index, value string) ([]T, error)
}

var _ Indexer[meta.Object] = (*Cache[meta.Object])(nil)

// CacheOptions configure NewCache. The zero value is a cache with the namespace index only.
type CacheOptions[T meta.Object] struct {
	// Indexers are index functions to add besides NamespaceIndex.
	Indexers Indexers[T]
	// MutationCheck says whether to detect modifications of cached objects (see
	// MutationCheck). Default: MutationCheckAuto.
	MutationCheck MutationCheck
}

// Cache is a thread-safe map of objects keyed by "namespace/name" ("name" for
// cluster-scoped objects), with indexes. It stores each object once; indexes refer to it.
// Informers keep their state in one; tests of controllers may fill one by hand and read it
// through a Lister.
//
// Objects in a Cache are shared and read-only: whoever puts an object in gives it up, and
// whoever gets one out must not modify it. With mutation detection on, a modification is
// reported by a panic naming the object's key.
//
// A Cache is safe for concurrent use.
type Cache[T meta.Object] struct {
	// mu guards items, byNamespace, indexes, userIndexes and the detector's copies.
	mu          sync.RWMutex
	items       map[string]*entry[T]
	byNamespace *index[T]
	indexes     map[string]*index[T] // every index by name, NamespaceIndex included
	userIndexes []*index[T]          // the indexes with an IndexFunc, for iteration
	detector    *mutationDetector[T] // nil when mutation detection is off
}

// entry holds one cached object under its key. Updates replace obj in place, so that the
// index sets, which point at entries, stay valid and cost nothing to maintain when no index
// value changes.
type entry[T meta.Object] struct {
	key string
	obj T
}

// NewCache returns an empty cache with NamespaceIndex and opts.Indexers. It panics if
// opts.Indexers names NamespaceIndex.
func NewCache[T meta.Object](opts CacheOptions[T]) *Cache[T] {
	ns := newIndex[T](NamespaceIndex, nil)
	c := &Cache[T]{
		items:       map[string]*entry[T]{},
		byNamespace: ns,
		indexes:     map[string]*index[T]{NamespaceIndex: ns},
	}
	if opts.MutationCheck.enabled() {
		c.detector = newMutationDetector[T]()
	}
	if err := c.AddIndexers(opts.Indexers); err != nil {
		panic(fmt.Sprintf("informer.NewCache: %v", err))
	}
	return c
}

// AddIndexers adds index functions and files every cached object in them. It fails with
// ErrIndexExists, adding none, if one of the names is taken.
func (c *Cache[T]) AddIndexers(indexers Indexers[T]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, fn := range indexers {
		if _, ok := c.indexes[name]; ok {
			return fmt.Errorf("%w: %q", ErrIndexExists, name)
		}
		if fn == nil {
			return fmt.Errorf("informer: index %q has a nil IndexFunc", name)
		}
	}
	for name, fn := range indexers {
		ix := newIndex(name, fn)
		for _, e := range c.items {
			ix.add(e, fn(e.obj))
		}
		c.indexes[name] = ix
		c.userIndexes = append(c.userIndexes, ix)
	}
	return nil
}

// Get returns the object with key. It must not be modified.
func (c *Cache[T]) Get(key string) (T, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if e, ok := c.items[key]; ok {
		return e.obj, true
	}
	var zero T
	return zero, false
}

// getNamespaced is Get for the key of namespace and name, built without allocating.
func (c *Cache[T]) getNamespaced(namespace, name string) (T, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if e := c.lookupLocked(namespace, name); e != nil {
		return e.obj, true
	}
	var zero T
	return zero, false
}

// List returns every object, in no particular order. The objects must not be modified.
func (c *Cache[T]) List() []T {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]T, 0, len(c.items))
	for _, e := range c.items {
		out = append(out, e.obj)
	}
	return out
}

// Keys returns every key, in no particular order.
func (c *Cache[T]) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.items))
	for k := range c.items {
		out = append(out, k)
	}
	return out
}

// Len returns the number of cached objects.
func (c *Cache[T]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

// ByIndex returns the objects that index files under value, in no particular order. The
// objects must not be modified.
func (c *Cache[T]) ByIndex(index, value string) ([]T, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ix, ok := c.indexes[index]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownIndex, index)
	}
	set := ix.values[value]
	out := make([]T, 0, len(set))
	for _, e := range set {
		out = append(out, e.obj)
	}
	return out, nil
}

// visit calls fn for every object the index files under value, or for every object when
// index is "". It holds the read lock throughout: fn must not call back into the cache.
func (c *Cache[T]) visit(index, value string, fn func(T)) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if index == "" {
		for _, e := range c.items {
			fn(e.obj)
		}
		return nil
	}
	ix, ok := c.indexes[index]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownIndex, index)
	}
	for _, e := range ix.values[value] {
		fn(e.obj)
	}
	return nil
}

// Set stores obj under its key, replacing (and returning) the object stored there before.
// The cache takes obj over: nobody may modify it afterwards.
func (c *Cache[T]) Set(obj T) (old T, existed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.setLocked(obj)
}

// Delete removes the object with key and returns it.
func (c *Cache[T]) Delete(key string) (old T, existed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deleteLocked(key)
}

// setLocked does Set's work; the caller holds c.mu for writing.
func (c *Cache[T]) setLocked(obj T) (old T, existed bool) {
	m := obj.GetObjectMeta()
	var buf [256]byte
	kb := appendKey(buf[:0], m.Namespace, m.Name)
	if e, ok := c.items[string(kb)]; ok {
		if c.detector != nil {
			c.detector.verify(e)
		}
		old = e.obj
		e.obj = obj
		// The namespace is part of the key: it cannot change.
		for _, ix := range c.userIndexes {
			ix.update(e, ix.fn(old), ix.fn(obj))
		}
		if c.detector != nil {
			c.detector.record(e)
		}
		return old, true
	}
	e := &entry[T]{key: string(kb), obj: obj}
	c.items[e.key] = e
	if m.Namespace != "" {
		c.byNamespace.add(e, []string{m.Namespace})
	}
	for _, ix := range c.userIndexes {
		ix.add(e, ix.fn(obj))
	}
	if c.detector != nil {
		c.detector.record(e)
	}
	return old, false
}

// deleteLocked does Delete's work; the caller holds c.mu for writing.
func (c *Cache[T]) deleteLocked(key string) (old T, existed bool) {
	e, ok := c.items[key]
	if !ok {
		return old, false
	}
	c.removeLocked(e)
	return e.obj, true
}

// lookupLocked returns the entry of namespace and name, building the key without
// allocating; the caller holds c.mu.
func (c *Cache[T]) lookupLocked(namespace, name string) *entry[T] {
	var buf [256]byte
	return c.items[string(appendKey(buf[:0], namespace, name))]
}

// removeLocked takes e out of the cache and its indexes; the caller holds c.mu for writing.
func (c *Cache[T]) removeLocked(e *entry[T]) {
	if c.detector != nil {
		c.detector.verify(e)
		c.detector.forget(e)
	}
	delete(c.items, e.key)
	if ns := e.obj.GetObjectMeta().Namespace; ns != "" {
		c.byNamespace.remove(e, []string{ns})
	}
	for _, ix := range c.userIndexes {
		ix.remove(e, ix.fn(e.obj))
	}
}

// growLocked makes room for n more objects when the cache is empty, so that an initial list
// fills a map of the right size instead of growing one step by step.
func (c *Cache[T]) growLocked(n int) {
	if len(c.items) == 0 && n > 8 {
		c.items = make(map[string]*entry[T], n)
	}
}

// checkMutations panics if a cached object was modified; a no-op without mutation detection.
func (c *Cache[T]) checkMutations() {
	if c.detector == nil {
		return
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, e := range c.items {
		c.detector.verify(e)
	}
}

// appendKey appends the cache key of namespace and name to b.
func appendKey(b []byte, namespace, name string) []byte {
	if namespace == "" {
		return append(b, name...)
	}
	b = append(b, namespace...)
	b = append(b, '/')
	return append(b, name...)
}
