package informer

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/store"
)

// Informer keeps a Cache of the objects of one ListerWatcher up to date and tells Handlers
// about every change (spec §4–§7). See the package documentation.
//
// New starts nothing; Run does the work and returns once ctx is done and every goroutine it
// started has returned. Every method is safe for concurrent use.
type Informer[T meta.Object] struct {
	opts  Options[T]
	cache *Cache[T]
	refl  *reflector[T]

	// synced is closed when the first list has been applied and queued for the handlers.
	synced chan struct{}
	// resyncWake (capacity 1) tells the resync loop that the set of handlers changed.
	resyncWake chan struct{}

	// mu guards state, hasSynced, transform, listeners and every listener's nextResync. It
	// is held while a change is applied to the cache and queued for the handlers, so that
	// handlers see changes in cache order and a handler added meanwhile gets a consistent
	// replay. Lock order: mu, then cache.mu, then a listener's mu.
	mu        sync.Mutex
	state     runState
	hasSynced bool
	transform func(T) T
	listeners []*listener[T]

	// handlers tracks the listeners' goroutines. Add is called only with mu held and state
	// running, so it never races with the Wait at the end of Run.
	handlers sync.WaitGroup
}

type runState uint8

const (
	stateNew runState = iota
	stateRunning
	stateStopped
)

// New returns an informer over lw. It starts nothing: call Run. It panics if opts do not
// validate.
func New[T meta.Object](lw ListerWatcher[T], opts Options[T]) *Informer[T] {
	opts = opts.withDefaults()
	i := &Informer[T]{
		opts:       opts,
		cache:      NewCache(CacheOptions[T]{Indexers: opts.Indexers, MutationCheck: opts.MutationCheck}),
		synced:     make(chan struct{}),
		resyncWake: make(chan struct{}, 1),
		transform:  opts.Transform,
	}
	i.refl = newReflector(lw, sink[T](i), opts.Clock, opts.Logger)
	return i
}

// Run lists and watches, keeps the cache and notifies the handlers until ctx is done, then
// stops every handler (dropping their pending notifications, waiting for calls in progress)
// and returns nil. An informer runs once: a second Run returns ErrAlreadyRunning.
//
// With mutation detection on, Run panics with the key of a cached object that was modified.
func (i *Informer[T]) Run(ctx context.Context) error {
	i.mu.Lock()
	if i.state != stateNew {
		i.mu.Unlock()
		return ErrAlreadyRunning
	}
	i.state = stateRunning
	for _, l := range i.listeners {
		i.handlers.Go(l.run)
	}
	i.mu.Unlock()

	var wg sync.WaitGroup
	wg.Go(func() { i.refl.run(ctx) })
	wg.Go(func() { i.resyncLoop(ctx) })
	wg.Wait()

	i.mu.Lock()
	i.state = stateStopped
	for _, l := range i.listeners {
		l.close()
	}
	i.mu.Unlock()
	i.handlers.Wait()
	i.cache.checkMutations()
	return nil
}

// AddHandler adds h with the informer's DefaultResync period. See AddHandlerWithResync.
func (i *Informer[T]) AddHandler(h Handler[T]) (*Registration, error) {
	return i.AddHandlerWithResync(h, i.opts.DefaultResync)
}

// AddHandlerWithResync adds h, resyncing it every period (0: never; positive periods below
// MinResyncPeriod are raised to it). A handler added before the informer has synced gets the
// initial list as OnAdd(obj, true) calls; one added later gets the current cache replayed
// the same way first. Either way, every later change follows in order. It fails with
// ErrStopped once Run has returned.
func (i *Informer[T]) AddHandlerWithResync(h Handler[T], period time.Duration) (*Registration, error) {
	l := newListener(h, resyncPeriod(period))
	l.reg.remove = func() { i.removeListener(l) }
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.state == stateStopped {
		return nil, ErrStopped
	}
	if l.resyncPeriod > 0 {
		l.nextResync = i.opts.Clock.Now().Add(l.resyncPeriod)
	}
	i.listeners = append(i.listeners, l)
	if i.hasSynced {
		l.addObjects(notifyAdd, true, i.cache.List())
		l.add(notification[T]{kind: notifySynced})
	}
	if i.state == stateRunning {
		i.handlers.Go(l.run)
	}
	i.wakeResync()
	return l.reg, nil
}

// removeListener is Registration.Remove.
func (i *Informer[T]) removeListener(l *listener[T]) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if k := slices.Index(i.listeners, l); k >= 0 {
		i.listeners = slices.Delete(i.listeners, k, k+1)
	}
	l.close()
	i.wakeResync()
}

// HasSynced reports whether the first list has been applied to the cache (and queued for the
// handlers; each Registration tells when its handler has processed it).
func (i *Informer[T]) HasSynced() bool {
	select {
	case <-i.synced:
		return true
	default:
		return false
	}
}

// Synced returns a channel that is closed when HasSynced becomes true.
func (i *Informer[T]) Synced() <-chan struct{} { return i.synced }

// Revision returns the last revision the informer listed or saw in a watch (0 before the
// first list).
func (i *Informer[T]) Revision() uint64 { return i.refl.revision.Load() }

// Indexer returns the read side of the cache. Objects from it must not be modified.
func (i *Informer[T]) Indexer() Indexer[T] { return i.cache }

// Lister returns a typed lister over the cache.
func (i *Informer[T]) Lister() Lister[T] {
	return Lister[T]{idx: i.cache, resource: i.opts.Resource}
}

// AddIndexers adds index functions to the cache, indexing the objects already cached. It
// may be called at any time; it fails with ErrIndexExists if a name is taken.
func (i *Informer[T]) AddIndexers(indexers Indexers[T]) error {
	return i.cache.AddIndexers(indexers)
}

// SetTransform sets Options.Transform. It fails with ErrStarted once Run was called.
func (i *Informer[T]) SetTransform(fn func(T) T) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.state != stateNew {
		return ErrStarted
	}
	i.transform = fn
	return nil
}

// replaceChunk is how many listed objects are applied under one hold of the cache's lock,
// so that readers are not locked out for the whole of a long list.
const replaceChunk = 256

// replace implements sink: it makes items the cache's content. Objects new to the cache are
// OnAdd (isInitialList on the first list), listed objects already cached are OnUpdate, and
// cached objects missing from the list were deleted during a watch gap: they are removed and
// reported as OnDelete(last known state, finalStateUnknown=true), after the listed objects,
// in key order.
func (i *Informer[T]) replace(items []T) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if tf := i.transform; tf != nil {
		for k, o := range items {
			items[k] = tf(o)
		}
	}
	c := i.cache
	c.mu.Lock()
	relist := len(c.items) > 0
	c.growLocked(len(items))
	c.mu.Unlock()

	var listed map[string]struct{}
	if relist {
		listed = make(map[string]struct{}, len(items))
		for _, o := range items {
			listed[meta.Key(o)] = struct{}{}
		}
	}
	initial := !i.hasSynced
	buf := make([]notification[T], 0, min(len(items), replaceChunk))
	for start := 0; start < len(items); start += replaceChunk {
		buf = buf[:0]
		c.mu.Lock()
		for _, o := range items[start:min(start+replaceChunk, len(items))] {
			if old, existed := c.setLocked(o); existed {
				buf = append(buf, notification[T]{kind: notifyUpdate, old: old, obj: o})
			} else {
				buf = append(buf, notification[T]{kind: notifyAdd, flag: initial, obj: o})
			}
		}
		c.mu.Unlock()
		i.notifyLocked(buf)
	}
	if relist {
		var gone []*entry[T]
		c.mu.Lock()
		for key, e := range c.items {
			if _, ok := listed[key]; !ok {
				gone = append(gone, e)
			}
		}
		slices.SortFunc(gone, func(a, b *entry[T]) int { return strings.Compare(a.key, b.key) })
		buf = buf[:0]
		for _, e := range gone {
			c.removeLocked(e)
			buf = append(buf, notification[T]{kind: notifyDelete, flag: true, obj: e.obj})
		}
		c.mu.Unlock()
		i.notifyLocked(buf)
	}
	if initial {
		i.hasSynced = true
		i.notifyLocked([]notification[T]{{kind: notifySynced}})
		close(i.synced)
	}
}

// apply implements sink: it applies one watch event to the cache and queues its
// notification. Added and Modified both mean "this is the object now": OnAdd if the key is
// new, OnUpdate otherwise. Deleted of an unknown key is ignored; otherwise OnDelete gets the
// event's object, the final state.
func (i *Informer[T]) apply(ev Event[T]) {
	obj := ev.Object
	i.mu.Lock()
	defer i.mu.Unlock()
	if tf := i.transform; tf != nil {
		obj = tf(obj)
	}
	c := i.cache
	var n notification[T]
	c.mu.Lock()
	if ev.Type == store.Deleted {
		m := obj.GetObjectMeta()
		e := c.lookupLocked(m.Namespace, m.Name)
		if e == nil {
			c.mu.Unlock()
			return
		}
		c.removeLocked(e)
		n = notification[T]{kind: notifyDelete, obj: obj}
	} else if old, existed := c.setLocked(obj); existed {
		n = notification[T]{kind: notifyUpdate, old: old, obj: obj}
	} else {
		n = notification[T]{kind: notifyAdd, obj: obj}
	}
	c.mu.Unlock()
	for _, l := range i.listeners {
		l.add(n)
	}
}

// notifyLocked queues ns for every handler; the caller holds i.mu.
func (i *Informer[T]) notifyLocked(ns []notification[T]) {
	for _, l := range i.listeners {
		l.addAll(ns)
	}
}

// wakeResync tells the resync loop to recompute its deadline.
func (i *Informer[T]) wakeResync() {
	select {
	case i.resyncWake <- struct{}{}:
	default:
	}
}

// resyncLoop sleeps until the earliest handler resync is due, resyncs the handlers that are
// due, and repeats until ctx is done. It holds no timer while no handler resyncs.
func (i *Informer[T]) resyncLoop(ctx context.Context) {
	var t clock.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	// A wake-up left by handlers added before Run is stale: the first deadline below already
	// counts them. Dropping it keeps the first timer armed once, so a fake clock stepped right
	// after it appears fires it rather than a re-armed copy.
	select {
	case <-i.resyncWake:
	default:
	}
	for {
		var fire <-chan time.Time
		if next, ok := i.nextResync(); ok {
			d := next.Sub(i.opts.Clock.Now())
			if t == nil {
				t = i.opts.Clock.NewTimer(d)
			} else {
				t.Reset(d)
			}
			fire = t.C()
		} else if t != nil {
			t.Stop()
		}
		select {
		case <-ctx.Done():
			return
		case <-i.resyncWake:
		case <-fire:
			i.resync()
		}
	}
}

// nextResync returns the earliest time a handler is due for a resync.
func (i *Informer[T]) nextResync() (time.Time, bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	var next time.Time
	found := false
	for _, l := range i.listeners {
		if l.resyncPeriod > 0 && (!found || l.nextResync.Before(next)) {
			next, found = l.nextResync, true
		}
	}
	return next, found
}

// resync gives every handler whose period has elapsed OnUpdate(obj, obj) for every cached
// object. With mutation detection on, it first checks every cached object.
func (i *Informer[T]) resync() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.cache.checkMutations()
	now := i.opts.Clock.Now()
	var objs []T
	listed := false
	for _, l := range i.listeners {
		if l.resyncPeriod == 0 || now.Before(l.nextResync) {
			continue
		}
		l.nextResync = now.Add(l.resyncPeriod)
		if !listed {
			objs, listed = i.cache.List(), true
		}
		l.addObjects(notifyUpdate, false, objs)
	}
}
