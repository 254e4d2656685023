package informer

import (
	"context"
	"fmt"
	"io"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// ListerWatcher is what an Informer consumes: a list of the current objects with the
// revision it was read at, and a stream of the changes after a revision. Which objects it
// covers (kind, namespace, selectors) is the ListerWatcher's business; the informer only
// picks revisions. FromSource adapts a store.Store (or anything with its List and Watch).
//
// Implementations must be safe for concurrent use. The objects they return become the
// cache's: they must not be modified afterwards by anyone.
type ListerWatcher[T meta.Object] interface {
	// List returns every current object and the revision the list was read at. A watch from
	// that revision must deliver every later change.
	List(ctx context.Context) (items []T, revision uint64, err error)
	// Watch streams the changes after revision, in revision order, exactly once each. It
	// fails with an error for which store.IsGone holds when revision has been compacted away;
	// the informer then lists again.
	Watch(ctx context.Context, revision uint64) (Watch[T], error)
}

// Watch is a running stream of changes.
type Watch[T meta.Object] interface {
	// Next blocks until the next event and returns it. It returns io.EOF when the stream
	// ended normally (the informer then watches again from the last revision), ctx.Err()
	// when ctx is done, and the watch's error when it ended with one; store.IsGone on that
	// error makes the informer list again.
	Next(ctx context.Context) (Event[T], error)
	// Stop ends the stream and releases its resources. It may be called more than once.
	Stop()
}

// Event is one change of a Watch.
type Event[T meta.Object] struct {
	// Type is store.Added, store.Modified, store.Deleted or store.Bookmark. Other types are
	// logged and skipped.
	Type store.EventType
	// Object is the object as of the change (for Deleted, its last state); ignored for
	// Bookmark. It is read-only: it may be shared with the store and other watchers.
	Object T
	// Revision is the store revision of the change, or for Bookmark the revision the
	// stream has seen up to. A re-watch starts after the last Revision seen.
	Revision uint64
}

// Source is the untyped list-watch a Factory builds its informers on, kind by kind. A
// store.Store satisfies it.
type Source interface {
	// List is store.Reader's List.
	List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error)
	// Watch is store.Store's Watch.
	Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts store.WatchOptions) (store.Watcher, error)
}

var _ Source = store.Store(nil)

// Selection restricts what a ListerWatcher made by FromSource covers. The zero value selects
// every object of the kind.
type Selection struct {
	// Namespace restricts to one namespace; "" means all.
	Namespace string
	// LabelSelector filters by labels; nil matches everything.
	LabelSelector labels.Selector
	// FieldSelector filters by the fields of store.SelectableFields; nil matches everything.
	FieldSelector fields.Selector
}

// FromSource returns the ListerWatcher of the objects of kind gvk in src that sel selects.
// T must be the Go type src decodes gvk into (for example *core.Pod for scheme.PodGVK);
// an object of another type fails the List or ends the Watch with ErrUnexpectedType.
// Lists are read in one page. Watches ask for bookmarks.
func FromSource[T meta.Object](src Source, gvk scheme.GroupVersionKind, sel Selection) ListerWatcher[T] {
	return sourceLW[T]{src: src, gvk: gvk, sel: sel}
}

// sourceLW adapts a Source to ListerWatcher[T].
type sourceLW[T meta.Object] struct {
	src Source
	gvk scheme.GroupVersionKind
	sel Selection
}

func (s sourceLW[T]) List(ctx context.Context) ([]T, uint64, error) {
	res, err := s.src.List(ctx, s.gvk, store.ListOptions{
		Namespace:     s.sel.Namespace,
		LabelSelector: s.sel.LabelSelector,
		FieldSelector: s.sel.FieldSelector,
	})
	if err != nil {
		return nil, 0, err
	}
	items := make([]T, len(res.Items))
	for i, o := range res.Items {
		t, ok := o.(T)
		if !ok {
			return nil, 0, fmt.Errorf("%w: list of %s returned %T, want %T", ErrUnexpectedType, s.gvk, o, t)
		}
		items[i] = t
	}
	return items, res.ResourceVersion, nil
}

func (s sourceLW[T]) Watch(ctx context.Context, revision uint64) (Watch[T], error) {
	w, err := s.src.Watch(ctx, s.gvk, store.WatchOptions{
		Namespace:       s.sel.Namespace,
		LabelSelector:   s.sel.LabelSelector,
		FieldSelector:   s.sel.FieldSelector,
		ResourceVersion: revision,
		AllowBookmarks:  true,
	})
	if err != nil {
		return nil, err
	}
	return &storeWatch[T]{w: w, ch: w.ResultChan(), gvk: s.gvk}, nil
}

// storeWatch adapts a store.Watcher to Watch[T].
type storeWatch[T meta.Object] struct {
	w   store.Watcher
	ch  <-chan store.Event
	gvk scheme.GroupVersionKind
}

func (w *storeWatch[T]) Next(ctx context.Context) (Event[T], error) {
	// Fast path: while events are buffered, a plain receive costs a fraction of a select
	// over two channels.
	select {
	case ev, ok := <-w.ch:
		return w.convert(ev, ok)
	default:
	}
	select {
	case ev, ok := <-w.ch:
		return w.convert(ev, ok)
	case <-ctx.Done():
		return Event[T]{}, ctx.Err()
	}
}

// convert turns a received store event (ok false: the channel is closed) into Next's result.
func (w *storeWatch[T]) convert(ev store.Event, ok bool) (Event[T], error) {
	if !ok {
		return Event[T]{}, io.EOF
	}
	if ev.Type == store.Error {
		if ev.Err == nil {
			return Event[T]{}, fmt.Errorf("informer: watch of %s ended with an error event without error", w.gvk)
		}
		return Event[T]{}, ev.Err
	}
	obj, isT := ev.Object.(T)
	if !isT && ev.Type != store.Bookmark {
		return Event[T]{}, fmt.Errorf("%w: watch of %s returned %T, want %T", ErrUnexpectedType, w.gvk, ev.Object, obj)
	}
	return Event[T]{Type: ev.Type, Object: obj, Revision: ev.Revision}, nil
}

func (w *storeWatch[T]) Stop() { w.w.Stop() }
