package workqueue

import (
	"hash/maphash"
	"math/bits"
	"sync/atomic"
)

// table holds the entries of the items a queue tracks, in a slab indexed by slot, and finds an
// item's slot through an open-addressing hash index. The queue's lock guards it, except for the
// lock-free reads described below.
//
// Why not a Go map: a work queue's key set churns in FIFO order — new keys are inserted while
// the oldest are deleted — which is the worst case for the tombstones of Go's swiss tables: with
// 100,000 live keys an insert+delete cycle costs ~500 ns there, most of it probing past deleted
// slots to prove a key absent. This index uses linear probing with backward-shift deletion, so
// it never has tombstones and the same cycle costs ~75 ns. Looking up an absent item also yields
// the place to insert it, so Add hashes and probes once.
//
// Two things are done without the queue's lock:
//
//   - Add and Done find an item's entry and read and change its state without the lock in the
//     common cases (pin, dirtyUnlocked, doneUnlocked; see Queue).
//   - Otherwise callers compute the item's hash and search (or just read) its index bucket
//     before locking, so that the cache miss on a large index is not taken while the lock is
//     held, stalling every other worker.
//
// For both, the seed never changes, the bucket array is published atomically and its words are
// read and written atomically, and entries never move: the slab is a series of chunks, each
// twice as large as the one before (like the arrays a growing slice goes through), that are
// allocated when needed and never copied or freed. A search that races with changes to the
// index may miss its item (a bucket shifted backwards past it, or a resize), in which case the
// caller takes the locked path; it never acts on a wrong entry, because it checks the entry's
// item after pinning it (see entry.state).
type table[T comparable] struct {
	// Written by init only, or once per chunk, and read without the lock: kept apart from the
	// fields below, which change on every insert and removal.
	seed maphash.Seed
	// buckets is replaced on resize; it holds a power-of-two number of buckets, at most half
	// of them full.
	buckets atomic.Pointer[buckets]
	// chunks[k] holds slots [minChunk×(2^k−1), minChunk×(2^(k+1)−1)). A chunk is allocated,
	// with the lock held, before any of its slots is used, and is then never written as a
	// whole again. A reader without the lock gets a slot number only from an index bucket or
	// the ready order, both written after the chunk was, so reading chunks[k] is safe.
	chunks [32][]entry[T]

	_ [64]byte

	// handed is a small direct-mapped cache, indexed by the low bits of an item's hash, of the
	// entries Get handed out most recently (the same word as an index bucket: hash and slot+1).
	// Done looks there before it searches the index. Only a hint, written by Get with the lock
	// held and read by Done without it: Done pins the entry it names and checks its item, as a
	// search of the index does. It pays off because a worker calls Done soon after Get, so the
	// word is in its CPU's cache, while the index bucket of an item added long ago (behind a
	// long backlog) is not: that cache miss was the largest single cost of a Done.
	handed [handedSize]atomic.Uint64

	// spare is a zeroed bucket array for the next growth, allocated and touched without the
	// lock (see prepareSpare), or nil. spareWant is its size while one is wanted, −1 while one
	// goroutine prepares it, and 0 otherwise; the lock holder asks for one (0 → size) when a
	// large index is getting full and there is none.
	spare     atomic.Pointer[buckets]
	spareWant atomic.Int64

	// released is the list of entries that Done released without the lock (statePending),
	// linked through entry.next, for the next Get to collect: slot+1 of the last one, or 0.
	// Done pushes with a compare-and-swap; the collector, with the lock held, takes the whole
	// list with a swap, so no entry is ever taken off it by a concurrent pop (no ABA).
	released atomic.Uint32

	_ [60]byte

	n     int      // occupied buckets = live entries
	slots uint32   // slots handed out so far: [0, slots) are live or free
	free  []uint32 // slots that were released and can be reused
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

// entry is what the queue knows about one item; see the invariant on Queue. Every field but
// state and next is guarded by the queue's lock; item is also read without it, under the pin
// protocol described on state, and next is written by doneUnlocked before it publishes the
// entry on table.released.
type entry[T comparable] struct {
	// state holds the flags below (the item's state: see Queue) and, from bit pinShift up, a
	// count of pins. The flags change with the queue's lock held, except in doneUnlocked, and
	// every write to state is an atomic read-modify-write, never a store: Queue explains why
	// the flags need that, and the pin count relies on it.
	//
	// Pins make it safe to read item without the lock (see pin). A reader pins the entry
	// (adds pinOne), reads item only if the pin's result shows a flag, and unpins. With
	// the lock held, item is written only after the state has been seen zero — no flag, no
	// pin — and before any flag is set again: when a fresh or reused slot gets its item
	// (newSlot), and when a released entry's item is cleared (remove). A reader that sees a
	// flag is therefore synchronized after the item's write, because the flag was set by a
	// read-modify-write that came after the write and that the reader's pin observes; and a
	// writer is synchronized after every earlier reader, because it observed their unpins. A
	// pin lasts a few instructions; a released slot that is still pinned is simply not reused
	// yet, and keeps its item until it is.
	state   atomic.Uint32
	hash    uint32 // the item's hash
	next    uint32 // while statePending: the next entry on table.released (slot+1), or 0
	item    T
	seq     uint64 // seq of its place in the ready order, while queued
	prio    int    // priority of its next (or current) place in the ready order
	heapIdx int32  // index in q.prio, or -1
	waitIdx int32  // index in q.waiting, or -1
}

// Flags of entry.state.
const (
	stateDirty      uint32 = 1 << iota // the item needs processing
	stateProcessing                    // a worker holds the item
	stateNegative                      // dirty with a negative priority: a plain Add raises it
	statePending                       // on table.released, for the next Get to collect

	pinShift        = 4
	pinOne   uint32 = 1 << pinShift // one pin; 2^28 concurrent pins are more than enough
	unpin           = ^(pinOne - 1) // adding it removes one pin
	flagMask        = pinOne - 1
)

// flags returns e's state flags. With the queue's lock held only pins can change under the
// caller, except that doneUnlocked may stop an entry that is processing and neither dirty nor
// pending (see setFlags and casFlags).
func (e *entry[T]) flags() uint32 { return e.state.Load() & flagMask }

// setFlags changes e's flags from old, which the caller read with the queue's lock held, to
// new, by adding new−old: adding it to pins<<pinShift + old gives pins<<pinShift + new whatever
// the pins are. It is only for flags that cannot change under the lock holder: those of an
// entry that is not processing, or is dirty or pending. Otherwise use casFlags.
func (e *entry[T]) setFlags(old, new uint32) { e.state.Add(new - old) }

// casFlags changes e's flags from old to new, unless they are no longer old, and reports
// whether it did. The queue's lock must be held.
func (e *entry[T]) casFlags(old, new uint32) bool {
	for {
		st := e.state.Load()
		if st&flagMask != old {
			return false
		}
		if e.state.CompareAndSwap(st, st-old+new) {
			return true
		}
	}
}

func (t *table[T]) init() {
	t.seed = maphash.MakeSeed()
	t.buckets.Store(&buckets{b: make([]atomic.Uint64, minBuckets)})
}

const (
	handedSize   = 128 // words in table.handed; a power of two
	minBuckets   = 16
	minChunk     = 16 // entries in chunks[0]; a power of two
	log2MinChunk = 4
)

// hash returns item's hash. It needs no lock.
func (t *table[T]) hash(item T) uint32 {
	return uint32(maphash.Comparable(t.seed, item))
}

// chunkOf returns the chunk of slot and its index there.
func chunkOf(slot uint32) (k, i int) {
	x := uint(slot) + minChunk
	k = bits.Len(x) - 1 - log2MinChunk
	return k, int(x - minChunk<<k)
}

// at returns the entry at slot. It needs no lock for a slot read from the index, or read from
// the ready order with the lock held (see chunks).
func (t *table[T]) at(slot uint32) *entry[T] {
	k, i := chunkOf(slot)
	return &t.chunks[k&(len(t.chunks)-1)][i] // k < 29; the mask only spares a bounds check
}

// touch reads the bucket where a search for hash starts, to bring it into the cache before the
// caller takes the lock. It needs no lock; the value read is meaningless and discarded.
func (t *table[T]) touch(hash uint32) {
	bs := t.buckets.Load()
	bs.b[int(hash)&(len(bs.b)-1)].Load()
}

// touchEntry reads the entry at slot to bring it into the cache. It needs no lock; the value
// read is meaningless and discarded.
func (t *table[T]) touchEntry(slot uint32) {
	t.at(slot).state.Load()
}

// setHanded records that the entry at slot, whose item has the given hash, was just handed out.
// The queue's lock must be held.
func (t *table[T]) setHanded(hash, slot uint32) {
	w := &t.handed[hash&(handedSize-1)]
	if b := makeBucket(hash, slot); w.Load() != b {
		w.Store(b)
	}
}

// pinSlot pins the entry at slot, which the caller read from an index bucket or from handed,
// if it has a flag set and holds item. It returns the entry and the state the pin read, and
// the caller must unpin it; or nil.
func (t *table[T]) pinSlot(item T, slot uint32) (e *entry[T], st uint32) {
	e = t.at(slot)
	st = e.state.Add(pinOne)
	if st&flagMask != 0 && e.item == item {
		return e, st
	}
	e.state.Add(unpin)
	return nil, 0
}

// pin finds item's entry without the lock and pins it, if the entry has a flag set (see
// entry.state). It returns the entry, its slot and the state the pin read, and the caller must
// unpin it; or nil when it finds no such entry, which may also mean that the search raced with
// a change to the index: the caller then takes the locked path, which decides.
func (t *table[T]) pin(item T, hash uint32) (e *entry[T], slot, st uint32) {
	bs := t.buckets.Load().b
	mask := len(bs) - 1
	i := int(hash) & mask
	for range bs { // a search racing with backward shifts could otherwise go round for long
		b := bs[i].Load()
		if b == 0 {
			return nil, 0, 0
		}
		if bucketHash(b) == hash {
			slot = bucketSlot(b)
			if e, st = t.pinSlot(item, slot); e != nil {
				return e, slot, st
			}
		}
		i = (i + 1) & mask
	}
	return nil, 0, 0
}

// dirtyUnlocked reports whether item has an entry that is dirty with a priority of at least
// zero, so that adding item with priority 0 has nothing to do, and whether it found an entry of
// item with a flag set at all. It takes no lock. True is read from the state by an atomic
// read-modify-write (the pin), which is what Queue's memory-ordering argument needs.
func (t *table[T]) dirtyUnlocked(item T, hash uint32) (dirty, tracked bool) {
	e, _, st := t.pin(item, hash)
	if e == nil {
		return false, false
	}
	e.state.Add(unpin)
	return st&(stateDirty|stateNegative) == stateDirty, true
}

// doneUnlocked is Done without the lock for an item that is processing and was not added
// again meanwhile, by far the common case: it clears stateProcessing and, since nothing else
// refers to the entry then, puts it on the released list for the next Get to forget. It
// reports false when the locked path must decide: the item must be queued again, or the
// search found nothing.
func (t *table[T]) doneUnlocked(item T, hash uint32) bool {
	// An entry holds the one item it was made for for as long as it has a flag (see
	// entry.state), and an item has at most one entry, so a pinned entry that holds item is
	// item's entry however it was found.
	var e *entry[T]
	var slot, st uint32
	if b := t.handed[hash&(handedSize-1)].Load(); b != 0 && bucketHash(b) == hash {
		slot = bucketSlot(b)
		e, st = t.pinSlot(item, slot)
	}
	if e == nil {
		if e, slot, st = t.pin(item, hash); e == nil {
			return false
		}
	}
	for {
		if st&(stateProcessing|stateDirty|statePending) != stateProcessing {
			e.state.Add(unpin)
			return st&stateProcessing == 0 // not processing: Done has nothing to do
		}
		// Stop processing, mark released and unpin, in one read-modify-write.
		if e.state.CompareAndSwap(st, st-stateProcessing+statePending-pinOne) {
			break
		}
		st = e.state.Load()
	}
	for {
		head := t.released.Load()
		e.next = head
		if t.released.CompareAndSwap(head, slot+1) {
			break
		}
	}
	// The Get that collects the entry removes it from the index, with the lock held: bring its
	// bucket into the cache now, so that the miss is not taken under the lock.
	t.touch(hash)
	return true
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
		if bucketHash(b) == hash && t.at(bucketSlot(b)).item == item {
			return i, true
		}
	}
}

// get returns the slot of item's entry and the position of its bucket, if it has one.
func (t *table[T]) get(item T, hash uint32) (slot uint32, pos int, ok bool) {
	pos, found := t.find(item, hash)
	if !found {
		return 0, 0, false
	}
	return bucketSlot(t.buckets.Load().b[pos].Load()), pos, true
}

// getOrAdd returns the slot of item's entry, creating a fresh entry if there is none.
func (t *table[T]) getOrAdd(item T, hash uint32) (slot uint32, added bool) {
	pos, found := t.find(item, hash)
	bs := t.buckets.Load().b
	if found {
		return bucketSlot(bs[pos].Load()), false
	}
	slot = t.newSlot()
	e := t.at(slot)
	e.item = item
	e.hash = hash
	e.seq, e.prio, e.heapIdx, e.waitIdx = 0, 0, -1, -1
	bs[pos].Store(makeBucket(hash, slot))
	t.n++
	if 2*t.n > len(bs) {
		t.resize(2 * len(bs))
	} else if len(bs) >= spareMin && 16*t.n > 7*len(bs) && t.spareWant.Load() == 0 && t.spare.Load() == nil {
		// In this order: prepareSpare stores spare before it sets spareWant back to 0.
		t.spareWant.Store(int64(2 * len(bs)))
	}
	return slot, true
}

// newSlot returns a slot for a new entry: a released one if the last released slot is no longer
// pinned, else a fresh one.
func (t *table[T]) newSlot() uint32 {
	if n := len(t.free); n > 0 {
		slot := t.free[n-1]
		if t.at(slot).state.Load() == 0 { // no flags, no pins: see entry.state
			t.free = t.free[:n-1]
			return slot
		}
	}
	slot := t.slots
	if k, _ := chunkOf(slot); t.chunks[k] == nil {
		t.chunks[k] = make([]entry[T], minChunk<<k)
	}
	t.slots++
	return slot
}

// remove forgets the entry at slot, which must have no flags, and makes the slot reusable.
func (t *table[T]) remove(slot uint32) {
	e := t.at(slot)
	pos, _ := t.find(e.item, e.hash)
	t.removeAt(pos, slot, e)
}

// removeAt is remove, for the entry e at slot whose bucket position the caller knows.
func (t *table[T]) removeAt(pos int, slot uint32, e *entry[T]) {
	bs := t.buckets.Load().b
	if bucketSlot(bs[pos].Load()) != slot {
		panic("workqueue: table out of sync") // an invariant of this file is broken
	}
	t.deleteAt(bs, pos)
	if e.state.Load() == 0 {
		var zero T
		e.item = zero // drop the item for the garbage collector (if pinned, reuse replaces it)
	}
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

// spareMin is the smallest index for whose growth a spare array is prepared: below it a fresh
// array costs little.
const spareMin = 1 << 14

// prepareSpare allocates the bucket array the next growth of the index will need, if one is
// wanted, and writes a word in each of its pages. Called without the lock: with a large index,
// a fresh array's page faults (expensive in a virtual machine, where each first touch of a page
// may exit to the host) otherwise happen inside resize with the lock held, stalling every
// other worker for milliseconds.
func (t *table[T]) prepareSpare() {
	size := t.spareWant.Load()
	if size <= 0 || !t.spareWant.CompareAndSwap(size, -1) {
		return // none wanted, or another goroutine prepares it
	}
	bs := make([]atomic.Uint64, size)
	for i := 0; i < len(bs); i += 4096 / 8 {
		bs[i].Store(0)
	}
	t.spare.Store(&buckets{b: bs})
	t.spareWant.Store(0)
}

func (t *table[T]) resize(size int) {
	old := t.buckets.Load().b
	var bs []atomic.Uint64
	if sp := t.spare.Swap(nil); sp != nil && len(sp.b) == size {
		bs = sp.b // zeroed: prepareSpare only wrote zeros
	} else {
		bs = make([]atomic.Uint64, size)
	}
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
