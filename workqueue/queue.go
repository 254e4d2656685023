package workqueue

import (
	"sync"
	"sync/atomic"
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

	// tab holds an entry for each item the queue tracks. The flags of the entry's state word
	// (entry.state) make up the de-duplication invariant:
	//
	//   - stateDirty: the item needs processing. If it is not processing it is in the ready
	//     order (q.fifo or q.prio); if it is processing it was added again meanwhile and goes
	//     back into the ready order at Done. Adding a dirty item changes nothing (except raising
	//     its priority), so an item added many times before Get is handed out once.
	//   - stateProcessing: Get handed the item out and Done has not been called yet. An item is
	//     in the ready order only while dirty and not processing, so no two workers ever hold it.
	//   - e.waitIdx >= 0 (a field, not a flag): the item is in q.waiting for a delayed add.
	//     Independent of the two above: when it is due it is simply added.
	//
	// An item has an entry in tab exactly while at least one of the three holds, or while its
	// entry is statePending: released by a Done that ran without mu, until the next Get forgets
	// it (collectLocked).
	//
	// Two calls usually run without mu, and everything else changes the flags with mu held:
	//
	//   - Add of an item that is dirty has nothing to do (table.dirtyUnlocked). A dirty item
	//     with a negative priority (stateNegative) is the exception: a plain Add raises it to
	//     0, so it takes the locked path. Add of an item that has no entry leaves it in q.in,
	//     which the next holder of mu empties before anything else (lock); see inbox for why
	//     that is the same as taking mu at the moment the item was left there.
	//   - Done of an item that was not added again meanwhile, the common case, clears
	//     stateProcessing, sets statePending and puts the entry on a list that the next Get,
	//     which locks mu anyway, collects (table.doneUnlocked). Only while q.in is empty: an
	//     Add waiting there may be of this very item (inbox.empty).
	//
	// Both find the entry through the index without mu and pin it to compare its item (see
	// entry.state). The lock-free Done is the only flag change that can happen under a lock
	// holder, and only to an entry that is processing and neither dirty nor pending; so a lock
	// holder that makes such an entry dirty uses a compare-and-swap (entry.casFlags) and decides
	// again if it fails. Either Done sees stateDirty and takes the locked path, which queues the
	// item again, or Add sees that the entry is no longer processing and queues it itself.
	//
	// Memory ordering. As in client-go, where the mutex provides it, the worker that processes
	// an item sees everything written before the Add that made it dirty and everything the
	// previous worker wrote before its Done. Go's memory model orders a goroutine's writes
	// before another goroutine's operations only through a write of the first goroutine that a
	// later operation observes, so a lock-free path that merely loaded the state would not give
	// that. Instead, the lock-free paths read and change the state with atomic
	// read-modify-writes, and every other write to the state is a read-modify-write too, never
	// a store. Each operation on the word then observes the one before it, so a lock-free Add
	// or Done is synchronized before every later operation on the state, in particular before
	// the Get that next clears stateDirty, and so before the processing of the worker it hands
	// the item to.
	//
	// tab's fields that are read without mu come first in it, and the ones mu guards last:
	// right before the fields below, which every Add, Get and Done writes. Keeping those
	// together on few cache lines, and apart from what other CPUs read without the lock, means
	// that handing the lock from one CPU to another moves few cache lines.
	tab table[T]

	// mu guards tab (except what table reads without it) and every field below; take it with
	// q.lock, which also empties q.in, except where nothing in the inbox matters. Lock order:
	// mu, then the rate limiter's and the clock's own locks (timers are armed and stopped
	// with mu held); RateLimiter.When is called without mu.
	mu           sync.Mutex
	queued       int               // items that are dirty and not processing: Len
	processing   int               // items handed out and not Done
	seq          uint64            // counts additions to the ready order and to waiting
	sleepers     int               // Get calls waiting on getCond
	waking       bool              // getCond was signalled and the woken Get has not run yet
	shuttingDown bool              // ShutDown or ShutDownWithDrain was called
	draining     atomic.Bool       // a ShutDownWithDrain is waiting; read by Done without mu
	fifo         ring[fifoRef]     // ready items of priority 0, in order
	prio         slotHeap[prioRef] // ready items of other priorities, by rank

	// getCond (on mu) wakes Get calls when an item becomes ready or the queue shuts down.
	// At most one sleeping Get is being woken at a time (waking); the Get that wakes passes the
	// baton to the next sleeper if items are left. Waking one sleeper per new item instead
	// makes a herd of goroutines that mostly find the queue empty again.
	getCond sync.Cond
	// drainCond (on mu) wakes ShutDownWithDrain when nothing is being processed any more.
	drainCond sync.Cond

	waiting  slotHeap[waitRef] // delayed items by ready time
	timer    clock.Timer       // AfterFunc that moves due items; nil until first needed
	timerDue time.Time         // when timer fires; zero when it is not armed
	times    []itemTimes       // per entry slot, only with metrics
	mtimer   clock.Timer       // AfterFunc refreshing the unfinished-work gauges; metrics only
	mtimerOn bool              // mtimer is armed

	in inbox[T] // adds that have not taken mu yet; see inbox
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
	q.in.init()
	q.getCond.L = &q.mu
	q.drainCond.L = &q.mu
	q.prio = slotHeap[prioRef]{
		before: (*prioRef).before,
		slotOf: func(r *prioRef) uint32 { return r.slot },
		setPos: func(slot uint32, pos int32) { q.tab.at(slot).heapIdx = pos },
	}
	q.waiting = slotHeap[waitRef]{
		before: (*waitRef).before,
		slotOf: func(r *waitRef) uint32 { return r.slot },
		setPos: func(slot uint32, pos int32) { q.tab.at(slot).waitIdx = pos },
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
	hash := q.tab.hash(item)
	// Without the lock: if the item is already dirty there is nothing to do. The search also
	// brings the item's index bucket into the cache before the lock is taken.
	dirty, tracked := q.tab.dirtyUnlocked(item, hash)
	if dirty {
		return
	}
	if q.tab.spareWant.Load() != 0 {
		q.tab.prepareSpare() // the index will soon grow; see prepareSpare
	}
	// An item the queue does not track yet goes without the lock too, unless the queue keeps
	// metrics (which time every add) or the inbox is full: it waits in the inbox for the next
	// lock holder. If a Get sleeps, it must be woken now, which needs the lock (see inbox). A
	// tracked item (usually one being processed) is made dirty at once, under the lock, so that
	// the Adds of it that follow find it dirty and return at once instead of filling the inbox.
	if !tracked && q.metrics == nil && !q.in.shutDown.Load() && q.in.push(item, hash) {
		if q.in.sleeping.Load() > 0 {
			q.lock()
			q.mu.Unlock()
		}
		return
	}
	q.lock()
	if !q.shuttingDown {
		q.addLocked(q.slotLocked(item, hash), 0)
	}
	q.mu.Unlock()
}

// lock takes mu and moves the adds waiting in the inbox into the queue, so that whatever the
// caller does next comes after every Add that has claimed its place in the inbox.
func (q *Queue[T]) lock() {
	q.mu.Lock()
	if q.in.tail.Load() != q.in.head {
		q.drainInboxLocked()
	}
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
	e := q.tab.at(slot)
	if e.flags() != 0 || e.waitIdx >= 0 {
		return
	}
	q.tab.remove(slot)
}

// addLocked marks the entry at slot dirty with priority p and, unless it is being processed,
// queues it and wakes one Get.
func (q *Queue[T]) addLocked(slot uint32, p int) {
	e := q.tab.at(slot)
	var f uint32
	for {
		f = e.flags()
		if f&stateDirty != 0 {
			if p > e.prio {
				if f&stateProcessing != 0 {
					e.setPrioLocked(p) // applies when Done re-queues it
				} else {
					q.raiseLocked(slot, p)
				}
			}
			return
		}
		// Dirty and the sign of the priority are set together: a lock-free Add that sees the
		// one must see the other. A compare-and-swap, because a lock-free Done may stop a
		// processing entry meanwhile: then whether Done or this Add queues it is decided again.
		dirty := f | stateDirty
		if p < 0 {
			dirty |= stateNegative
		}
		if e.casFlags(f, dirty) {
			break
		}
	}
	e.prio = p
	if q.metrics != nil {
		q.metrics.added(&q.times[slot], q.clock)
	}
	if f&stateProcessing != 0 {
		return // Done re-queues it
	}
	q.pushReadyLocked(slot)
	q.wakeLocked()
}

// setPrioLocked raises the priority of the dirty entry e to p.
func (e *entry[T]) setPrioLocked(p int) {
	e.prio = p
	if f := e.flags(); p >= 0 && f&stateNegative != 0 {
		e.setFlags(f, f&^stateNegative)
	}
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
	q.lock()
	for q.queued == 0 && !q.shuttingDown {
		// Announce the sleep to Add's lock-free path before looking at the inbox a last
		// time (see inbox).
		q.in.sleeping.Add(1)
		q.drainInboxLocked()
		if q.queued == 0 && !q.shuttingDown {
			q.sleepers++
			q.getCond.Wait()
			q.sleepers--
			q.waking = false
		}
		q.in.sleeping.Add(-1)
	}
	q.collectLocked()
	if q.queued == 0 {
		q.mu.Unlock()
		return item, true
	}
	slot := q.popReadyLocked()
	if q.queued > 0 {
		q.wakeLocked() // pass the baton
	}
	e := q.tab.at(slot)
	f := e.flags() // dirty and not processing; not pending, as collectLocked just ran
	e.setFlags(f, f&statePending|stateProcessing)
	q.processing++
	item = e.item
	q.tab.setHanded(e.hash, slot)
	if q.metrics != nil {
		q.metrics.got(&q.times[slot], q.clock)
		q.armMetricsLocked()
	}
	// With a long backlog, what the next Gets and Dones touch was written long ago and is no
	// longer in the cache. Fetch it ahead, outside the lock (see prefetchAhead): the entry of
	// the next item and of the one prefetchEntry places ahead, and the index bucket of the one
	// prefetchBucket places ahead, whose entry (and so its hash) was fetched earlier.
	n := q.fifo.len()
	var next, far uint32
	var bucket uint32
	if n > 0 {
		next = q.fifo.at(0).slot
	}
	if n > prefetchEntry {
		far = q.fifo.at(prefetchEntry).slot
	}
	if n > prefetchBucket {
		bucket = q.tab.at(q.fifo.at(prefetchBucket).slot).hash
	}
	q.mu.Unlock()
	if n > 0 {
		q.tab.touchEntry(next)
	}
	if n > prefetchEntry {
		q.tab.touchEntry(far)
	}
	if n > prefetchBucket {
		q.tab.touch(bucket)
	}
	return item, false
}

// How far ahead in the FIFO Get prefetches. The index bucket of an item is needed when it is
// forgotten, after its Done: with a long backlog it is the last cache miss on a Get+Done that
// the queue can avoid (the other one, in Add, is the search for a new item's bucket, which
// nothing can predict). Reading its hash needs the entry, under the lock, so entries are fetched
// further ahead than buckets. A few places ahead are enough to hide the latency (each place is
// one Get, a few hundred nanoseconds with a backlog) and few enough that the lines are still
// cached when used.
const (
	prefetchBucket = 4
	prefetchEntry  = 8
)

// Done tells the queue that the worker has finished with item, which Get handed out. If the item
// was added again meanwhile it is queued now. Done of an item that is not being processed does
// nothing.
func (q *Queue[T]) Done(item T) {
	hash := q.tab.hash(item)
	// Without the lock if the item was not added again, which is the common case: its entry is
	// released, and the next Get, which takes the lock anyway, forgets it (collectLocked). The
	// search also brings the item's index bucket into the cache before the lock is taken.
	if q.metrics == nil && q.in.empty() && q.tab.doneUnlocked(item, hash) {
		if q.draining.Load() { // a ShutDownWithDrain may be waiting for this Done
			q.lock()
			q.collectLocked()
			q.wakeDrainLocked()
			q.mu.Unlock()
		}
		return
	}
	q.lock()
	slot, pos, ok := q.tab.get(item, hash)
	if !ok {
		q.mu.Unlock()
		return
	}
	e := q.tab.at(slot)
	var f uint32
	for {
		f = e.flags()
		if f&stateProcessing == 0 {
			q.mu.Unlock()
			return
		}
		if e.casFlags(f, f&^stateProcessing) { // fails only if another Done got there first
			break
		}
	}
	q.processing--
	if q.metrics != nil {
		q.metrics.done(&q.times[slot], q.clock)
	}
	switch {
	case f&stateDirty != 0:
		q.pushReadyLocked(slot)
		q.wakeLocked()
	case f&^stateProcessing == 0 && e.waitIdx < 0:
		q.tab.removeAt(pos, slot, e) // nothing refers to the entry any more
	}
	q.wakeDrainLocked()
	q.mu.Unlock()
}

// collectLocked finishes the Done calls that ran without the lock: it counts them out of
// q.processing and forgets the entries they released that nothing refers to any more. Get
// calls it before handing out an item, so an entry is never processing and on the released
// list at once.
func (q *Queue[T]) collectLocked() {
	if q.tab.released.Load() == 0 {
		return
	}
	for next := q.tab.released.Swap(0); next != 0; {
		slot := next - 1
		e := q.tab.at(slot)
		next = e.next
		f := e.flags() &^ statePending
		e.setFlags(f|statePending, f)
		q.processing--
		if f == 0 && e.waitIdx < 0 {
			q.tab.remove(slot) // nothing refers to the entry any more
		}
	}
}

// wakeDrainLocked wakes a waiting ShutDownWithDrain if nothing is being processed any more.
func (q *Queue[T]) wakeDrainLocked() {
	if q.processing == 0 && q.draining.Load() {
		q.drainCond.Broadcast()
	}
}

// Len returns the number of items ready to be handed out (not counting items being processed
// or waiting for a delay).
func (q *Queue[T]) Len() int {
	q.lock()
	defer q.mu.Unlock()
	return q.queued
}

// ShutDown makes the queue ignore further adds, drops items waiting for a delay and wakes every
// blocked Get. Items already queued are still handed out; then Get reports shutdown. ShutDown
// does not wait for workers; it also ends the wait of a ShutDownWithDrain in progress.
func (q *Queue[T]) ShutDown() {
	q.lock()
	defer q.mu.Unlock()
	q.shutDownLocked()
	q.draining.Store(false)
	q.drainCond.Broadcast()
}

// ShutDownWithDrain is ShutDown, then waits until every item handed out by Get is Done
// (including items Get hands out while it waits). A concurrent ShutDown ends the wait early.
func (q *Queue[T]) ShutDownWithDrain() {
	q.lock()
	defer q.mu.Unlock()
	q.shutDownLocked()
	q.draining.Store(true)
	for q.collectLocked(); q.processing > 0 && q.draining.Load(); q.collectLocked() {
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
	q.in.shutDown.Store(true)
	q.dropWaitingLocked()
	if q.mtimer != nil {
		q.mtimer.Stop()
		q.mtimerOn = false
	}
	q.getCond.Broadcast()
}
