package controller

import (
	"context"
	"reflect"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/workqueue"
)

// Queue is the part of a controller's work queue that sources and event handlers use. It is
// safe for concurrent use; additions after the controller stopped are ignored.
type Queue interface {
	// Add queues req (at once; de-duplicated with a queued or in-flight req).
	Add(req reconcile.Request)
	// AddAfter queues req after d.
	AddAfter(req reconcile.Request, d time.Duration)
	// AddRateLimited queues req after its rate limiter's delay.
	AddRateLimited(req reconcile.Request)
}

var _ Queue = (*workqueue.Queue[reconcile.Request])(nil)

// Source is where a controller's requests come from: usually an informer's events, filtered
// by predicates and mapped to requests by an EventHandler (see Kind). Controller.Watch adds
// sources; a Builder adds one for its own kind and one per Watch.
//
// A Source may implement fmt.Stringer to name itself in errors (the kind it watches).
type Source interface {
	// Start begins adding requests to q, without blocking, until ctx is done or the
	// returned Registration is removed. The controller calls it once per run.
	Start(ctx context.Context, q Queue) (Registration, error)
}

// Registration is a started Source. *informer.Registration is one.
type Registration interface {
	// Synced returns a channel closed once the source has added the requests of its initial
	// state (for an informer: handled its initial list). The controller starts its workers
	// only after every source has synced.
	Synced() <-chan struct{}
	// Remove stops the source: no call into the controller's queue starts after it returns.
	// Removing twice is harmless.
	Remove()
}

var _ Registration = (*informer.Registration)(nil)

// Kind returns the Source of the changes of the objects in inf: each passes preds (all of
// them) and is then mapped to requests by h. Handlers run on the informer's goroutine for
// this registration, one event at a time; the objects are the cache's, read-only.
//
// Registering with a running informer replays its cache as Create events first, so a source
// added late sees every object, as one added before the informer started does.
func Kind[T meta.Object](inf *informer.Informer[T], h EventHandler[T], preds ...Predicate[T]) Source {
	return &kindSource[T]{inf: inf, h: h, preds: preds, name: reflect.TypeFor[T]().String()}
}

// kindSource is the Source of Kind.
type kindSource[T meta.Object] struct {
	inf   *informer.Informer[T]
	h     EventHandler[T]
	preds []Predicate[T]
	name  string // the kind, in errors
}

// String names the kind the source watches.
func (s *kindSource[T]) String() string { return s.name }

// Start adds an informer handler that filters and maps events into q.
func (s *kindSource[T]) Start(ctx context.Context, q Queue) (Registration, error) {
	reg, err := s.inf.AddHandler(kindHandler[T]{ctx: ctx, src: s, q: q})
	if err != nil {
		return nil, err
	}
	return reg, nil
}

// kindHandler adapts a kindSource to informer.Handler for one run of a controller.
type kindHandler[T meta.Object] struct {
	ctx context.Context
	src *kindSource[T]
	q   Queue
}

func (k kindHandler[T]) OnAdd(obj T, _ bool) {
	for _, p := range k.src.preds {
		if !p.Create(obj) {
			return
		}
	}
	k.src.h.Create(k.ctx, obj, k.q)
}

func (k kindHandler[T]) OnUpdate(oldObj, newObj T) {
	for _, p := range k.src.preds {
		if !p.Update(oldObj, newObj) {
			return
		}
	}
	k.src.h.Update(k.ctx, oldObj, newObj, k.q)
}

func (k kindHandler[T]) OnDelete(obj T, _ bool) {
	for _, p := range k.src.preds {
		if !p.Delete(obj) {
			return
		}
	}
	k.src.h.Delete(k.ctx, obj, k.q)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(ctx context.Context, q Queue) (Registration, error)

var _ Source = SourceFunc(nil)

// Start calls f.
func (f SourceFunc) Start(ctx context.Context, q Queue) (Registration, error) { return f(ctx, q) }

// Channel returns the Source of the requests received from ch: for triggers from outside
// the cluster (a webhook, a timer of your own). It is synced at once; its goroutine adds
// each request to the queue until ch is closed, the controller's context is done or the
// registration is removed (Remove waits for it). A request sent while no controller runs is
// received by the next run.
func Channel(ch <-chan reconcile.Request) Source {
	return SourceFunc(func(ctx context.Context, q Queue) (Registration, error) {
		r := &channelReg{stop: make(chan struct{}), done: make(chan struct{})}
		go func() {
			defer close(r.done)
			for {
				select {
				case req, ok := <-ch:
					if !ok {
						return
					}
					q.Add(req)
				case <-ctx.Done():
					return
				case <-r.stop:
					return
				}
			}
		}()
		return r, nil
	})
}

// channelReg is the Registration of a Channel source.
type channelReg struct {
	stop, done chan struct{}
	once       sync.Once // guards closing stop
}

// synced is a closed channel: a Channel source has no initial state to wait for.
var synced = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (r *channelReg) Synced() <-chan struct{} { return synced }

func (r *channelReg) Remove() {
	r.once.Do(func() { close(r.stop) })
	<-r.done
}
