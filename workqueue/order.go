package workqueue

import "math"

// The ready order decides which queued item Get hands out next. Items of priority 0, the
// common case, go through a FIFO ring in O(1); items of any other priority go through a heap.
// Both are ordered by one key, the rank, so Get only compares the two heads:
//
//	rank = seq − priority × aging
//
// where seq counts additions to the ready order. An item of priority p therefore stands where an
// item of priority 0 added p×aging additions earlier would stand. That is ageing: however many
// high-priority items keep arriving, those added more than (their priority − p)×aging additions
// after a low-priority item rank behind it, so it is handed out after a bounded number of them.
// Equal ranks go to the higher priority, then to the lower seq, so equal priorities are FIFO.
//
// A priority raise (AddWithOpts of a queued item with a higher priority) moves the item from the
// ring to the heap, or up the heap. The ring cannot delete from its middle, so the old ring
// element stays behind, stale: an element is live only while its entry is still queued, still
// outside the heap, and still carries the element's seq (seqs are never reused).

// fifoRef is one ring element: the entry's slot and the seq it was queued with.
type fifoRef struct {
	seq  uint64
	slot uint32
}

// prioRef is one heap element of a ready item with a non-zero priority.
type prioRef struct {
	rank int64
	prio int
	seq  uint64
	slot uint32
}

// before orders by rank, then higher priority, then seq. Preferring the higher priority on equal
// rank makes "placed as if added p×aging additions earlier" exact: the item goes ahead of the
// priority-0 item actually added then.
func (a *prioRef) before(b *prioRef) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	if a.prio != b.prio {
		return a.prio > b.prio
	}
	return a.seq < b.seq
}

// rankOf computes seq − priority × aging, saturating the product so that absurd priorities
// cannot overflow.
func rankOf(seq uint64, priority int, aging int64) int64 {
	limit := int64(math.MaxInt64/4) / aging
	p := max(min(int64(priority), limit), -limit)
	return int64(seq) - p*aging
}

// pushReadyLocked puts the entry at slot, which has just become queued (dirty and not
// processing), into the ready order with a fresh seq.
func (q *Queue[T]) pushReadyLocked(slot uint32) {
	e := q.tab.at(slot)
	q.seq++
	e.seq = q.seq
	q.queued++
	if e.prio == 0 {
		q.fifo.push(fifoRef{seq: e.seq, slot: slot})
		return
	}
	q.prio.push(prioRef{rank: rankOf(e.seq, e.prio, q.aging), prio: e.prio, seq: e.seq, slot: slot})
}

// raiseLocked gives the queued entry at slot the higher priority p, keeping its seq so that the
// time it has already waited still counts.
func (q *Queue[T]) raiseLocked(slot uint32, p int) {
	e := q.tab.at(slot)
	e.setPrioLocked(p)
	rank := rankOf(e.seq, p, q.aging)
	if e.heapIdx >= 0 {
		r := &q.prio.s[e.heapIdx]
		r.rank, r.prio = rank, p
		q.prio.up(int(e.heapIdx))
		return
	}
	// Leave the ring element behind; it is stale from now on because heapIdx >= 0.
	q.prio.push(prioRef{rank: rank, prio: p, seq: e.seq, slot: slot})
}

// popReadyLocked removes and returns the slot of the next item to hand out. q.queued must be
// positive.
func (q *Queue[T]) popReadyLocked() uint32 {
	q.queued--
	for q.fifo.len() > 0 {
		r := q.fifo.peek()
		e := q.tab.at(r.slot)
		if e.seq == r.seq && e.heapIdx < 0 && e.flags()&(stateDirty|stateProcessing) == stateDirty {
			break
		}
		q.fifo.pop() // stale: the item was raised into the heap
	}
	if q.prio.len() == 0 {
		return q.fifo.pop().slot
	}
	if q.fifo.len() > 0 {
		r := q.fifo.peek()
		head := prioRef{rank: int64(r.seq), seq: r.seq}
		if head.before(&q.prio.s[0]) {
			return q.fifo.pop().slot
		}
	}
	return q.prio.pop().slot
}

// ring is a growable FIFO over a power-of-two circular buffer. Unlike a re-sliced slice it
// reuses its memory, so a queue in steady state does not allocate.
type ring[E any] struct {
	buf  []E
	head int // index of the first element
	n    int // number of elements
}

const minRing = 16

func (r *ring[E]) len() int { return r.n }

func (r *ring[E]) push(e E) {
	if r.n == len(r.buf) {
		r.resize(max(minRing, 2*len(r.buf)))
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = e
	r.n++
}

func (r *ring[E]) peek() E { return r.buf[r.head] }

// at returns the i-th element from the head; i must be below len.
func (r *ring[E]) at(i int) E { return r.buf[(r.head+i)&(len(r.buf)-1)] }

func (r *ring[E]) pop() E {
	var zero E
	e := r.buf[r.head]
	r.buf[r.head] = zero // drop references for the garbage collector
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	// Give memory back after a burst, with hysteresis so that a queue hovering around one size
	// does not reallocate.
	if len(r.buf) > 1024 && r.n < len(r.buf)/8 {
		r.resize(len(r.buf) / 4)
	}
	return e
}

func (r *ring[E]) resize(size int) {
	buf := make([]E, size)
	if r.n > 0 {
		if r.head+r.n <= len(r.buf) {
			copy(buf, r.buf[r.head:r.head+r.n])
		} else {
			k := copy(buf, r.buf[r.head:])
			copy(buf[k:], r.buf[:r.n-k])
		}
	}
	r.buf, r.head = buf, 0
}

// slotHeap is a binary min-heap of elements that refer to entry slots. Whenever an element
// moves, setPos records its new index in the entry, so an element can be found, moved or removed
// in O(log n) without searching.
type slotHeap[E any] struct {
	s      []E
	before func(a, b *E) bool
	slotOf func(e *E) uint32
	setPos func(slot uint32, pos int32) // pos -1: no longer in the heap
}

func (h *slotHeap[E]) len() int { return len(h.s) }

func (h *slotHeap[E]) push(e E) {
	h.s = append(h.s, e)
	i := len(h.s) - 1
	h.setPos(h.slotOf(&h.s[i]), int32(i))
	h.up(i)
}

func (h *slotHeap[E]) pop() E {
	return h.remove(0)
}

// remove takes out the element at index i.
func (h *slotHeap[E]) remove(i int) E {
	e := h.s[i]
	slot := h.slotOf(&h.s[i]) // not slotOf(&e): e would escape through the func value
	last := len(h.s) - 1
	if i != last {
		h.swap(i, last)
	}
	var zero E
	h.s[last] = zero
	h.s = h.s[:last]
	h.setPos(slot, -1)
	if i < last {
		h.down(i)
		h.up(i)
	}
	return e
}

// up moves the element at i towards the root while it goes before its parent.
func (h *slotHeap[E]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.before(&h.s[i], &h.s[parent]) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

// down moves the element at i towards the leaves while a child goes before it.
func (h *slotHeap[E]) down(i int) {
	n := len(h.s)
	for {
		first := i
		if l := 2*i + 1; l < n && h.before(&h.s[l], &h.s[first]) {
			first = l
		}
		if r := 2*i + 2; r < n && h.before(&h.s[r], &h.s[first]) {
			first = r
		}
		if first == i {
			return
		}
		h.swap(i, first)
		i = first
	}
}

func (h *slotHeap[E]) swap(i, j int) {
	h.s[i], h.s[j] = h.s[j], h.s[i]
	h.setPos(h.slotOf(&h.s[i]), int32(i))
	h.setPos(h.slotOf(&h.s[j]), int32(j))
}
