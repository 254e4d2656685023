package client

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// DeleteOption sets a field of the store.DeleteOptions of a Typed.Delete.
type DeleteOption func(*store.DeleteOptions)

// PropagationPolicy says what happens to the object's dependents: Background (deleted by the
// garbage collector after the object is gone), Foreground (the object stays, with the
// foregroundDeletion finalizer, until its blocking dependents are gone) or Orphan (the object
// stays, with the orphan finalizer, until its dependents' owner references to it are
// removed). Without it, the object's existing finalizer or the kind's default decides.
func PropagationPolicy(p meta.DeletionPropagation) DeleteOption {
	return func(o *store.DeleteOptions) { o.PropagationPolicy = &p }
}

// PreconditionUID makes the delete fail with Conflict unless the object's uid is uid: it
// guards against deleting an object re-created under the same name.
func PreconditionUID(uid meta.UID) DeleteOption {
	return func(o *store.DeleteOptions) {
		if o.Preconditions == nil {
			o.Preconditions = &meta.Preconditions{}
		}
		o.Preconditions.UID = &uid
	}
}

// PreconditionResourceVersion makes the delete fail with Conflict unless the object's
// resourceVersion is rv: it guards against deleting an object that changed since it was read.
func PreconditionResourceVersion(rv string) DeleteOption {
	return func(o *store.DeleteOptions) {
		if o.Preconditions == nil {
			o.Preconditions = &meta.Preconditions{}
		}
		o.Preconditions.ResourceVersion = &rv
	}
}

// GracePeriod sets a pod's grace period in seconds, overriding its
// spec.terminationGracePeriodSeconds; 0 deletes it at once. Other kinds have no grace period.
func GracePeriod(seconds int64) DeleteOption {
	return func(o *store.DeleteOptions) { o.GracePeriodSeconds = &seconds }
}
