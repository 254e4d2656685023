package client

import (
	"context"
	"reflect"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// GuaranteedUpdate reads the named object, lets mutate change it, and writes it with the
// resourceVersion that was read, starting over from a fresh read whenever the write fails
// with Conflict, until it succeeds or ctx is done. mutate gets a fresh copy that it owns on
// every attempt, so it must compute its change from that copy alone and may run more than
// once; it must not change the object's name, namespace or uid (ErrIdentityChanged). When
// mutate leaves the object as it was, nothing is written and the current object is returned.
//
// Errors of Get (NotFound) and of mutate are returned unchanged. Status changes are ignored
// for kinds with a status subresource; use GuaranteedUpdateStatus for those.
func GuaranteedUpdate[T meta.Object](ctx context.Context, t *Typed[T], namespace, name string, mutate func(T) error) (T, error) {
	out, _, err := guaranteedUpdate(ctx, t, namespace, name, mutate, t.Update)
	return out, err
}

// GuaranteedUpdateStatus is GuaranteedUpdate through the status subresource: only the
// changes mutate makes to status are written.
func GuaranteedUpdateStatus[T meta.Object](ctx context.Context, t *Typed[T], namespace, name string, mutate func(T) error) (T, error) {
	out, _, err := guaranteedUpdate(ctx, t, namespace, name, mutate, t.UpdateStatus)
	return out, err
}

// guaranteedUpdate is the loop of GuaranteedUpdate; it also reports whether it wrote a new
// revision.
func guaranteedUpdate[T meta.Object](ctx context.Context, t *Typed[T], namespace, name string, mutate func(T) error,
	write func(context.Context, T) (T, error)) (T, bool, error) {
	var zero T
	for {
		cur, err := t.Get(ctx, namespace, name)
		if err != nil {
			return zero, false, err
		}
		orig := cur.DeepCopyObject()
		if err := mutate(cur); err != nil {
			return zero, false, err
		}
		if !sameIdentity(cur, orig) {
			return zero, false, ErrIdentityChanged
		}
		if reflect.DeepEqual(meta.Object(cur), orig) {
			return cur, false, nil
		}
		rv := orig.GetResourceVersion()
		cur.SetResourceVersion(rv)
		out, err := write(ctx, cur)
		if err == nil {
			return out, out.GetResourceVersion() != rv, nil
		}
		if !store.IsConflict(err) || ctx.Err() != nil {
			return zero, false, err
		}
	}
}

func sameIdentity(a, b meta.Object) bool {
	am, bm := a.GetObjectMeta(), b.GetObjectMeta()
	return am.Name == bm.Name && am.Namespace == bm.Namespace && am.UID == bm.UID
}

// OperationResult says what CreateOrUpdate did.
type OperationResult string

// The results of CreateOrUpdate.
const (
	// OperationResultNone: the object existed and mutate left it unchanged; nothing was
	// written.
	OperationResultNone OperationResult = "unchanged"
	// OperationResultCreated: the object did not exist and was created.
	OperationResultCreated OperationResult = "created"
	// OperationResultUpdated: the object existed and was updated.
	OperationResultUpdated OperationResult = "updated"
)

// CreateOrUpdate makes the object obj names exist in the state mutate gives it, as
// controller-runtime's controllerutil.CreateOrUpdate does: if the object exists, mutate
// changes a fresh copy of it, which is written unless unchanged; if it does not, mutate
// changes a copy of obj (without its resourceVersion), which is created. obj itself is not
// modified. It returns the object as stored and what was done.
//
// Unlike controllerutil, it does not give up on a race: an update that conflicts starts over
// from a fresh read, and a create that finds the object already created by someone else
// updates it instead. mutate may therefore run more than once, and must not change the
// object's name, namespace or uid (ErrIdentityChanged).
func CreateOrUpdate[T meta.Object](ctx context.Context, t *Typed[T], obj T, mutate func(T) error) (T, OperationResult, error) {
	var zero T
	key := ObjectKeyFromObject(obj)
	for {
		out, written, err := guaranteedUpdate(ctx, t, key.Namespace, key.Name, mutate, t.Update)
		switch {
		case err == nil && written:
			return out, OperationResultUpdated, nil
		case err == nil:
			return out, OperationResultNone, nil
		case !store.IsNotFound(err):
			return zero, OperationResultNone, err
		}
		o, err := t.cast(obj.DeepCopyObject())
		if err != nil {
			return zero, OperationResultNone, err
		}
		o.SetResourceVersion("")
		if err := mutate(o); err != nil {
			return zero, OperationResultNone, err
		}
		if ObjectKeyFromObject(o) != key {
			return zero, OperationResultNone, ErrIdentityChanged
		}
		created, err := t.Create(ctx, o)
		if store.IsAlreadyExists(err) && ctx.Err() == nil {
			continue // created by someone else since the read: update it
		}
		if err != nil {
			return zero, OperationResultNone, err
		}
		return created, OperationResultCreated, nil
	}
}
