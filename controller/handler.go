package controller

import (
	"context"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// EventHandler turns the changes of objects of type T into requests on a controller's queue.
// A Kind source calls it on the informer's goroutine for that source, one event at a time,
// with the controller's context (which carries its logger). The objects are the informer
// cache's: never modify them.
type EventHandler[T meta.Object] interface {
	// Create handles an object seen for the first time (including the initial list).
	Create(ctx context.Context, obj T, q Queue)
	// Update handles a change; on a resync oldObj and newObj are the same object.
	Update(ctx context.Context, oldObj, newObj T, q Queue)
	// Delete handles a removal; obj is the last state known.
	Delete(ctx context.Context, obj T, q Queue)
}

var (
	_ EventHandler[meta.Object] = EnqueueObject[meta.Object]{}
	_ EventHandler[meta.Object] = MapFunc[meta.Object](nil)
	_ EventHandler[meta.Object] = HandlerFuncs[meta.Object]{}
)

// HandlerFuncs adapts functions to EventHandler. Nil functions ignore their event.
type HandlerFuncs[T meta.Object] struct {
	// CreateFunc handles creations.
	CreateFunc func(ctx context.Context, obj T, q Queue)
	// UpdateFunc handles changes.
	UpdateFunc func(ctx context.Context, oldObj, newObj T, q Queue)
	// DeleteFunc handles removals.
	DeleteFunc func(ctx context.Context, obj T, q Queue)
}

// Create calls CreateFunc if set.
func (f HandlerFuncs[T]) Create(ctx context.Context, obj T, q Queue) {
	if f.CreateFunc != nil {
		f.CreateFunc(ctx, obj, q)
	}
}

// Update calls UpdateFunc if set.
func (f HandlerFuncs[T]) Update(ctx context.Context, oldObj, newObj T, q Queue) {
	if f.UpdateFunc != nil {
		f.UpdateFunc(ctx, oldObj, newObj, q)
	}
}

// Delete calls DeleteFunc if set.
func (f HandlerFuncs[T]) Delete(ctx context.Context, obj T, q Queue) {
	if f.DeleteFunc != nil {
		f.DeleteFunc(ctx, obj, q)
	}
}

// RequestFor returns the request naming obj.
func RequestFor(obj meta.Object) reconcile.Request {
	m := obj.GetObjectMeta()
	return reconcile.Request{Namespace: m.Namespace, Name: m.Name}
}

// EnqueueObject is the EventHandler that queues the request of the object itself: what a
// controller uses for the kind it reconciles (controller-runtime's EnqueueRequestForObject).
type EnqueueObject[T meta.Object] struct{}

// Create queues obj's request.
func (EnqueueObject[T]) Create(_ context.Context, obj T, q Queue) { q.Add(RequestFor(obj)) }

// Update queues newObj's request (the old object has the same name).
func (EnqueueObject[T]) Update(_ context.Context, _, newObj T, q Queue) { q.Add(RequestFor(newObj)) }

// Delete queues obj's request, so that the reconciler sees it gone.
func (EnqueueObject[T]) Delete(_ context.Context, obj T, q Queue) { q.Add(RequestFor(obj)) }

// MapFunc maps an object to the requests it concerns; as an EventHandler it queues them for
// every event, for both the old and the new object of an update (so a change that moves an
// object from one request to another reconciles both). It must not modify obj.
type MapFunc[T meta.Object] func(ctx context.Context, obj T) []reconcile.Request

// Create queues the requests of obj.
func (f MapFunc[T]) Create(ctx context.Context, obj T, q Queue) { addAll(q, f(ctx, obj)) }

// Update queues the requests of oldObj and newObj (the queue drops duplicates).
func (f MapFunc[T]) Update(ctx context.Context, oldObj, newObj T, q Queue) {
	addAll(q, f(ctx, oldObj))
	if meta.Object(oldObj) != meta.Object(newObj) {
		addAll(q, f(ctx, newObj))
	}
}

// Delete queues the requests of obj.
func (f MapFunc[T]) Delete(ctx context.Context, obj T, q Queue) { addAll(q, f(ctx, obj)) }

func addAll(q Queue, reqs []reconcile.Request) {
	for _, r := range reqs {
		q.Add(r)
	}
}

// EnqueueOwner returns the EventHandler that queues the request of an object's controller
// owner (the owner reference with controller: true) when that owner is of kind owner (group
// and kind compared; the version is ignored, as in controller-runtime). Objects without such
// an owner are ignored. The request's namespace is the object's for a namespaced owner kind,
// "" for a cluster-scoped one.
func EnqueueOwner[T meta.Object](owner *scheme.KindInfo) MapFunc[T] {
	group, kind, namespaced := owner.GVK.Group, owner.GVK.Kind, owner.Namespaced
	return func(_ context.Context, obj T) []reconcile.Request {
		ref := meta.GetControllerOf(obj)
		if ref == nil || ref.Kind != kind {
			return nil
		}
		if g, _ := scheme.SplitAPIVersion(ref.APIVersion); g != group {
			return nil
		}
		req := reconcile.Request{Name: ref.Name}
		if namespaced {
			req.Namespace = obj.GetObjectMeta().Namespace
		}
		return []reconcile.Request{req}
	}
}
