package controller

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// Runnable is a component a manager runs. Start blocks until ctx is done or the component
// fails, and returns only once every goroutine it started has returned. *Controller is one;
// manager.Runnable is this type.
type Runnable interface {
	Start(ctx context.Context) error
}

// Manager is what a Builder needs from the manager that will run its controller.
// *manager.Manager implements it; the interface is declared here, where it is used, so that
// this package does not depend on package manager.
type Manager interface {
	// Client is the client reconcilers write through; its scheme resolves kinds.
	Client() client.Client
	// Informers is the shared informer factory the controller's sources come from.
	Informers() *informer.Factory
	// Clock, Logger and Metrics are the defaults of the controller's Options.
	Clock() clock.Clock
	Logger() logr.Logger
	Metrics() *Metrics
	// Add runs r, at once if the manager is running.
	Add(r Runnable) error
}

// Builder assembles a controller for kind T the way controller-runtime's builder does: T's
// own events reconcile the object itself; Watch adds owned kinds (Owns) and related kinds
// mapped to requests (Watches, WatchesWith); Build creates the controller, wires its sources
// to the manager's shared informers and adds it to the manager.
//
//	c, err := controller.NewBuilder[*Website](mgr).
//		WithPredicates(controller.GenerationChanged[*Website]{}).
//		Watch(controller.Owns[*apps.Deployment]()).
//		WithWorkers(2).
//		Build(reconciler)
//
// A Builder is meant to be used once, from one goroutine.
type Builder[T meta.Object] struct {
	mgr     Manager
	name    string
	opts    Options
	preds   []Predicate[T]
	watches []Watch
}

// NewBuilder starts building a controller of kind T (a registered Go type such as
// *apps.Deployment) run by mgr.
func NewBuilder[T meta.Object](mgr Manager) *Builder[T] {
	return &Builder[T]{mgr: mgr}
}

// Named sets the controller's name (unique within the manager; it labels logs and metrics).
// Default: the kind in lower case, e.g. "deployment".
func (b *Builder[T]) Named(name string) *Builder[T] {
	b.name = name
	return b
}

// WithOptions sets the controller's options, replacing those set before (workers
// included). Zero Clock, Logger and Metrics are the manager's.
func (b *Builder[T]) WithOptions(opts Options) *Builder[T] {
	b.opts = opts
	return b
}

// WithWorkers sets Options.MaxConcurrentReconciles.
func (b *Builder[T]) WithWorkers(n int) *Builder[T] {
	b.opts.MaxConcurrentReconciles = n
	return b
}

// WithPredicates adds predicates that T's own events must pass to be reconciled. They do not
// apply to the kinds added with Watch, which take their own.
func (b *Builder[T]) WithPredicates(ps ...Predicate[T]) *Builder[T] {
	b.preds = append(b.preds, ps...)
	return b
}

// Watch adds kinds to watch, made by Owns, Watches and WatchesWith.
func (b *Builder[T]) Watch(ws ...Watch) *Builder[T] {
	b.watches = append(b.watches, ws...)
	return b
}

// Complete is Build without the controller, for callers that never remove it.
func (b *Builder[T]) Complete(r reconcile.Reconciler) error {
	_, err := b.Build(r)
	return err
}

// Build creates the controller that runs r, with one source for T and one per Watch, on the
// manager's shared informers, and adds it to the manager (which starts it at once if it is
// running). It returns the controller, for removing it from the manager later. It fails if a
// kind is not registered in the manager's scheme (ErrUnsupportedKind) or the options do not
// validate.
func (b *Builder[T]) Build(r reconcile.Reconciler) (*Controller, error) {
	sch := b.mgr.Client().Scheme()
	info, err := kindOf[T](sch)
	if err != nil {
		return nil, err
	}
	name := b.name
	if name == "" {
		name = strings.ToLower(info.GVK.Kind)
	}
	opts := b.opts
	if opts.Clock == nil {
		opts.Clock = b.mgr.Clock()
	}
	if opts.Logger.GetSink() == nil {
		opts.Logger = b.mgr.Logger()
	}
	if opts.Metrics == nil {
		opts.Metrics = b.mgr.Metrics()
	}
	if opts.Logger.GetSink() != nil {
		opts.Logger = opts.Logger.WithValues("controllerGroup", info.GVK.Group, "controllerKind", info.GVK.Kind)
	}
	c, err := New(name, r, opts)
	if err != nil {
		return nil, err
	}
	f := b.mgr.Informers()
	srcs := []Source{&kindSource[T]{inf: informer.For[T](f), h: EnqueueObject[T]{}, preds: b.preds, name: info.GVK.String()}}
	for _, w := range b.watches {
		src, err := w.source(f, sch, info)
		if err != nil {
			return nil, fmt.Errorf("controller %q: %w", name, err)
		}
		srcs = append(srcs, src)
	}
	for _, s := range srcs {
		if err := c.Watch(s); err != nil {
			return nil, err
		}
	}
	if err := b.mgr.Add(c); err != nil {
		return nil, err
	}
	return c, nil
}

// Watch is one more kind a Builder's controller watches. Make one with Owns, Watches or
// WatchesWith.
type Watch interface {
	// source builds the Source on the factory's informer; owner is the builder's kind.
	source(f *informer.Factory, sch *scheme.Scheme, owner *scheme.KindInfo) (Source, error)
}

// watch is the Watch of kind O.
type watch[O meta.Object] struct {
	owns  bool // h is EnqueueOwner of the builder's kind
	h     EventHandler[O]
	preds []Predicate[O]
}

func (w watch[O]) source(f *informer.Factory, sch *scheme.Scheme, owner *scheme.KindInfo) (Source, error) {
	info, err := kindOf[O](sch)
	if err != nil {
		return nil, err
	}
	h := w.h
	if w.owns {
		h = EnqueueOwner[O](owner)
	}
	return &kindSource[O]{inf: informer.For[O](f), h: h, preds: w.preds, name: info.GVK.String()}, nil
}

// Owns watches objects of kind O that the builder's kind controls: the changes of an object
// reconcile its controller owner (the owner reference with controller: true), as
// EnqueueOwner maps them. preds filter O's events.
func Owns[O meta.Object](preds ...Predicate[O]) Watch {
	return watch[O]{owns: true, preds: preds}
}

// Watches watches objects of kind O and reconciles the requests fn maps each changed object
// to (for an update, those of the old and of the new object). preds filter O's events.
func Watches[O meta.Object](fn MapFunc[O], preds ...Predicate[O]) Watch {
	return watch[O]{h: fn, preds: preds}
}

// WatchesWith watches objects of kind O, turning their events into requests with h.
func WatchesWith[O meta.Object](h EventHandler[O], preds ...Predicate[O]) Watch {
	return watch[O]{h: h, preds: preds}
}

// kindOf resolves T's kind in sch, refusing what a Factory cannot make an informer of.
func kindOf[T meta.Object](sch *scheme.Scheme) (*scheme.KindInfo, error) {
	rt := reflect.TypeFor[T]()
	if rt == reflect.TypeFor[*scheme.Unstructured]() {
		return nil, fmt.Errorf("%w: *scheme.Unstructured names no kind; use Controller.Watch with Kind and informer.New", ErrUnsupportedKind)
	}
	if rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: %v is not a pointer to a struct", ErrUnsupportedKind, rt)
	}
	info, err := sch.ForObject(reflect.New(rt.Elem()).Interface().(T))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupportedKind, err)
	}
	return info, nil
}
