package boltstore

import (
	"github.com/google/btree"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// objKey identifies an object within its kind.
type objKey struct {
	namespace, name string
}

func lessKey(a, b objKey) bool {
	if a.namespace != b.namespace {
		return a.namespace < b.namespace
	}
	return a.name < b.name
}

// item is the current state of one object. Its fields change (under Store.mu held for
// writing) when the object is updated: read them under the lock.
type item struct {
	key objKey
	obj meta.Object // immutable once stored; shared with watch events
	rev uint64      // obj's resourceVersion
}

// kindIndex holds the current objects of one kind: a map for lookups and a B-tree of keys for
// ordered listing. It is guarded by Store.mu (written only by the committer under the write
// lock).
type kindIndex struct {
	info  *scheme.KindInfo
	gvk   string // gvkString(info.GVK), as in records
	items map[objKey]*item
	order *btree.BTreeG[*item] // the same items, by key
}

func newKindIndex(info *scheme.KindInfo) *kindIndex {
	return &kindIndex{
		info:  info,
		gvk:   gvkString(info.GVK),
		items: map[objKey]*item{},
		order: btree.NewG(32, func(a, b *item) bool { return lessKey(a.key, b.key) }),
	}
}

// put stores obj as the current state of k.
func (ki *kindIndex) put(k objKey, obj meta.Object, rev uint64) {
	if it, ok := ki.items[k]; ok {
		it.obj, it.rev = obj, rev
		return
	}
	it := &item{key: k, obj: obj, rev: rev}
	ki.items[k] = it
	ki.order.ReplaceOrInsert(it)
}

// remove deletes k.
func (ki *kindIndex) remove(k objKey) {
	if it, ok := ki.items[k]; ok {
		delete(ki.items, k)
		ki.order.Delete(it)
	}
}

// ascend calls fn for each item in namespace ns ("" = all) whose key is greater than after
// (or from the first when after is nil), in key order, until fn returns false.
func (ki *kindIndex) ascend(ns string, after *objKey, fn func(*item) bool) {
	pivot := &item{key: objKey{namespace: ns}}
	if after != nil {
		pivot = &item{key: *after}
	}
	ki.order.AscendGreaterOrEqual(pivot, func(it *item) bool {
		if after != nil && it.key == *after {
			return true
		}
		if ns != "" && it.key.namespace != ns {
			return false
		}
		return fn(it)
	})
}
