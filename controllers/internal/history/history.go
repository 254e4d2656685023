package history

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

// maxCollisions bounds Create's attempts: FNV-32 collisions are rare, so many in a row mean
// something else is wrong (revisions created faster than the cache shows them).
const maxCollisions = 64

// History reads the ControllerRevisions of owners from an informer cache and writes them
// through a client. It is safe for concurrent use.
type History struct {
	revs   *client.Typed[*apps.ControllerRevision]
	lister informer.Lister[*apps.ControllerRevision]
}

// NewHistory returns a History writing through c and reading from lister.
func NewHistory(c client.Client, lister informer.Lister[*apps.ControllerRevision]) *History {
	return &History{revs: client.For[*apps.ControllerRevision](c), lister: lister}
}

// Claim returns the revisions of owner's namespace that owner controls and sel matches,
// sorted oldest first, after adopting the orphans sel matches and releasing the controlled
// revisions it no longer matches (../shared/spec/objects.md §4). ref is owner's controller
// reference; canAdopt, when set, is asked once before the first adoption (see
// controllerref.RecheckDeletion). The revisions returned are the cache's (or, when adopted,
// the updated ones): read-only. Failed adoptions and releases are returned joined, with the
// revisions claimed.
func (h *History) Claim(ctx context.Context, owner meta.Object, ref meta.OwnerReference, sel labels.Selector, canAdopt func(context.Context) error) ([]*apps.ControllerRevision, error) {
	m := owner.GetObjectMeta()
	claimer := controllerref.NewClaimer(h.revs, ref, sel, controllerref.Options[*apps.ControllerRevision]{
		Namespace: m.Namespace,
		Deleting:  m.DeletionTimestamp != nil,
		CanAdopt:  canAdopt,
	})
	revs, err := claimer.Claim(ctx, h.lister.Namespace(m.Namespace).List(nil))
	Sort(revs)
	return revs, err
}

// Create creates rev, a revision built by New whose hash is hashFn(collisionCount). When a
// revision of the same name already exists it is returned if its data equals rev's; if not,
// the name is taken by other data (a hash collision): *collisionCount is incremented, the
// name and the hashLabel label are recomputed with hashFn, and Create tries again. The
// caller writes the new collision count into its owner's status. rev is not modified.
func (h *History) Create(ctx context.Context, rev *apps.ControllerRevision, hashLabel string, collisionCount *int32, hashFn func(collisionCount *int32) string) (*apps.ControllerRevision, error) {
	if collisionCount == nil {
		return nil, ErrNilCollisionCount
	}
	owner := ""
	if ref := meta.GetControllerOf(rev); ref != nil {
		owner = ref.Name
	}
	clone := rev.DeepCopyObject().(*apps.ControllerRevision)
	for range maxCollisions {
		hash := hashFn(collisionCount)
		clone.Name = Name(owner, hash)
		if clone.Labels == nil {
			clone.Labels = map[string]string{}
		}
		clone.Labels[hashLabel] = hash
		created, err := h.revs.Create(ctx, clone)
		if !store.IsAlreadyExists(err) {
			return created, err
		}
		existing, err := h.revs.Get(ctx, clone.Namespace, clone.Name)
		if err != nil {
			return nil, err
		}
		if Equal(existing, clone) {
			return existing, nil
		}
		*collisionCount++
	}
	return nil, fmt.Errorf("history: %d hash collisions in a row creating a revision of %s", maxCollisions, owner)
}

// Renumber sets rev's revision number to n (a rollback makes an old revision the newest)
// and returns the updated revision. rev is not modified.
func (h *History) Renumber(ctx context.Context, rev *apps.ControllerRevision, n int64) (*apps.ControllerRevision, error) {
	if rev.Revision == n {
		return rev, nil
	}
	return client.GuaranteedUpdate(ctx, h.revs, rev.Namespace, rev.Name, func(r *apps.ControllerRevision) error {
		if r.UID != rev.UID {
			return store.NewConflict(h.revs.Kind().GroupResource(), rev.Name, "the revision was replaced")
		}
		r.Revision = n
		return nil
	})
}

// Relabel sets rev's label key to value and returns the updated revision. rev is not
// modified.
func (h *History) Relabel(ctx context.Context, rev *apps.ControllerRevision, key, value string) (*apps.ControllerRevision, error) {
	return client.GuaranteedUpdate(ctx, h.revs, rev.Namespace, rev.Name, func(r *apps.ControllerRevision) error {
		if r.Labels == nil {
			r.Labels = map[string]string{}
		}
		r.Labels[key] = value
		return nil
	})
}

// Delete deletes rev (this very object: its UID is a precondition). A revision already gone
// is not an error.
func (h *History) Delete(ctx context.Context, rev *apps.ControllerRevision) error {
	_, err := h.revs.Delete(ctx, rev.Namespace, rev.Name, client.PreconditionUID(rev.UID))
	if store.IsNotFound(err) {
		return nil
	}
	return err
}

// Truncate deletes the revisions ToTruncate picks from revs (oldest first) to keep limit of
// the history, and returns the errors joined.
func (h *History) Truncate(ctx context.Context, revs []*apps.ControllerRevision, live func(*apps.ControllerRevision) bool, limit int) error {
	var errs []error
	for _, r := range ToTruncate(revs, live, limit) {
		if err := h.Delete(ctx, r); err != nil {
			errs = append(errs, fmt.Errorf("deleting revision %s: %w", r.Name, err))
		}
	}
	return errors.Join(errs...)
}
