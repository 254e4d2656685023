package controllerref

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// NewControllerRef returns the controller reference an owner of kind gvk puts on what it
// creates or adopts: apiVersion, kind, name and uid, with controller and blockOwnerDeletion
// true. It does not rely on owner's TypeMeta, which objects from caches may lack.
func NewControllerRef(owner meta.Object, gvk scheme.GroupVersionKind) meta.OwnerReference {
	m := owner.GetObjectMeta()
	return meta.OwnerReference{
		APIVersion:         gvk.APIVersion(),
		Kind:               gvk.Kind,
		Name:               m.Name,
		UID:                m.UID,
		Controller:         new(true),
		BlockOwnerDeletion: new(true),
	}
}

// Options refine a Claimer. The zero value claims by selector alone and adopts without a
// check.
type Options[T meta.Object] struct {
	// Namespace is the owner's namespace: an orphan in another namespace is never adopted.
	// Empty for a cluster-scoped owner.
	Namespace string
	// Deleting tells that the owner is being deleted: it then adopts and releases nothing.
	Deleting bool
	// Filter, when set, must also accept an object for the owner to keep or adopt it, beyond
	// the selector (a StatefulSet checks the pod's name and ordinal).
	Filter func(T) bool
	// CanAdopt, when set, is called before the first adoption, once per Claimer: an error
	// stops every adoption of the Claimer (see RecheckDeletion).
	CanAdopt func(ctx context.Context) error
	// OnAdopt, when set, changes the stored copy of an object being adopted, besides adding
	// the controller reference (a Job adds its tracking finalizer).
	OnAdopt func(T)
}

// Claimer claims objects of kind T for one owner during one sync: see the package
// documentation. Make a new one per sync; it is safe for concurrent use.
type Claimer[T meta.Object] struct {
	client   *client.Typed[T]
	ref      meta.OwnerReference
	selector labels.Selector
	opts     Options[T]

	adoptOnce sync.Once
	adoptErr  error // CanAdopt's answer, once asked
}

// NewClaimer returns a Claimer that writes through c for the owner whose controller reference
// is ref (see NewControllerRef), keeping and adopting the objects sel matches.
func NewClaimer[T meta.Object](c *client.Typed[T], ref meta.OwnerReference, sel labels.Selector, opts Options[T]) *Claimer[T] {
	return &Claimer[T]{client: c, ref: ref, selector: sel, opts: opts}
}

// errSkip aborts an adoption or release whose object, as stored, no longer qualifies.
var errSkip = errors.New("controllerref: object no longer qualifies")

// Claim returns the objects of objs the owner owns after adopting and releasing as the package
// documentation describes, in the order of objs, and the errors of failed adoptions and
// releases joined. objs are read-only (cache objects); the adopted objects returned are the
// updated ones.
func (m *Claimer[T]) Claim(ctx context.Context, objs []T) ([]T, error) {
	var claimed []T
	var errs []error
	for _, obj := range objs {
		got, ok, err := m.ClaimOne(ctx, obj)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			claimed = append(claimed, got)
		}
	}
	return claimed, errors.Join(errs...)
}

// ClaimOne claims a single object: it returns the object (updated if adopted) and whether the
// owner owns it now.
func (m *Claimer[T]) ClaimOne(ctx context.Context, obj T) (T, bool, error) {
	var zero T
	om := obj.GetObjectMeta()
	if ref := meta.GetControllerOf(obj); ref != nil {
		if ref.UID != m.ref.UID {
			return zero, false, nil // someone else's
		}
		if m.matches(obj) {
			return obj, true, nil
		}
		if m.opts.Deleting {
			return zero, false, nil
		}
		if err := m.release(ctx, obj); err != nil {
			return zero, false, err
		}
		return zero, false, nil
	}
	if m.opts.Deleting || !m.matches(obj) || om.DeletionTimestamp != nil || om.Namespace != m.opts.Namespace {
		return zero, false, nil
	}
	adopted, ok, err := m.adopt(ctx, obj)
	if err != nil || !ok {
		return zero, false, err
	}
	return adopted, true, nil
}

// matches reports whether obj is the owner's by its labels and the filter.
func (m *Claimer[T]) matches(obj T) bool {
	if !m.selector.Matches(labels.Set(obj.GetObjectMeta().Labels)) {
		return false
	}
	return m.opts.Filter == nil || m.opts.Filter(obj)
}

// canAdopt asks CanAdopt once.
func (m *Claimer[T]) canAdopt(ctx context.Context) error {
	m.adoptOnce.Do(func() {
		if m.opts.CanAdopt != nil {
			m.adoptErr = m.opts.CanAdopt(ctx)
		}
	})
	return m.adoptErr
}

// adopt adds the controller reference to the stored copy of obj, if it still qualifies.
func (m *Claimer[T]) adopt(ctx context.Context, obj T) (T, bool, error) {
	var zero T
	om := obj.GetObjectMeta()
	if err := m.canAdopt(ctx); err != nil {
		return zero, false, fmt.Errorf("can't adopt %s/%s (%s): %w", om.Namespace, om.Name, om.UID, err)
	}
	out, err := client.GuaranteedUpdate(ctx, m.client, om.Namespace, om.Name, func(cur T) error {
		cm := cur.GetObjectMeta()
		if cm.UID != om.UID || cm.DeletionTimestamp != nil || !m.matches(cur) {
			return errSkip
		}
		if ref := meta.GetControllerOf(cur); ref != nil {
			if ref.UID == m.ref.UID {
				return nil // adopted already
			}
			return errSkip
		}
		refs := make([]meta.OwnerReference, 0, len(cm.OwnerReferences)+1)
		for _, r := range cm.OwnerReferences {
			if r.UID != m.ref.UID { // a plain reference to the owner becomes the controller one
				refs = append(refs, r)
			}
		}
		cm.OwnerReferences = append(refs, *m.ref.DeepCopy())
		if m.opts.OnAdopt != nil {
			m.opts.OnAdopt(cur)
		}
		return nil
	})
	switch {
	case errors.Is(err, errSkip) || store.IsNotFound(err):
		return zero, false, nil
	case err != nil:
		return zero, false, fmt.Errorf("adopting %s/%s: %w", om.Namespace, om.Name, err)
	}
	return out, true, nil
}

// release removes the owner's references from the stored copy of obj.
func (m *Claimer[T]) release(ctx context.Context, obj T) error {
	om := obj.GetObjectMeta()
	_, err := client.GuaranteedUpdate(ctx, m.client, om.Namespace, om.Name, func(cur T) error {
		cm := cur.GetObjectMeta()
		if cm.UID != om.UID {
			return errSkip
		}
		var refs []meta.OwnerReference
		for _, r := range cm.OwnerReferences {
			if r.UID != m.ref.UID {
				refs = append(refs, r)
			}
		}
		cm.OwnerReferences = refs
		return nil
	})
	if err == nil || errors.Is(err, errSkip) || store.IsNotFound(err) || store.IsInvalid(err) {
		return nil
	}
	return fmt.Errorf("releasing %s/%s: %w", om.Namespace, om.Name, err)
}
