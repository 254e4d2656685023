package client

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// Event is a store.Event with a typed object.
//
// Object is shared with every other watcher of the same change and with the store itself:
// never modify it; DeepCopyObject first.
type Event[T meta.Object] struct {
	// Type is the kind of change.
	Type store.EventType
	// Object is the object as of the change; for Bookmark an empty object carrying only
	// the resourceVersion; the zero T (nil) for Error. Read-only, see above.
	Object T
	// Revision is the store revision of the change (for Bookmark, the revision the watch
	// has seen up to; for Error, 0).
	Revision uint64
	// Err is set on Error events.
	Err error
}

// Watcher is a running typed watch, made by Typed.Watch. It relays the events of a
// store.Watcher on its own goroutine, which ends when the watch ends.
type Watcher[T meta.Object] struct {
	w    store.Watcher
	ch   chan Event[T]
	stop chan struct{} // closed by Stop
	once sync.Once     // guards closing stop
}

func newWatcher[T meta.Object](ctx context.Context, w store.Watcher) *Watcher[T] {
	tw := &Watcher[T]{w: w, ch: make(chan Event[T]), stop: make(chan struct{})}
	go tw.relay(ctx)
	return tw
}

// ResultChan returns the channel of events. It is closed when the watch ends: after Stop,
// when the watch's context is done, when the underlying watch ends (store closed, Error
// event).
func (w *Watcher[T]) ResultChan() <-chan Event[T] { return w.ch }

// Stop ends the watch and releases its resources; the channel is closed soon after. It may
// be called more than once, from any goroutine.
func (w *Watcher[T]) Stop() {
	w.once.Do(func() {
		close(w.stop)
		w.w.Stop()
	})
}

// relay converts the store's events until the watch ends. An object that is not a T (the
// client and scheme disagree) ends the watch with an Error event.
func (w *Watcher[T]) relay(ctx context.Context) {
	defer close(w.ch)
	defer w.Stop()
	in := w.w.ResultChan()
	for {
		var e store.Event
		var ok bool
		select {
		case e, ok = <-in:
			if !ok {
				return
			}
		case <-w.stop:
			return
		case <-ctx.Done():
			return
		}
		te := Event[T]{Type: e.Type, Revision: e.Revision, Err: e.Err}
		if e.Object != nil {
			if obj, isT := e.Object.(T); isT {
				te.Object = obj
			} else {
				te = Event[T]{Type: store.Error, Err: store.NewInternalError(
					fmt.Errorf("%w: watch event holds %T, want %v", ErrUnexpectedType, e.Object, reflect.TypeFor[T]()))}
			}
		}
		select {
		case w.ch <- te:
		case <-w.stop:
			return
		case <-ctx.Done():
			return
		}
		if te.Type == store.Error {
			return
		}
	}
}
