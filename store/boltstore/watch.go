package boltstore

import (
	"context"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/internal/filter"
)

// watchBatch is how many window events a watcher copies out per read-lock acquisition.
const watchBatch = 256

// watcher is one running watch: a goroutine that walks the event window from its cursor,
// filters, and sends to its channel. It never holds Store.mu while sending, and writers never
// wait for it: a watcher that falls behind only lags in the window, and when compaction
// passes its cursor it ends with a Gone error.
type watcher struct {
	s         *Store
	ctx       context.Context
	info      *scheme.KindInfo
	ki        *kindIndex // nil until the kind has an index; set under Store.mu
	pred      filter.Predicate
	bookmarks bool
	out       chan store.Event
	stop      chan struct{}
	stopOnce  sync.Once

	next    uint64        // the next revision to examine
	initial []meta.Object // Added events to send first (a watch from 0)
}

var _ store.Watcher = (*watcher)(nil)

// ResultChan returns the event channel.
func (w *watcher) ResultChan() <-chan store.Event { return w.out }

// Stop ends the watch; the channel is closed soon after.
func (w *watcher) Stop() { w.stopOnce.Do(func() { close(w.stop) }) }

// Watch starts a watch; see store.Store. The events' objects are the store's own, shared by
// every watcher: never modify them.
func (s *Store) Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts store.WatchOptions) (store.Watcher, error) {
	if s.isClosed() {
		return nil, store.ErrClosed
	}
	info, err := s.kindInfo(gvk)
	if err != nil {
		return nil, err
	}
	pred, err := filter.New(opts.Namespace, opts.LabelSelector, opts.FieldSelector)
	if err != nil {
		return nil, err
	}
	w := &watcher{
		s: s, ctx: ctx, info: info, pred: pred, bookmarks: opts.AllowBookmarks,
		out:  make(chan store.Event, s.opts.WatchBufferSize),
		stop: make(chan struct{}),
	}
	s.mu.RLock()
	rev := s.rev.Load()
	w.ki = s.kinds[gvk]
	switch from := opts.ResourceVersion; {
	case from == 0:
		if w.ki != nil {
			w.ki.ascend(opts.Namespace, nil, func(it *item) bool {
				if pred.Matches(it.obj) {
					w.initial = append(w.initial, it.obj)
				}
				return true
			})
		}
		w.next = rev + 1
	case from < s.win.compacted:
		compacted := s.win.compacted
		s.mu.RUnlock()
		return nil, store.NewTooOldResourceVersion(from, compacted)
	case from > rev:
		s.mu.RUnlock()
		return nil, store.NewTooLargeResourceVersion(from, rev)
	default:
		w.next = from + 1
	}
	s.mu.RUnlock()

	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, store.ErrClosed
	}
	s.bgWG.Add(1)
	s.closeMu.RUnlock()
	s.watchMu.Lock()
	s.watchers[w] = struct{}{}
	s.watchMu.Unlock()
	go w.run(opts.ResourceVersion == 0)
	return w, nil
}

// run is the watcher's goroutine.
func (w *watcher) run(fromNow bool) {
	s := w.s
	defer s.bgWG.Done()
	defer close(w.out)
	defer func() {
		s.watchMu.Lock()
		delete(s.watchers, w)
		s.watchMu.Unlock()
	}()

	for i, o := range w.initial {
		if !w.send(store.Event{Type: store.Added, Object: o, Revision: mustRev(o)}) {
			return
		}
		w.initial[i] = nil
	}
	w.initial = nil
	lastSent := w.next - 1 // the newest revision the consumer knows about
	if fromNow && w.bookmarks {
		if !w.send(w.bookmark(lastSent)) {
			return
		}
	}

	if w.bookmarks {
		t := s.opts.Clock.NewTimer(s.opts.BookmarkInterval)
		defer t.Stop()
		w.loop(&lastSent, t.C(), t.Reset)
		return
	}
	w.loop(&lastSent, nil, nil)
}

// loop delivers window events until the watch ends. With bookmarks, a timer tick after a
// quiet interval sends a Bookmark for the revisions examined since the last event.
func (w *watcher) loop(lastSent *uint64, bookmarkC <-chan time.Time, resetTimer func(time.Duration) bool) {
	s := w.s
	buf := make([]event, watchBatch)
	active := false
	for {
		select {
		case <-w.stop:
			return
		case <-w.ctx.Done():
			return
		case <-s.closing:
			return
		default:
		}
		s.mu.RLock()
		if w.ki == nil {
			w.ki = s.kinds[w.info.GVK]
		}
		if w.next <= s.win.compacted {
			err := store.NewTooOldResourceVersion(w.next-1, s.win.compacted)
			s.mu.RUnlock()
			w.send(store.Event{Type: store.Error, Err: err})
			return
		}
		n := copy(buf, s.win.from(w.next))
		notify := s.notify
		s.mu.RUnlock()

		if n == 0 {
			select {
			case <-notify:
			case <-bookmarkC:
				if !active && w.next-1 > *lastSent {
					*lastSent = w.next - 1
					if !w.send(w.bookmark(*lastSent)) {
						return
					}
				}
				active = false
				resetTimer(s.opts.BookmarkInterval)
			case <-w.stop:
				return
			case <-w.ctx.Done():
				return
			case <-s.closing:
				return
			}
			continue
		}
		for i := range buf[:n] {
			e := &buf[i]
			if e.kind != w.ki || w.ki == nil {
				continue
			}
			if ev, ok := w.translate(e); ok {
				if !w.send(ev) {
					return
				}
				*lastSent = e.rev
				active = true
			}
		}
		clear(buf[:n])
		w.next += uint64(n)
	}
}

// translate turns a window event into what this watch reports, if anything: with a
// selector, an object that starts matching is Added and one that stops matching is Deleted
// (with its last matching state at the event's revision), as in Kubernetes' watch cache.
func (w *watcher) translate(e *event) (store.Event, bool) {
	switch e.typ {
	case store.Added, store.Deleted:
		if w.pred.Matches(e.obj) {
			return store.Event{Type: e.typ, Object: e.obj, Revision: e.rev}, true
		}
	case store.Modified:
		now, before := w.pred.Matches(e.obj), w.pred.Matches(e.prev)
		switch {
		case now && before:
			return store.Event{Type: store.Modified, Object: e.obj, Revision: e.rev}, true
		case now:
			return store.Event{Type: store.Added, Object: e.obj, Revision: e.rev}, true
		case before:
			gone := e.prev.DeepCopyObject()
			gone.SetResourceVersion(store.FormatResourceVersion(e.rev))
			return store.Event{Type: store.Deleted, Object: gone, Revision: e.rev}, true
		}
	}
	return store.Event{}, false
}

// bookmark returns a Bookmark event for rev.
func (w *watcher) bookmark(rev uint64) store.Event {
	o := w.info.New()
	o.SetResourceVersion(store.FormatResourceVersion(rev))
	return store.Event{Type: store.Bookmark, Object: o, Revision: rev}
}

// send delivers ev unless the watch ends first.
func (w *watcher) send(ev store.Event) bool {
	select {
	case w.out <- ev: // the common case: room in the buffer
		return true
	default:
	}
	select {
	case w.out <- ev:
		return true
	case <-w.stop:
	case <-w.ctx.Done():
	case <-w.s.closing:
	}
	return false
}

// mustRev returns the revision of a stored object.
func mustRev(obj meta.Object) uint64 {
	rev, err := store.ParseResourceVersion(obj.GetResourceVersion())
	if err != nil {
		panic("boltstore: stored object without a valid resourceVersion")
	}
	return rev
}
