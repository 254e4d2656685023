package controllerref

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
)

// Resolve returns the owner a controller reference points to, read from lister: ref must name
// kind gvk (kind and group compared, the version ignored), and the object found by name in
// namespace must have ref's UID — a different UID is another object that took the name. It
// returns false for a nil ref, another kind, or no such owner. The owner is the cache's:
// read-only.
func Resolve[O meta.Object](lister informer.Lister[O], gvk scheme.GroupVersionKind, namespace string, ref *meta.OwnerReference) (O, bool) {
	var zero O
	if ref == nil || ref.Kind != gvk.Kind {
		return zero, false
	}
	if group, _ := scheme.SplitAPIVersion(ref.APIVersion); group != gvk.Group {
		return zero, false
	}
	owner, err := lister.Namespace(namespace).Get(ref.Name)
	if err != nil || owner.GetObjectMeta().UID != ref.UID {
		return zero, false
	}
	return owner, true
}

// RecheckDeletion returns a CanAdopt check (see Options) that reads owner afresh through c,
// bypassing the caches the sync read: adoption is refused when the owner is gone, was
// replaced by an object of another UID, or is being deleted. It is Kubernetes'
// RecheckDeletionTimestamp, and costs one read the first time a Claimer would adopt.
func RecheckDeletion[O meta.Object](c *client.Typed[O], owner meta.Object) func(ctx context.Context) error {
	m := owner.GetObjectMeta()
	ns, name, uid := m.Namespace, m.Name, m.UID
	return func(ctx context.Context) error {
		fresh, err := c.Get(ctx, ns, name)
		if err != nil {
			return err
		}
		fm := fresh.GetObjectMeta()
		if fm.UID != uid {
			return fmt.Errorf("original %s %s/%s is gone: got uid %s, wanted %s", c.GVK().Kind, ns, name, fm.UID, uid)
		}
		if fm.DeletionTimestamp != nil {
			return fmt.Errorf("%s/%s has just been deleted at %v", ns, name, fm.DeletionTimestamp.Time)
		}
		return nil
	}
}

// IndexOrphans is the conventional name of the informer index OrphanIndexFunc makes, so that
// controllers sharing an informer share the index too.
const IndexOrphans = "controllerref.orphans"

// OrphanIndexFunc files an object without a controller reference under its namespace: with
// informer.IndexControllerUID it lets a controller find its claim candidates — the objects it
// controls and the orphans of its namespace — without scanning every object of the namespace.
// Objects with a controller are not indexed.
func OrphanIndexFunc[T meta.Object](obj T) []string {
	if meta.GetControllerOf(obj) != nil {
		return nil
	}
	return []string{obj.GetObjectMeta().Namespace}
}
