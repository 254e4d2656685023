package workqueue

import (
	"runtime"
	"sync/atomic"
)

// inbox lets Add hand a new item to the queue without taking the lock. Whoever takes the lock
// next (usually a Get) moves the waiting adds into the queue, in order, before it does anything
// else (Queue.lock), so every locked operation sees every Add that came before it.
//
// It is a bounded multi-producer ring in the manner of Dmitry Vyukov's bounded queue: a
// producer claims a position with a compare-and-swap on tail, writes its cell, then publishes it
// by storing the cell's seq; the one consumer, which holds the queue's lock, takes cells in
// position order. A full inbox sends Add to the locked path, which empties it first.
//
// Order and linearization. An Add takes effect when it claims its position: the lock holder
// reads tail and then waits for every position below it to be published (a producer is a few
// instructions from claim to publish), so an Add that claimed before a locked operation began is
// always seen by it, and Adds come out in the order of their claims. Queued this way, the items
// are handed out, de-duplicated and re-queued exactly as if Add had taken the lock at the moment
// it claimed its position.
//
// Memory ordering: the store that publishes a cell is observed by the lock holder's load of it,
// so what the adder wrote before Add happens before the item is queued, and so before the
// worker that gets it (Queue's guarantee).
//
// Add after ShutDown. Add reads shutDown before it claims; an Add that claims after ShutDown
// has emptied the inbox is discarded when the inbox is next emptied: it ran concurrently with
// ShutDown, so ignoring it is a valid outcome.
//
// Waking a sleeping Get. A Get increments sleeping before it empties the inbox a last time and
// waits; an Add publishes its cell before it reads sleeping. Both are sequentially consistent
// atomics, so either the Get sees the cell or the Add sees the sleeper and takes the lock to
// move the item and wake it.
type inbox[T comparable] struct {
	tail     atomic.Uint64 // next position to claim
	shutDown atomic.Bool   // the queue is shutting down: Add takes the locked path
	sleeping atomic.Int32  // Get calls that are waiting or about to wait
	_        [48]byte
	head     uint64        // next position to take; the queue's lock guards it
	headCopy atomic.Uint64 // head, for Done to read without the lock
	_        [48]byte
	cells    [inboxSize]inboxCell[T]
}

// inboxCell holds the item of one claimed position. seq is pos while the cell is free for the
// producer of position pos, and pos+1 once that producer has published its item.
type inboxCell[T comparable] struct {
	seq  atomic.Uint64
	hash uint32
	item T
}

const inboxSize = 256 // a power of two

func (b *inbox[T]) init() {
	for i := range b.cells {
		b.cells[i].seq.Store(uint64(i))
	}
}

// push claims a position for item and publishes it. It reports false if the inbox is full.
func (b *inbox[T]) push(item T, hash uint32) bool {
	pos := b.tail.Load()
	var c *inboxCell[T]
	for {
		c = &b.cells[pos&(inboxSize-1)]
		seq := c.seq.Load()
		switch {
		case seq == pos:
			if b.tail.CompareAndSwap(pos, pos+1) {
				c.hash, c.item = hash, item
				c.seq.Store(pos + 1)
				return true
			}
		case seq < pos:
			return false // the cell still holds the item of pos−inboxSize: full
		}
		pos = b.tail.Load()
	}
}

// drainInboxLocked adds every item that Add left in the inbox, in order; after ShutDown it
// drops them. The queue's lock must be held.
func (q *Queue[T]) drainInboxLocked() {
	b := &q.in
	tail := b.tail.Load()
	for b.head != tail {
		c := &b.cells[b.head&(inboxSize-1)]
		for spins := 0; c.seq.Load() != b.head+1; spins++ {
			// Claimed, not yet published: the producer is a few instructions from publishing.
			if spins > 16 {
				runtime.Gosched()
			}
		}
		item, hash := c.item, c.hash
		var zero T
		c.item = zero // drop the reference for the garbage collector
		c.seq.Store(b.head + inboxSize)
		b.head++
		if !q.shuttingDown {
			q.addLocked(q.slotLocked(item, hash), 0)
		}
		// Only now, with the item dirty: see empty.
		b.headCopy.Store(b.head)
	}
}

// empty reports whether every Add that claimed a position before the call has been moved into
// the queue. It needs no lock. Done takes its lock-free path only when the inbox is empty: an
// Add of the item that is still in the inbox must make it dirty before Done decides, or Done
// would forget the item and the Add queue it afresh, ahead of items added after it but before
// Done. An Add that claims after empty has looked runs concurrently with Done and may take
// effect after it.
func (b *inbox[T]) empty() bool {
	tail := b.tail.Load()
	return b.headCopy.Load() == tail
}
