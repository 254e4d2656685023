package garbagecollector

import (
	"context"
	"errors"
	"slices"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// The collector's writes. Each names the object by its identity and checks its uid, so that
// an object re-created under the same name is never touched: deletes carry a uid (and
// resourceVersion) precondition, updates are optimistic-concurrency read-modify-writes that
// give up when the uid differs. An object that is gone is not an error.

// errReplaced aborts an update of an object whose uid is no longer the one in the graph.
var errReplaced = errors.New("garbagecollector: object was replaced")

// deleteObject deletes id with policy, if it is still at resourceVersion rv: an object that
// changed since it was read is queued again by the failure (Conflict) and decided anew.
func (gc *GarbageCollector) deleteObject(ctx context.Context, id objectRef, rv string, policy meta.DeletionPropagation) error {
	ns, err := gc.namespaceOf(id)
	if err != nil {
		return err
	}
	uid := id.uid
	_, err = gc.client.Delete(ctx, id.gvk, ns, id.name, store.DeleteOptions{
		Preconditions:     &meta.Preconditions{UID: &uid, ResourceVersion: &rv},
		PropagationPolicy: &policy,
	})
	if store.IsNotFound(err) {
		return nil
	}
	return err
}

// update applies mutate to a fresh copy of id and writes it with the read resourceVersion,
// retrying on Conflict. Nothing is written when mutate leaves the object unchanged.
func (gc *GarbageCollector) update(ctx context.Context, id objectRef, mutate func(meta.Object)) error {
	ns, err := gc.namespaceOf(id)
	if err != nil {
		return err
	}
	_, err = store.GuaranteedUpdate(ctx, gc.client, id.gvk, ns, id.name, func(cur meta.Object) (meta.Object, error) {
		if cur.GetUID() != id.uid {
			return nil, errReplaced
		}
		mutate(cur)
		return cur, nil
	})
	if store.IsNotFound(err) || errors.Is(err, errReplaced) {
		return nil
	}
	return err
}

// removeOwnerRefs removes the owner references to uids from id.
func (gc *GarbageCollector) removeOwnerRefs(ctx context.Context, id objectRef, uids []meta.UID) error {
	return gc.update(ctx, id, func(o meta.Object) {
		refs := o.GetOwnerReferences()
		kept := slices.DeleteFunc(slices.Clone(refs), func(r meta.OwnerReference) bool { return slices.Contains(uids, r.UID) })
		if len(kept) == len(refs) {
			return
		}
		if len(kept) == 0 {
			kept = nil
		}
		o.SetOwnerReferences(kept)
	})
}

// unblockOwnerRefs sets blockOwnerDeletion to false on every owner reference of id that has
// it true, so that no owner waits for id any more.
func (gc *GarbageCollector) unblockOwnerRefs(ctx context.Context, id objectRef) error {
	return gc.update(ctx, id, func(o meta.Object) {
		refs := o.GetOwnerReferences()
		for i := range refs {
			if b := refs[i].BlockOwnerDeletion; b != nil && *b {
				f := false
				refs[i].BlockOwnerDeletion = &f
			}
		}
	})
}

// removeFinalizer removes finalizer f from id. Removing the last finalizer of an object
// being deleted removes the object.
func (gc *GarbageCollector) removeFinalizer(ctx context.Context, id objectRef, f string) error {
	return gc.update(ctx, id, func(o meta.Object) { meta.RemoveFinalizer(o, f) })
}
