package watchtest

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// Check looks at ev, given the objects as they were just before it (by name), and returns a
// description of what it violates, or "". It runs on the watch's goroutine, one event at a
// time, and must neither modify before nor keep it past its return.
type Check[T meta.Object] func(before map[string]T, ev client.Event[T]) string

// Watch is a running watch started by Start.
type Watch[T meta.Object] struct {
	check Check[T]

	// mu guards objs and problems.
	mu       sync.Mutex
	objs     map[string]T
	problems []string
}

// Start watches the objects of typed in namespace until the end of the test, running check
// (when not nil) on every Added, Modified and Deleted event. A watch that fails is a
// violation too. Start fails the test if the watch cannot start.
func Start[T meta.Object](t testing.TB, typed *client.Typed[T], namespace string, check Check[T]) *Watch[T] {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	watcher, err := typed.Watch(ctx, store.WatchOptions{Namespace: namespace})
	if err != nil {
		cancel()
		t.Fatalf("watchtest: %v", err)
	}
	w := &Watch[T]{check: check, objs: map[string]T{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range watcher.ResultChan() {
			w.apply(ev)
		}
	}()
	t.Cleanup(func() {
		cancel()
		watcher.Stop()
		<-done
		for _, p := range w.Problems() {
			t.Errorf("invariant violated: %s", p)
		}
	})
	return w
}

func (w *Watch[T]) apply(ev client.Event[T]) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev.Type {
	case store.Error:
		w.problems = append(w.problems, fmt.Sprintf("watch failed: %v", ev.Err))
		return
	case store.Bookmark:
		return
	}
	if w.check != nil {
		if msg := w.check(w.objs, ev); msg != "" {
			w.problems = append(w.problems, msg)
		}
	}
	applyTo(w.objs, ev)
}

// Problems returns the violations found so far.
func (w *Watch[T]) Problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

// After returns a copy of before with ev applied: the objects as they are once ev has
// happened.
func After[T meta.Object](before map[string]T, ev client.Event[T]) map[string]T {
	out := make(map[string]T, len(before)+1)
	maps.Copy(out, before)
	applyTo(out, ev)
	return out
}

func applyTo[T meta.Object](objs map[string]T, ev client.Event[T]) {
	if ev.Type == store.Deleted {
		delete(objs, ev.Object.GetName())
	} else {
		objs[ev.Object.GetName()] = ev.Object
	}
}
