package client

import (
	"context"
	"fmt"
	"reflect"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Typed is a Client for one kind, with objects of its Go type T (a pointer such as
// *core.Pod, or *scheme.Unstructured for a kind without a Go type). It takes and returns T
// instead of meta.Object, so callers never type-assert. Make one with For or ForKind; it is
// cheap, holds no state beyond the client and the kind, and is safe for concurrent use.
//
// The contract of every method is that of the Client method of the same name: objects
// passed in are not modified, objects returned are copies owned by the caller (watch events
// excepted), errors are *store.StatusError values.
type Typed[T meta.Object] struct {
	c    Client
	info *scheme.KindInfo
}

// For returns the Typed client of the kind whose Go type is T, resolved once through c's
// scheme. It panics if T is not registered there (use ForKind for *scheme.Unstructured):
// like regexp.MustCompile, it is meant for set-up code, where that is a programming error.
func For[T meta.Object](c Client) *Typed[T] {
	rt := reflect.TypeFor[T]()
	if rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("client.For: type %v is not a pointer to a struct", rt))
	}
	if rt == reflect.TypeFor[*scheme.Unstructured]() {
		panic("client.For: *scheme.Unstructured has no kind of its own; use client.ForKind")
	}
	info, err := c.Scheme().ForObject(reflect.New(rt.Elem()).Interface().(T))
	if err != nil {
		panic(fmt.Sprintf("client.For[%v]: %v", rt, err))
	}
	return &Typed[T]{c: c, info: info}
}

// ForKind returns the Typed client of kind gvk, whose objects must be of type T: the kind's
// registered Go type, or *scheme.Unstructured for a kind registered with
// scheme.RegisterUnstructured. It panics if gvk is not registered in c's scheme or its
// objects are not T's, as For does.
func ForKind[T meta.Object](c Client, gvk scheme.GroupVersionKind) *Typed[T] {
	info, err := c.Scheme().ForGVK(gvk)
	if err != nil {
		panic(fmt.Sprintf("client.ForKind: %v", err))
	}
	if _, ok := info.New().(T); !ok {
		panic(fmt.Sprintf("client.ForKind: objects of %s are %T, not %v", gvk, info.New(), reflect.TypeFor[T]()))
	}
	return &Typed[T]{c: c, info: info}
}

// Client returns the untyped client t wraps.
func (t *Typed[T]) Client() Client { return t.c }

// Kind returns the kind t reads and writes. It is shared: do not modify it.
func (t *Typed[T]) Kind() *scheme.KindInfo { return t.info }

// GVK returns the group, version and kind t reads and writes.
func (t *Typed[T]) GVK() scheme.GroupVersionKind { return t.info.GVK }

// Get returns the named object ("" namespace for cluster-scoped kinds), or NotFound.
func (t *Typed[T]) Get(ctx context.Context, namespace, name string) (T, error) {
	return t.result(t.c.Get(ctx, t.info.GVK, namespace, name))
}

// List is one page of objects of one kind, as Typed.List returns it.
type List[T meta.Object] struct {
	// Items are the objects, sorted by namespace then name, owned by the caller.
	Items []T
	// ResourceVersion is the revision the list was read at: a watch from it sees every
	// change the list does not.
	ResourceVersion uint64
	// Continue is the token for the next page (store.ListOptions.Continue), "" on the last.
	Continue string
	// RemainingItemCount is the number of objects after this page, when known.
	RemainingItemCount *int64
}

// List returns the objects that match opts; see store.ListOptions for namespaces, selectors
// and pagination.
func (t *Typed[T]) List(ctx context.Context, opts store.ListOptions) (*List[T], error) {
	res, err := t.c.List(ctx, t.info.GVK, opts)
	if err != nil {
		return nil, err
	}
	out := &List[T]{
		Items:              make([]T, len(res.Items)),
		ResourceVersion:    res.ResourceVersion,
		Continue:           res.Continue,
		RemainingItemCount: res.RemainingItemCount,
	}
	for i, o := range res.Items {
		if out.Items[i], err = t.cast(o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Create stores obj as a new object and returns it as stored (uid, resourceVersion, defaults
// and generated name filled in). Errors: AlreadyExists, Invalid.
func (t *Typed[T]) Create(ctx context.Context, obj T) (T, error) {
	o, err := t.object(obj)
	if err != nil {
		var zero T
		return zero, err
	}
	return t.result(t.c.Create(ctx, o, store.CreateOptions{}))
}

// Update replaces the object obj names; a non-empty resourceVersion must be the current one.
// Status changes are ignored for kinds with a status subresource. Errors: NotFound,
// Conflict, Invalid.
func (t *Typed[T]) Update(ctx context.Context, obj T) (T, error) {
	o, err := t.object(obj)
	if err != nil {
		var zero T
		return zero, err
	}
	return t.result(t.c.Update(ctx, o, store.UpdateOptions{}))
}

// UpdateStatus replaces the status of the object obj names, and nothing else. Errors:
// NotFound, Conflict, Invalid, and BadRequest for kinds without a status subresource.
func (t *Typed[T]) UpdateStatus(ctx context.Context, obj T) (T, error) {
	o, err := t.object(obj)
	if err != nil {
		var zero T
		return zero, err
	}
	return t.result(t.c.UpdateStatus(ctx, o, store.UpdateOptions{}))
}

// Patch applies a patch of type pt to the named object; see Client.Patch.
func (t *Typed[T]) Patch(ctx context.Context, namespace, name string, pt PatchType, data []byte) (T, error) {
	return t.result(t.c.Patch(ctx, t.info.GVK, namespace, name, pt, data, PatchOptions{}))
}

// PatchStatus applies a patch of type pt to the named object's status subresource: changes
// outside status are ignored. See Client.Patch.
func (t *Typed[T]) PatchStatus(ctx context.Context, namespace, name string, pt PatchType, data []byte) (T, error) {
	return t.result(t.c.Patch(ctx, t.info.GVK, namespace, name, pt, data, PatchOptions{Subresource: SubresourceStatus}))
}

// Delete asks for the named object's deletion, with options such as PropagationPolicy,
// PreconditionUID and GracePeriod. It returns the object's final state when it was removed,
// or its new state (deletionTimestamp set, finalizers added) when it stays until its
// finalizers are gone or, for a pod, its grace period is over. Errors: NotFound, Conflict
// (a precondition failed).
func (t *Typed[T]) Delete(ctx context.Context, namespace, name string, opts ...DeleteOption) (T, error) {
	var o store.DeleteOptions
	for _, opt := range opts {
		opt(&o)
	}
	return t.result(t.c.Delete(ctx, t.info.GVK, namespace, name, o))
}

// Watch streams the changes to objects that match opts; see store.WatchOptions. The
// watcher's goroutine ends, and its channel closes, when the watch ends: after Stop, when
// ctx is done, or after an Error event.
func (t *Typed[T]) Watch(ctx context.Context, opts store.WatchOptions) (*Watcher[T], error) {
	w, err := t.c.Watch(ctx, t.info.GVK, opts)
	if err != nil {
		return nil, err
	}
	return newWatcher[T](ctx, w), nil
}

// object returns obj as the meta.Object to send. An Unstructured object without apiVersion
// and kind gets t's (on a copy); one of another kind is refused.
func (t *Typed[T]) object(obj T) (meta.Object, error) {
	u, ok := any(obj).(*scheme.Unstructured)
	if !ok {
		return obj, nil
	}
	if u.APIVersion == "" && u.Kind == "" {
		u = u.DeepCopy()
		u.APIVersion, u.Kind = t.info.GVK.APIVersion(), t.info.GVK.Kind
		return u, nil
	}
	if scheme.FromAPIVersionAndKind(u.APIVersion, u.Kind) != t.info.GVK {
		return nil, store.NewBadRequest(fmt.Sprintf("object of kind %s %s given to the client of %s", u.APIVersion, u.Kind, t.info.GVK))
	}
	return u, nil
}

// result converts a Client call's result to T.
func (t *Typed[T]) result(obj meta.Object, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return t.cast(obj)
}

// cast converts an object the client returned to T. A mismatch means the client and the
// scheme disagree, which is an internal error.
func (t *Typed[T]) cast(obj meta.Object) (T, error) {
	out, ok := obj.(T)
	if !ok {
		return out, store.NewInternalError(fmt.Errorf("%w: got %T for %s, want %v", ErrUnexpectedType, obj, t.info.GVK, reflect.TypeFor[T]()))
	}
	return out, nil
}
