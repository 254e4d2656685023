package workqueue

import (
	"hash/maphash"
	"sync/atomic"
)

// table holds the entries of the items a queue tracks, in a slab indexed by slot, and finds an
// item's slot through an open-addressing hash index.
//
// Why not a Go map: a work queue's key set churns in FIFO order — new keys are inserted while
// the oldest are deleted — which is the worst case for the tombstones of Go's swiss tables: with
// 100,000 live keys an insert+delete cycle costs ~500 ns there, most of it probing past deleted
// slots to prove a key absent. This index uses linear probing with backward-shift deletion, so
// it never has tombstones and the same cycle costs ~75 ns. Looking up an absent item also yields
// the place to insert it, so Add hashes and probes once.
//
// With a large backlog the index outgrows the CPU caches, and the first bucket a search reads is
// a cache miss. So that the miss is not taken while the queue's lock is held (stalling every
// other worker), callers compute the hash and touch that bucket before locking: the seed never
// changes, the bucket array is published atomically and its words are read and written
// atomically (plain moves on amd64 and arm64 for loads), so this early read is safe while
// another goroutine holds the lock and modifies the table. All other access is under the lock.
type table[T comparable] struct {
	n       int // occupied buckets = live entries
	entries []entry[T]
	free    []uint32 // slots of entries that can be reused
	// buckets is replaced on resize; it holds a power-of-two number of buckets, at most half
	// of them full.
	buckets atomic.Pointer[buckets]
	seed    maphash.Seed
	// published is entries extended to its capacity, re-published whenever append moves it, so
	// that touchEntry can read an entry's hash without the lock (a stale array is still valid
	// memory to read).
	published atomic.Pointer[[]entry[T]]
}

// buckets is the index array. Each word is a bucket: 0 means empty; otherwise the high half is
// the low 32 bits of the item's hash (to skip most non-matching items without reading their
// entry, and to find the home position again when moving buckets) and the low half is slot+1.
type buckets struct {
	b []atomic.Uint64
}

func makeBucket(hash, slot uint32) uint64 { return uint64(hash)<<32 | uint64(slot+1) }
func bucketHash(b uint64) uint32          { return uint32(b >> 32) }
func bucketSlot(b uint64) uint32          { return uint32(b) - 1 }

// entry is what the queue knows about one item; see the invariant on Queue.
type entry[T comparable] struct {
	item       T
	seq        uint64        // seq of its place in the ready order, while queued
	prio       int           // priority of its next (or current) place in the ready order
	hash       atomic.Uint32 // the item's hash; atomic because touchEntry reads it without the lock
	heapIdx    int32         // index in q.prio, or -1
	waitIdx    int32         // index in q.waiting, or -1
	dirty      bool
	processing bool
}

const minBuckets = 16

func (t *table[T]) init() {
	t.seed = maphash.MakeSeed()
	t.buckets.Store(&buckets{b: make([]atomic.Uint64, minBuckets)})
}

// hash returns item's hash. It needs no lock.
func (t *table[T]) hash(item T) uint32 {
	return uint32(maphash.Comparable(t.seed, item))
}

// touch reads the bucket where a search for hash starts, to bring it into the cache before the
// caller takes the lock. It needs no lock; the value read is meaningless and discarded.
func (t *table[T]) touch(hash uint32) {
	bs := t.buckets.Load()
	bs.b[int(hash)&(len(bs.b)-1)].Load()
}

// touchEntry reads the entry at slot to bring it into the cache. It needs no lock; the value read
// is meaningless and discarded.
func (t *table[T]) touchEntry(slot uint32) {
	if p := t.published.Load(); p != nil && int(slot) < len(*p) {
		(*p)[slot].hash.Load()
	}
}

// find returns the bucket position of item (whose hash is given) and true, or the empty
// position where it would be inserted and false.
func (t *table[T]) find(item T, hash uint32) (pos int, found bool) {
	bs := t.buckets.Load().b
	mask := len(bs) - 1
	for i := int(hash) & mask; ; i = (i + 1) & mask {
		b := bs[i].Load()
		if b == 0 {
			return i, false
		}
		if bucketHash(b) == hash && t.entries[bucketSlot(b)].item == item {
			return i, true
		}
	}
}

// get returns the slot of item's entry, if it has one.
func (t *table[T]) get(item T, hash uint32) (slot uint32, ok bool) {
	pos, found := t.find(item, hash)
	if !found {
		return 0, false
	}
	return bucketSlot(t.buckets.Load().b[pos].Load()), true
}

// getOrAdd returns the slot of item's entry, creating a fresh entry if there is none.
func (t *table[T]) getOrAdd(item T, hash uint32) (slot uint32, added bool) {
	pos, found := t.find(item, hash)
	bs := t.buckets.Load().b
	if found {
		return bucketSlot(bs[pos].Load()), false
	}
	if n := len(t.free); n > 0 {
		slot = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		slot = uint32(len(t.entries))
		before := cap(t.entries)
		t.entries = append(t.entries, entry[T]{})
		if cap(t.entries) != before {
			all := t.entries[:cap(t.entries)]
			t.published.Store(&all)
		}
	}
	e := &t.entries[slot]
	e.item = item
	e.hash.Store(hash)
	e.seq, e.prio, e.heapIdx, e.waitIdx = 0, 0, -1, -1
	e.dirty, e.processing = false, false
	bs[pos].Store(makeBucket(hash, slot))
	t.n++
	if 2*t.n > len(bs) {
		t.resize(2 * len(bs))
	}
	return slot, true
}

// remove forgets the entry at slot and makes the slot reusable.
func (t *table[T]) remove(slot uint32) {
	e := &t.entries[slot]
	pos, found := t.find(e.item, e.hash.Load())
	bs := t.buckets.Load().b
	if !found || bucketSlot(bs[pos].Load()) != slot {
		panic("workqueue: table out of sync") // an invariant of this file is broken
	}
	t.deleteAt(bs, pos)
	var zero T
	e.item = zero // drop the item for the garbage collector
	e.hash.Store(0)
	t.free = append(t.free, slot)
	if len(bs) > 1024 && 16*t.n < len(bs) {
		t.resize(len(bs) / 4)
	}
}

// deleteAt empties the bucket at i, then shifts back later buckets of the same probe run so
// that every item stays reachable from its home position without tombstones.
func (t *table[T]) deleteAt(bs []atomic.Uint64, i int) {
	mask := len(bs) - 1
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		b := bs[j].Load()
		if b == 0 {
			break
		}
		home := int(bucketHash(b)) & mask
		// The bucket at j may fill the hole at i unless its home lies cyclically in (i, j].
		if (j-home)&mask >= (j-i)&mask {
			bs[i].Store(b)
			i = j
		}
	}
	bs[i].Store(0)
	t.n--
}

func (t *table[T]) resize(size int) {
	old := t.buckets.Load().b
	bs := make([]atomic.Uint64, size)
	mask := size - 1
	for k := range old {
		b := old[k].Load()
		if b == 0 {
			continue
		}
		i := int(bucketHash(b)) & mask
		for bs[i].Load() != 0 {
			i = (i + 1) & mask
		}
		bs[i].Store(b)
	}
	t.buckets.Store(&buckets{b: bs})
}
