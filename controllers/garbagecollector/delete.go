package garbagecollector

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// attemptToDelete decides about one object (doc.go, steps 3–6): check that it exists, then
// either finish a foreground deletion it is waiting on, or classify its owners and strip
// dangling references, or delete it.
func (r *run) attemptToDelete(ctx context.Context, uid meta.UID) error {
	st, ok := r.graph.state(uid)
	if !ok {
		return nil // gone from the graph since it was queued
	}
	if st.beingDeleted && !st.deletingDependents {
		return nil // on its way out; its removal will queue its dependents
	}
	latest, err := r.gc.get(ctx, st.identity)
	switch {
	case errors.Is(err, errUnresolvable):
		r.log.V(1).Info("Cannot read an object of an unknown kind", "object", st.identity.String())
		return nil
	case store.IsNotFound(err):
		r.graph.absent(st.identity)
		return nil
	case err != nil:
		return err
	case latest.GetUID() != uid:
		r.graph.absent(st.identity)
		return nil
	}
	if st.deletingDependents {
		return r.processDeletingDependents(ctx, st)
	}
	refs := latest.GetOwnerReferences()
	if len(refs) == 0 {
		return nil
	}
	c, err := r.gc.classify(ctx, latest, refs)
	if err != nil {
		return err
	}
	switch {
	case len(c.solid) > 0:
		// Kept by a live owner; drop the references that no longer mean anything, or that
		// would keep a foreground-deleting owner waiting for an object it cannot delete.
		strip := slices.Concat(c.dangling, c.waiting, c.orphaned)
		if len(strip) == 0 {
			return nil
		}
		r.log.V(1).Info("Removing references to absent or deleting owners", "object", st.identity.String(), "owners", strip)
		return r.gc.removeOwnerRefs(ctx, st.identity, strip)
	case len(c.dangling) == 0 && len(c.waiting) == 0:
		// Every owner was orphaned by this collector: the object was missed then.
		r.log.V(1).Info("Orphaning a dependent of orphaned owners", "object", st.identity.String())
		return r.gc.removeOwnerRefs(ctx, st.identity, c.orphaned)
	case len(c.waiting) > 0 && len(st.dependents) > 0:
		// An owner waits for its dependents, and this object has its own: delete it in the
		// foreground too, so that the wait cascades. A dependent of ours that is itself
		// deleting its dependents may be waiting for us (a cycle): stop blocking.
		if slices.ContainsFunc(st.dependents, func(d dependentState) bool { return d.deletingDependents }) {
			if err := r.gc.unblockOwnerRefs(ctx, st.identity); err != nil {
				return err
			}
		}
		r.log.Info("Deleting in the foreground: its owners are deleting their dependents", "object", st.identity.String())
		return r.gc.deleteObject(ctx, st.identity, latest.GetResourceVersion(), meta.DeletePropagationForeground)
	default:
		policy := meta.DeletePropagationBackground
		switch {
		case meta.HasFinalizer(latest, meta.FinalizerOrphanDependents):
			policy = meta.DeletePropagationOrphan
		case meta.HasFinalizer(latest, meta.FinalizerDeleteDependents):
			policy = meta.DeletePropagationForeground
		}
		r.log.Info("Deleting: no owner keeps it", "object", st.identity.String(), "propagationPolicy", policy,
			"dangling", len(c.dangling), "waiting", len(c.waiting))
		return r.gc.deleteObject(ctx, st.identity, latest.GetResourceVersion(), policy)
	}
}

// processDeletingDependents advances the foreground deletion of an owner (doc.go, step 4):
// with no blocking dependent left, its foregroundDeletion finalizer is removed; otherwise its
// blocking dependents are queued to be deleted.
func (r *run) processDeletingDependents(ctx context.Context, st nodeState) error {
	blocking := 0
	for _, d := range st.dependents {
		if !d.blocking {
			continue
		}
		blocking++
		if !d.deletingDependents {
			r.deletes.Add(d.identity.uid)
		}
	}
	if blocking > 0 {
		r.log.V(1).Info("Waiting for blocking dependents", "owner", st.identity.String(), "blocking", blocking)
		return nil
	}
	r.log.Info("No blocking dependents left; removing the foregroundDeletion finalizer", "owner", st.identity.String())
	return r.gc.removeFinalizer(ctx, st.identity, meta.FinalizerDeleteDependents)
}

// attemptToOrphan carries out an Orphan deletion (doc.go, step 5): remove the owner's
// references from every dependent in the graph, then the owner's orphan finalizer.
func (r *run) attemptToOrphan(ctx context.Context, uid meta.UID) error {
	st, ok := r.graph.state(uid)
	if !ok {
		return nil
	}
	var errs []error
	for _, d := range st.dependents {
		if err := r.gc.removeOwnerRefs(ctx, d.identity, []meta.UID{uid}); err != nil {
			errs = append(errs, fmt.Errorf("orphaning %s: %w", d.identity, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	r.gc.rememberOrphaned(uid)
	r.log.Info("Orphaned the dependents; removing the orphan finalizer", "owner", st.identity.String(), "dependents", len(st.dependents))
	return r.gc.removeFinalizer(ctx, st.identity, meta.FinalizerOrphanDependents)
}

// classification sorts an object's owner references (../shared/spec/objects.md §5).
type classification struct {
	// solid: the owner exists and is not deleting its dependents (or cannot be resolved).
	solid []meta.UID
	// dangling: the owner does not exist, or has another uid.
	dangling []meta.UID
	// waiting: the owner exists and is being deleted with foregroundDeletion.
	waiting []meta.UID
	// orphaned: dangling, but this collector orphaned the owner's dependents recently.
	orphaned []meta.UID
}

// classify resolves every owner reference of obj by a live read, matching by uid.
// References that cannot be resolved — a kind the scheme does not know, or a namespaced
// owner named by a cluster-scoped dependent — count as solid: such an object is never
// collected, as in Kubernetes.
func (gc *GarbageCollector) classify(ctx context.Context, obj meta.Object, refs []meta.OwnerReference) (classification, error) {
	var c classification
	ns := obj.GetNamespace()
	for _, ref := range refs {
		id := ownerRef(ref, ns)
		owner, err := gc.get(ctx, id)
		switch {
		case errors.Is(err, errUnresolvable):
			gc.log.V(1).Info("Owner reference cannot be resolved; keeping the object", "owner", id.String(), "error", err.Error())
			c.solid = append(c.solid, ref.UID)
		case store.IsNotFound(err) || err == nil && owner.GetUID() != ref.UID:
			if gc.wasOrphaned(ref.UID) {
				c.orphaned = append(c.orphaned, ref.UID)
			} else {
				c.dangling = append(c.dangling, ref.UID)
			}
		case err != nil:
			return c, err
		case owner.GetDeletionTimestamp() != nil && meta.HasFinalizer(owner, meta.FinalizerDeleteDependents):
			c.waiting = append(c.waiting, ref.UID)
		default:
			c.solid = append(c.solid, ref.UID)
		}
	}
	return c, nil
}

// errUnresolvable marks an identity that names no readable object: its kind is not in the
// scheme, or it is a namespaced kind without a namespace.
var errUnresolvable = errors.New("garbagecollector: unresolvable object reference")

// get reads id live through the client, in its namespace if its kind is namespaced.
func (gc *GarbageCollector) get(ctx context.Context, id objectRef) (meta.Object, error) {
	ns, err := gc.namespaceOf(id)
	if err != nil {
		return nil, err
	}
	return gc.client.Get(ctx, id.gvk, ns, id.name)
}

// namespaceOf returns the namespace to read id in.
func (gc *GarbageCollector) namespaceOf(id objectRef) (string, error) {
	info, err := gc.scheme.ForGVK(id.gvk)
	if err != nil {
		if errors.Is(err, scheme.ErrUnknownKind) {
			return "", fmt.Errorf("%w: %w", errUnresolvable, err)
		}
		return "", err
	}
	if !info.Namespaced {
		return "", nil
	}
	if id.namespace == "" {
		return "", fmt.Errorf("%w: %s is namespaced and its dependent is not", errUnresolvable, id.gvk.Kind)
	}
	return id.namespace, nil
}
