package soak

import (
	"container/heap"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// Sequencer merges the event streams of several watches (one per kind) into one stream in
// store revision order, so that the checkers see the plane as it was at each revision:
// a Job's status after the pod events it counts, a ReplicaSet after the Deployment change
// that scaled it.
//
// The store has a single revision counter for every kind, and each watch delivers its own
// kind in revision order. An event is released once every stream has delivered something
// at or past its revision (the stream's watermark), or once it has waited MaxDelay: an
// idle stream must not hold the others up for long. A Sequencer is not safe for concurrent
// use.
type Sequencer struct {
	// MaxDelay is how long an event waits for idle streams before it is released anyway.
	MaxDelay time.Duration

	marks   []uint64 // per stream: the greatest revision delivered
	pending eventHeap
	seq     uint64 // arrival order, to keep equal revisions stable
}

// NewSequencer returns a Sequencer for streams streams.
func NewSequencer(streams int, maxDelay time.Duration) *Sequencer {
	return &Sequencer{MaxDelay: maxDelay, marks: make([]uint64, streams)}
}

// Mark tells the Sequencer that stream has delivered everything up to rev (a list's
// revision, a bookmark).
func (s *Sequencer) Mark(stream int, rev uint64) {
	s.marks[stream] = max(s.marks[stream], rev)
}

// Push adds an event of stream, received at now.
func (s *Sequencer) Push(stream int, ev Event, now time.Time) {
	s.Mark(stream, ev.Revision)
	s.seq++
	heap.Push(&s.pending, pendingEvent{ev: ev, at: now, seq: s.seq})
}

// Pop returns the next event that may be released at now, in revision order, and false
// when none may.
func (s *Sequencer) Pop(now time.Time) (Event, bool) {
	if len(s.pending) == 0 {
		return Event{}, false
	}
	next := s.pending[0]
	if next.ev.Revision > s.watermark() && now.Sub(next.at) < s.MaxDelay {
		return Event{}, false
	}
	heap.Pop(&s.pending)
	return next.ev, true
}

// Len returns the number of events waiting.
func (s *Sequencer) Len() int { return len(s.pending) }

// watermark is the revision every stream has delivered up to.
func (s *Sequencer) watermark() uint64 {
	w := s.marks[0]
	for _, m := range s.marks[1:] {
		w = min(w, m)
	}
	return w
}

// Event is one change the checkers observe: a watch event, or an object of the list a watch
// starts from (Sync).
type Event struct {
	// Type is the watch event type; Sync marks the objects of an initial list.
	Type store.EventType
	// Object is the object as of the change. Read-only.
	Object meta.Object
	// Revision is the store revision of the change.
	Revision uint64
}

// Sync is the type of the Events of an initial list: the object's state, not a change.
const Sync store.EventType = "SYNC"

type pendingEvent struct {
	ev  Event
	at  time.Time
	seq uint64
}

type eventHeap []pendingEvent

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if h[i].ev.Revision != h[j].ev.Revision {
		return h[i].ev.Revision < h[j].ev.Revision
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(pendingEvent)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
