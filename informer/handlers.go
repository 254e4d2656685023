package informer

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

// Handler receives an informer's notifications. Each handler gets them in the order the
// informer saw the changes, one at a time, on a goroutine of its own, and never
// concurrently with itself; different handlers run independently, so a slow one delays
// only itself. Handlers must return: Run waits for the call in progress when it stops.
//
// The objects passed are the cache's: never modify them; DeepCopyObject first.
type Handler[T meta.Object] interface {
	// OnAdd reports an object the handler had not seen. isInitialList is true for the
	// objects of the informer's first list, and for the replay of the cache to a handler
	// added to a running informer.
	OnAdd(obj T, isInitialList bool)
	// OnUpdate reports a change. On a resync, and for objects found unchanged by a relist,
	// oldObj and newObj are the same object (same resourceVersion): handlers that only care
	// about real changes compare resource versions.
	OnUpdate(oldObj, newObj T)
	// OnDelete reports a removal. obj is the object's last state. finalStateUnknown is true
	// when the deletion was found by a relist after a watch gap (client-go's
	// DeletedFinalStateUnknown tombstone): obj is then the last state the informer saw,
	// which may be older than the state the object was deleted in.
	OnDelete(obj T, finalStateUnknown bool)
}

// HandlerFuncs adapts functions to Handler. Nil functions ignore their notification.
type HandlerFuncs[T meta.Object] struct {
	AddFunc    func(obj T, isInitialList bool)
	UpdateFunc func(oldObj, newObj T)
	DeleteFunc func(obj T, finalStateUnknown bool)
}

var _ Handler[meta.Object] = HandlerFuncs[meta.Object]{}

// OnAdd calls AddFunc if it is set.
func (f HandlerFuncs[T]) OnAdd(obj T, isInitialList bool) {
	if f.AddFunc != nil {
		f.AddFunc(obj, isInitialList)
	}
}

// OnUpdate calls UpdateFunc if it is set.
func (f HandlerFuncs[T]) OnUpdate(oldObj, newObj T) {
	if f.UpdateFunc != nil {
		f.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete calls DeleteFunc if it is set.
func (f HandlerFuncs[T]) OnDelete(obj T, finalStateUnknown bool) {
	if f.DeleteFunc != nil {
		f.DeleteFunc(obj, finalStateUnknown)
	}
}

// Registration is a handler's membership of an informer, returned by AddHandler: it tells
// when the handler has been given the informer's initial state, and removes it.
type Registration struct {
	synced     chan struct{} // closed once the handler has returned from its initial-list calls
	syncedOnce sync.Once
	remove     func()
}

// HasSynced reports whether the handler has been given every object of the informer's
// initial list (or of the replay of the cache, for a handler added to a synced informer).
// It implies the informer's HasSynced.
func (r *Registration) HasSynced() bool {
	select {
	case <-r.synced:
		return true
	default:
		return false
	}
}

// Synced returns a channel that is closed when HasSynced becomes true.
func (r *Registration) Synced() <-chan struct{} { return r.synced }

// Remove stops the handler: pending notifications are dropped and no new call starts after
// Remove returns, though one in progress may still be running. Removing twice is harmless.
func (r *Registration) Remove() { r.remove() }

func (r *Registration) markSynced() { r.syncedOnce.Do(func() { close(r.synced) }) }

// notifyKind says which Handler method a notification calls.
type notifyKind uint8

const (
	notifyAdd notifyKind = iota
	notifyUpdate
	notifyDelete
	notifySynced // not a call: marks the end of the initial list
)

// notification is one queued Handler call.
type notification[T meta.Object] struct {
	kind notifyKind
	flag bool // isInitialList for add, finalStateUnknown for delete
	old  T
	obj  T
}

// listener is a handler with its buffer and goroutine. Producers (the informer, holding its
// own lock) append to pending; the listener's goroutine swaps pending for an empty slice and
// delivers the batch without holding any lock. The buffer is unbounded: it grows as needed
// and never blocks the producer.
type listener[T meta.Object] struct {
	h   Handler[T]
	reg *Registration

	// resyncPeriod is fixed; nextResync is guarded by the informer's mu.
	resyncPeriod time.Duration
	nextResync   time.Time

	// mu guards pending.
	mu      sync.Mutex
	pending []notification[T]

	wake    chan struct{} // capacity 1: a token means pending may be non-empty
	stop    chan struct{} // closed by close
	stopped atomic.Bool   // set by close; checked between calls
	once    sync.Once
}

func newListener[T meta.Object](h Handler[T], resync time.Duration) *listener[T] {
	l := &listener[T]{
		h:            h,
		resyncPeriod: resync,
		wake:         make(chan struct{}, 1),
		stop:         make(chan struct{}),
	}
	l.reg = &Registration{synced: make(chan struct{})}
	return l
}

// add queues one notification.
func (l *listener[T]) add(n notification[T]) {
	l.mu.Lock()
	l.pending = append(l.pending, n)
	first := len(l.pending) == 1
	l.mu.Unlock()
	if first {
		l.signal()
	}
}

// addAll queues ns, taking the lock once.
func (l *listener[T]) addAll(ns []notification[T]) {
	if len(ns) == 0 {
		return
	}
	l.mu.Lock()
	first := len(l.pending) == 0
	l.pending = append(l.pending, ns...)
	l.mu.Unlock()
	if first {
		l.signal()
	}
}

// addObjects queues one notification of kind per object, taking the lock once.
func (l *listener[T]) addObjects(kind notifyKind, flag bool, objs []T) {
	if len(objs) == 0 {
		return
	}
	l.mu.Lock()
	first := len(l.pending) == 0
	l.pending = slices.Grow(l.pending, len(objs))
	for _, o := range objs {
		n := notification[T]{kind: kind, flag: flag, obj: o}
		if kind == notifyUpdate {
			n.old = o
		}
		l.pending = append(l.pending, n)
	}
	l.mu.Unlock()
	if first {
		l.signal()
	}
}

func (l *listener[T]) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// close stops the listener's goroutine; pending notifications are dropped.
func (l *listener[T]) close() {
	l.once.Do(func() {
		l.stopped.Store(true)
		close(l.stop)
	})
}

// maxIdleBuffer is the capacity above which a drained buffer is given back to the garbage
// collector instead of being kept for the next batch, so that a burst (an initial list of
// many objects) does not pin its memory for the informer's lifetime.
const maxIdleBuffer = 1024

// run delivers notifications until close.
func (l *listener[T]) run() {
	var spare []notification[T]
	for {
		l.mu.Lock()
		batch := l.pending
		l.pending = spare[:0]
		l.mu.Unlock()
		if len(batch) == 0 {
			spare = batch
			select {
			case <-l.wake:
				continue
			case <-l.stop:
				return
			}
		}
		for i := range batch {
			if l.stopped.Load() {
				return
			}
			l.deliver(&batch[i])
			batch[i] = notification[T]{} // let the object go as soon as it is delivered
		}
		spare = batch
		if cap(spare) > maxIdleBuffer {
			spare = nil
		}
	}
}

func (l *listener[T]) deliver(n *notification[T]) {
	switch n.kind {
	case notifyAdd:
		l.h.OnAdd(n.obj, n.flag)
	case notifyUpdate:
		l.h.OnUpdate(n.old, n.obj)
	case notifyDelete:
		l.h.OnDelete(n.obj, n.flag)
	case notifySynced:
		l.reg.markSynced()
	}
}
