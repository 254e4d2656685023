package workqueue

import (
	"sync"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// Queue is a work queue of items of type T (usually "namespace/name" keys) with client-go's
// de-duplication and processing guarantees, delays, rate-limited retries, priorities and
// metrics. The zero value is not usable; create one with New.
//
// The guarantees, exactly as client-go's:
//   - an item added many times before a worker takes it is handed out once;
//   - an item is never handed to two workers at once;
//   - an item added while a worker processes it is handed out once more after Done;
//   - otherwise items come out in the order they were added (FIFO), unless priorities say
//     otherwise.
//
// All methods are safe for concurrent use.
type Queue[T comparable] struct {
	// Set by New, then only read.
	clock   clock.Clock
	limiter RateLimiter[T]
	aging   int64
	metrics *queueMetrics // nil: no metrics, and no cost for them

	// Keep the fields every Add, Get and Done writes away from the read-only ones above, and
	// close together, so that handing the lock from one CPU to another moves few cache lines.
	_ [64]byte

	// mu guards every field below and every entry in tab. Lock order: mu, then the rate
	// limiter's and the clock's own locks (timers are armed and stopped with mu held);
	// RateLimiter.When is called without mu.
	mu         sync.Mutex
	queued     int           // items that are dirty and not processing: Len
	processing int           // items handed out and not Done
	seq        uint64        // counts additions to the ready order and to waiting
	fifo       ring[fifoRef] // ready items of priority 0, in order

	// The de-duplication invariant, for the entry e of an item:
	//
	//   - e.dirty: the item needs processing. If it is not processing it is in the ready order
	//     (q.fifo or q.prio); if it is processing it was added again meanwhile and goes back into
	//     the ready order at Done. Adding a dirty item changes nothing (except raising its
	//     priority), so an item added many times before Get is handed out once.
	//   - e.processing: Get handed the item out and Done has not been called yet. An item is in
	//     the ready order only while dirty && !processing, so no two workers ever hold it.
	//   - e.waitIdx >= 0: the item is in q.waiting for a delayed add. Independent of the two
	//     above: when it is due it is simply added.
	//
	// An item has an entry in tab exactly while at least one of the three holds.
	tab table[T]

	// getCond (on mu) wakes Get calls when an item becomes ready or the queue shuts down.
	// At most one sleeping Get is being woken at a time (waking); the Get that wakes passes the
	// baton to the next sleeper if items are left. Waking one sleeper per new item instead
	// makes a herd of goroutines that mostly find the queue empty again.
	getCond  sync.Cond
	sleepers int  // Get calls waiting on getCond
	waking   bool // getCond was signalled and the woken Get has not run yet
	// drainCond (on mu) wakes ShutDownWithDrain when nothing is being processed any more.
	drainCond    sync.Cond
	shuttingDown bool
	draining     bool // a ShutDownWithDrain is waiting

	prio     slotHeap[prioRef] // ready items of other priorities, by rank
	waiting  slotHeap[waitRef] // delayed items by ready time
	timer    clock.Timer       // AfterFunc that moves due items; nil until first needed
	timerDue time.Time         // when timer fires; zero when it is not armed
	times    []itemTimes       // per entry slot, only with metrics
	mtimer   clock.Timer       // AfterFunc refreshing the unfinished-work gauges; metrics only
	mtimerOn bool              // mtimer is armed
}

// New returns an empty queue configured by opts. It starts no goroutine: timers are armed only
// while items wait for a delay (and, with metrics, while items are being processed). It panics
// if opts.Validate fails.
func New[T comparable](opts Options[T]) *Queue[T] {
	opts = opts.withDefaults()
	q := &Queue[T]{
		clock:   opts.Clock,
		limiter: opts.RateLimiter,
		aging:   int64(opts.PriorityAging),
	}
	q.tab.init()
	q.getCond.L = &q.mu
	q.drainCond.L = &q.mu
	q.prio = slotHeap[prioRef]{
		before: (*prioRef).before,
		slotOf: func(r *prioRef) uint32 { return r.slot },
		setPos: func(slot uint32, pos int32) { q.tab.entries[slot].heapIdx = pos },
	}
	q.waiting = slotHeap[waitRef]{
		before: (*waitRef).before,
		slotOf: func(r *waitRef) uint32 { return r.slot },
		setPos: func(slot uint32, pos int32) { q.tab.entries[slot].waitIdx = pos },
	}
	if opts.MetricsProvider != nil {
		q.metrics = newQueueMetrics(opts.MetricsProvider, opts.Name, opts.UnfinishedWorkUpdatePeriod)
	}
	return q
}

// Add marks item as needing processing. It is ignored after ShutDown. If the item is already
// waiting for a worker nothing changes; if a worker is processing it, it is handed out again
// after that worker calls Done.
func (q *Queue[T]) Add(item T) {
	hash := q.prepare(item)
	q.mu.Lock()
	if !q.shuttingDown {
		q.addLocked(q.slotLocked(item, hash), 0)
	}
	q.mu.Unlock()
}

// prepare hashes item and brings its index bucket into the cache, before the caller takes the
// lock (see table).
func (q *Queue[T]) prepare(item T) (hash uint32) {
	hash = q.tab.hash(item)
	q.tab.touch(hash)
	return hash
}

// slotLocked returns the slot of item's entry, creating the entry if there is none.
func (q *Queue[T]) slotLocked(item T, hash uint32) uint32 {
	slot, added := q.tab.getOrAdd(item, hash)
	if added && q.metrics != nil && int(slot) >= len(q.times) {
		q.times = append(q.times, make([]itemTimes, int(slot)+1-len(q.times))...)
	}
	return slot
}

// releaseLocked forgets the entry at slot if nothing refers to it any more.
func (q *Queue[T]) releaseLocked(slot uint32) {
	e := &q.tab.entries[slot]
	if e.dirty || e.processing || e.waitIdx >= 0 {
		return
	}
	q.tab.remove(slot)
}

// addLocked marks the entry at slot dirty with priority p and, unless it is being processed,
// queues it and wakes one Get.
func (q *Queue[T]) addLocked(slot uint32, p int) {
	e := &q.tab.entries[slot]
	if e.dirty {
		if p > e.prio {
			if e.processing {
				e.prio = p // applies when Done re-queues it
			} else {
				q.raiseLocked(slot, p)
			}
		}
		return
	}
	e.dirty = true
	e.prio = p
	if q.metrics != nil {
		q.metrics.added(&q.times[slot], q.clock)
	}
	if e.processing {
		return // Done re-queues it
	}
	q.pushReadyLocked(slot)
	q.wakeLocked()
}

// wakeLocked wakes a sleeping Get for a queued item, unless one is already being woken.
func (q *Queue[T]) wakeLocked() {
	if q.sleepers > 0 && !q.waking {
		q.waking = true
		q.getCond.Signal()
	}
}

// Get blocks until an item is ready and hands it to the caller, who must call Done(item) when
// finished with it. After ShutDown, Get keeps handing out the items that were already queued;
// once none is left it returns the zero T and shutdown=true.
func (q *Queue[T]) Get() (item T, shutdown bool) {
	q.mu.Lock()
	for q.queued == 0 && !q.shuttingDown {
		q.sleepers++
		q.getCond.Wait()
		q.sleepers--
		q.waking = false
	}
	if q.queued == 0 {
		q.mu.Unlock()
		return item, true
	}
	slot := q.popReadyLocked()
	if q.queued > 0 {
		q.wakeLocked() // pass the baton
	}
	e := &q.tab.entries[slot]
	e.dirty = false
	e.processing = true
	q.processing++
	item = e.item
	if q.metrics != nil {
		q.metrics.got(&q.times[slot], q.clock)
		q.armMetricsLocked()
	}
	more := q.fifo.len() > 0
	var next uint32
	if more {
		next = q.fifo.peek().slot
	}
	q.mu.Unlock()
	if more {
		// With a long backlog the next item's entry was written long ago and is no longer in
		// the cache; fetch it now, outside the lock, for the next Get.
		q.tab.touchEntry(next)
	}
	return item, false
}

// Done tells the queue that the worker has finished with item, which Get handed out. If the item
// was added again meanwhile it is queued now. Done of an item that is not being processed does
// nothing.
func (q *Queue[T]) Done(item T) {
	hash := q.prepare(item)
	q.mu.Lock()
	slot, ok := q.tab.get(item, hash)
	if !ok || !q.tab.entries[slot].processing {
		q.mu.Unlock()
		return
	}
	e := &q.tab.entries[slot]
	e.processing = false
	q.processing--
	if q.metrics != nil {
		q.metrics.done(&q.times[slot], q.clock)
	}
	if e.dirty {
		q.pushReadyLocked(slot)
		q.wakeLocked()
	} else {
		q.releaseLocked(slot)
	}
	if q.processing == 0 && q.draining {
		q.drainCond.Broadcast()
	}
	q.mu.Unlock()
}

// Len returns the number of items ready to be handed out (not counting items being processed
// or waiting for a delay).
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.queued
}

// ShutDown makes the queue ignore further adds, drops items waiting for a delay and wakes every
// blocked Get. Items already queued are still handed out; then Get reports shutdown. ShutDown
// does not wait for workers; it also ends the wait of a ShutDownWithDrain in progress.
func (q *Queue[T]) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutDownLocked()
	q.draining = false
	q.drainCond.Broadcast()
}

// ShutDownWithDrain is ShutDown, then waits until every item handed out by Get is Done
// (including items Get hands out while it waits). A concurrent ShutDown ends the wait early.
func (q *Queue[T]) ShutDownWithDrain() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutDownLocked()
	q.draining = true
	for q.processing > 0 && q.draining {
		q.drainCond.Wait()
	}
}

// ShuttingDown reports whether ShutDown or ShutDownWithDrain has been called.
func (q *Queue[T]) ShuttingDown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shuttingDown
}

func (q *Queue[T]) shutDownLocked() {
	if q.shuttingDown {
		return
	}
	q.shuttingDown = true
	q.dropWaitingLocked()
	if q.mtimer != nil {
		q.mtimer.Stop()
		q.mtimerOn = false
	}
	q.getCond.Broadcast()
}
