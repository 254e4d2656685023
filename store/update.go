package store

import (
	"context"
	"reflect"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// UpdateFunc computes the desired object from the current one. cur is a fresh copy owned by
// the function, which may modify and return it. Returning an error aborts the update with
// that error.
type UpdateFunc func(cur meta.Object) (meta.Object, error)

// GuaranteedUpdate reads the named object, applies tryUpdate and writes the result with the
// read resourceVersion, retrying from a fresh read whenever the write fails with Conflict. If
// tryUpdate returns an object equal to what it was given, nothing is written and the current
// object is returned. It gives up when ctx is done. Errors of Get (NotFound) and of tryUpdate
// are returned unchanged.
func GuaranteedUpdate(ctx context.Context, s ReadWriter, gvk scheme.GroupVersionKind, namespace, name string, tryUpdate UpdateFunc) (meta.Object, error) {
	for {
		cur, err := s.Get(ctx, gvk, namespace, name)
		if err != nil {
			return nil, err
		}
		orig := cur.DeepCopyObject()
		rv := cur.GetResourceVersion()
		updated, err := tryUpdate(cur)
		if err != nil {
			return nil, err
		}
		if reflect.DeepEqual(updated, orig) {
			return updated, nil
		}
		updated.SetResourceVersion(rv)
		out, err := s.Update(ctx, updated, UpdateOptions{})
		if err == nil || !IsConflict(err) {
			return out, err
		}
		if ctx.Err() != nil {
			return nil, err
		}
	}
}
