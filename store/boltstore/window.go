package boltstore

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// event is one committed write, as watchers see it. Events are immutable once appended.
type event struct {
	rev     uint64
	kind    *kindIndex
	typ     store.EventType // Added, Modified or Deleted
	obj     meta.Object     // the new state; for Deleted the last state with rev as resourceVersion
	prev    meta.Object     // the state before (nil for Added)
	prevRev uint64          // the revision of prev's record (0 for Added)
	at      int64           // commit time, Unix nanoseconds of the store's clock
}

// window is the history after the compacted revision: exactly one event per revision, in
// order. It serves watch replay, live fan-out and consistent continue tokens, and tells the
// compactor which records a compaction supersedes. It is guarded by Store.mu.
type window struct {
	events []event // events[i].rev == compacted+1+i
	// compacted is the newest revision whose history is gone.
	compacted uint64
}

// last returns the newest revision in the window (compacted when it is empty).
func (w *window) last() uint64 { return w.compacted + uint64(len(w.events)) }

// append adds the event of revision w.last()+1.
func (w *window) append(e event) {
	if e.rev != w.last()+1 {
		panic("boltstore: window: revisions must be dense")
	}
	w.events = append(w.events, e)
}

// from returns the events from revision rev on, sharing the window's memory (read them under
// the lock, or copy them out). rev must be greater than compacted.
func (w *window) from(rev uint64) []event {
	if rev <= w.compacted {
		return nil
	}
	i := rev - w.compacted - 1
	if i >= uint64(len(w.events)) {
		return nil
	}
	return w.events[i:]
}

// through returns the events up to and including revision rev.
func (w *window) through(rev uint64) []event {
	if rev <= w.compacted {
		return nil
	}
	n := min(rev-w.compacted, uint64(len(w.events)))
	return w.events[:n]
}

// dropThrough forgets the events up to and including rev and makes rev the compacted
// revision. The events kept move to the front of the backing array, which later appends
// reuse: a window that stays about CompactMaxRevisions long allocates nothing. (Nobody keeps
// a slice of the window past Store.mu, so moving events is safe.) The array is reallocated
// when most of it is unused.
func (w *window) dropThrough(rev uint64) {
	n := rev - w.compacted
	if n == 0 {
		return
	}
	kept := copy(w.events, w.events[n:])
	clear(w.events[kept:]) // release the objects of the dropped events
	w.events = w.events[:kept]
	if cap(w.events) > 1024 && len(w.events) < cap(w.events)/4 {
		w.events = append(make([]event, 0, 2*len(w.events)+64), w.events...)
	}
	w.compacted = rev
}

// stateAt returns, for every object of kind ki that changed after revision rev, its state at
// rev (nil when it did not exist then). rev must not be older than compacted.
func (w *window) stateAt(ki *kindIndex, rev uint64) map[objKey]meta.Object {
	var out map[objKey]meta.Object
	for _, e := range w.from(rev + 1) {
		if e.kind != ki {
			continue
		}
		m := e.obj.GetObjectMeta()
		k := objKey{m.Namespace, m.Name}
		if out == nil {
			out = map[objKey]meta.Object{}
		}
		if _, seen := out[k]; !seen {
			out[k] = e.prev // nil for Added: absent at rev
		}
	}
	return out
}
