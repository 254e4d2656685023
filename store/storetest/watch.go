package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var watchTests = []test{
	{"ReplayInRevisionOrderThenLive", testWatchReplay},
	{"FromZeroSendsCurrentState", testWatchFromZero},
	{"SelectorTransitions", testWatchSelectorTransitions},
	{"NamespaceFilter", testWatchNamespace},
	{"GoneAfterCompaction", testWatchGone},
	{"TooLargeResourceVersion", testWatchTooLarge},
	{"SlowWatcherIsTerminated", testSlowWatcher},
	{"ContextCancellationAndStop", testWatchCancel},
	{"Bookmarks", testWatchBookmarks},
	{"ReplayAfterRestart", testWatchAfterRestart},
	{"ManyWatchersSeeTheSameSequence", testManyWatchers},
}

// seen is an event reduced to what tests compare.
type seen struct {
	Type store.EventType
	Key  string
	Rev  uint64
}

func (s seen) String() string { return fmt.Sprintf("%s %s@%d", s.Type, s.Key, s.Rev) }

func (e *env) watch(gvk scheme.GroupVersionKind, opts store.WatchOptions) store.Watcher {
	e.t.Helper()
	w, err := e.s.Watch(e.ctx, gvk, opts)
	if err != nil {
		e.t.Fatalf("Watch: %v", err)
	}
	e.t.Cleanup(w.Stop)
	return w
}

// next returns the next event, failing the test after a few seconds.
func next(t *testing.T, w store.Watcher) store.Event {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatal("watch channel closed")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no watch event within 5s")
	}
	return store.Event{}
}

// nextSeen returns the next event as a seen, checking that Revision and the object's
// resourceVersion agree.
func nextSeen(t *testing.T, w store.Watcher) seen {
	t.Helper()
	ev := next(t, w)
	if ev.Type == store.Error {
		t.Fatalf("watch error: %v", ev.Err)
	}
	if got := rv(t, ev.Object); got != ev.Revision {
		t.Fatalf("%s event: object resourceVersion %d, Revision %d", ev.Type, got, ev.Revision)
	}
	return seen{ev.Type, meta.Key(ev.Object), ev.Revision}
}

// quiet fails the test if an event arrives within a short time.
func quiet(t *testing.T, w store.Watcher) {
	t.Helper()
	select {
	case ev := <-w.ResultChan():
		t.Fatalf("unexpected event %s %v", ev.Type, ev.Object)
	case <-time.After(50 * time.Millisecond):
	}
}

func testWatchReplay(t *testing.T, e *env) {
	e.create(Pod("default", "before", ""))
	from := e.s.CurrentRevision()
	var want []seen
	add := func(typ store.EventType, o meta.Object) { want = append(want, seen{typ, meta.Key(o), rv(t, o)}) }
	a := e.create(Pod("default", "a", "node-1"))
	add(store.Added, a)
	e.create(ConfigMap("default", "other-kind", nil)) // not a pod: not in the stream
	b := e.create(Pod("other", "b", ""))
	add(store.Added, b)
	a.SetLabels(map[string]string{"x": "1"})
	a = e.update(a)
	add(store.Modified, a)
	add(store.Modified, e.del(podGVK, "default", "a", store.DeleteOptions{})) // graceful: marked
	add(store.Deleted, e.del(podGVK, "other", "b", store.DeleteOptions{}))
	add(store.Deleted, e.del(podGVK, "default", "a", store.DeleteOptions{GracePeriodSeconds: ptr(int64(0))}))
	add(store.Added, e.create(Pod("other", "b", "")))

	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: from})
	for i, wnt := range want {
		if got := nextSeen(t, w); got != wnt {
			t.Fatalf("replay event %d = %v, want %v (all: %v)", i, got, wnt, want)
		}
	}
	live := e.create(Pod("default", "live", ""))
	if got := nextSeen(t, w); got != (seen{store.Added, "default/live", rv(t, live)}) {
		t.Fatalf("live event = %v", got)
	}
	quiet(t, w)
	// A watch from the last revision sees only what follows.
	w2 := e.watch(podGVK, store.WatchOptions{ResourceVersion: e.s.CurrentRevision()})
	quiet(t, w2)
	e.create(Pod("default", "after", ""))
	if got := nextSeen(t, w2); got.Key != "default/after" {
		t.Fatalf("got %v", got)
	}
}

func testWatchFromZero(t *testing.T, e *env) {
	e.create(Pod("b", "p2", ""))
	e.create(Pod("a", "p1", ""))
	e.create(Pod("b", "p1", ""))
	e.del(podGVK, "b", "p1", store.DeleteOptions{})
	w := e.watch(podGVK, store.WatchOptions{AllowBookmarks: true})
	var got []string
	for range 2 {
		ev := nextSeen(t, w)
		if ev.Type != store.Added {
			t.Fatalf("initial event %v, want ADDED", ev)
		}
		got = append(got, ev.Key)
	}
	if !slices.Equal(got, []string{"a/p1", "b/p2"}) {
		t.Fatalf("initial events %v, want the current objects in order", got)
	}
	bm := next(t, w)
	if bm.Type != store.Bookmark || bm.Revision != e.s.CurrentRevision() || rv(t, bm.Object) != bm.Revision {
		t.Fatalf("after the initial events: %s at %d, want a bookmark at %d", bm.Type, bm.Revision, e.s.CurrentRevision())
	}
	if bm.Object.GetTypeMeta().Kind != "Pod" {
		t.Fatalf("bookmark object %T %+v, want an empty Pod", bm.Object, bm.Object.GetTypeMeta())
	}
	e.create(Pod("c", "p", ""))
	if ev := nextSeen(t, w); ev != (seen{store.Added, "c/p", e.s.CurrentRevision()}) {
		t.Fatalf("live event %v", ev)
	}
}

func testWatchSelectorTransitions(t *testing.T, e *env) {
	sel, _ := labels.Parse("app=web")
	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: e.s.CurrentRevision(), LabelSelector: sel})
	p := Pod("default", "p", "")
	p.Labels = map[string]string{"app": "db"}
	cur := e.create(p)
	quiet(t, w)
	cur.SetLabels(map[string]string{"app": "web"})
	cur = e.update(cur)
	if ev := nextSeen(t, w); ev.Type != store.Added {
		t.Fatalf("starts matching: %v, want ADDED", ev)
	}
	cur.SetAnnotations(map[string]string{"n": "1"})
	cur = e.update(cur)
	if ev := nextSeen(t, w); ev.Type != store.Modified {
		t.Fatalf("still matching: %v, want MODIFIED", ev)
	}
	cur.SetLabels(map[string]string{"app": "db"})
	cur = e.update(cur)
	ev := next(t, w)
	if ev.Type != store.Deleted || ev.Revision != rv(t, cur) || rv(t, ev.Object) != ev.Revision {
		t.Fatalf("stops matching: %s at %d, want DELETED at %d", ev.Type, ev.Revision, rv(t, cur))
	}
	if ev.Object.GetLabels()["app"] != "web" {
		t.Fatalf("DELETED for a selector change carries labels %v, want the last matching state", ev.Object.GetLabels())
	}
	e.del(podGVK, "default", "p", store.DeleteOptions{})
	quiet(t, w)
}

func testWatchNamespace(t *testing.T, e *env) {
	w := e.watch(podGVK, store.WatchOptions{Namespace: "a", ResourceVersion: e.s.CurrentRevision()})
	e.create(Pod("b", "x", ""))
	e.create(Pod("a", "y", ""))
	if ev := nextSeen(t, w); ev.Key != "a/y" {
		t.Fatalf("got %v", ev)
	}
	quiet(t, w)
}

func testWatchGone(t *testing.T, e *env) {
	c := e.compactor()
	e.create(Pod("default", "a", ""))
	old := e.s.CurrentRevision()
	e.create(Pod("default", "b", ""))
	e.create(Pod("default", "c", ""))
	if err := c.Compact(e.ctx, old+1); err != nil {
		t.Fatal(err)
	}
	if c.CompactedRevision() != old+1 {
		t.Fatalf("CompactedRevision = %d, want %d", c.CompactedRevision(), old+1)
	}
	_, err := e.s.Watch(e.ctx, podGVK, store.WatchOptions{ResourceVersion: old})
	if !store.IsGone(err) {
		t.Fatalf("watch from a compacted revision: %v, want Gone", err)
	}
	wantMessage(t, err, fmt.Sprintf("too old resource version: %d (%d)", old, old+1))
	// The compacted revision itself is still a valid start.
	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: old + 1})
	if ev := nextSeen(t, w); ev.Key != "default/c" {
		t.Fatalf("got %v", ev)
	}
}

func testWatchTooLarge(t *testing.T, e *env) {
	_, err := e.s.Watch(e.ctx, podGVK, store.WatchOptions{ResourceVersion: e.s.CurrentRevision() + 10})
	if !store.IsTooLargeResourceVersion(err) {
		t.Fatalf("got %v, want a TooLargeResourceVersion error", err)
	}
}

func testSlowWatcher(t *testing.T, e *env) {
	c := e.compactor()
	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: e.s.CurrentRevision()})
	const n = 1000
	for i := range n {
		e.create(Pod("default", fmt.Sprintf("p%04d", i), "")) // never blocked by the idle watcher
	}
	if err := c.Compact(e.ctx, e.s.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	got := 0
	for {
		ev := next(t, w)
		if ev.Type == store.Error {
			if !store.IsGone(ev.Err) {
				t.Fatalf("slow watcher ended with %v, want Gone", ev.Err)
			}
			break
		}
		if want := fmt.Sprintf("default/p%04d", got); meta.Key(ev.Object) != want {
			t.Fatalf("event %d is %s, want %s", got, meta.Key(ev.Object), want)
		}
		got++
	}
	if got >= n {
		t.Fatalf("the slow watcher received all %d events; it should have been cut off", got)
	}
	if _, ok := <-w.ResultChan(); ok {
		t.Fatal("channel not closed after the error")
	}
}

func testWatchCancel(t *testing.T, e *env) {
	ctx, cancel := context.WithCancel(e.ctx)
	w, err := e.s.Watch(ctx, podGVK, store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	waitClosed(t, w)
	w2 := e.watch(podGVK, store.WatchOptions{})
	w2.Stop()
	w2.Stop()
	waitClosed(t, w2)
	if _, err := e.s.Watch(ctx, podGVK, store.WatchOptions{}); err == nil {
		// A watch on a done context may start, but must end at once.
		return
	}
}

func waitClosed(t *testing.T, w store.Watcher) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-w.ResultChan():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("watch channel not closed within 5s")
		}
	}
}

func testWatchBookmarks(t *testing.T, e *env) {
	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: e.s.CurrentRevision(), AllowBookmarks: true})
	e.create(ConfigMap("default", "other-kind", nil))
	want := e.s.CurrentRevision()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		e.clock.Step(30 * time.Second)
		select {
		case ev := <-w.ResultChan():
			if ev.Type != store.Bookmark || ev.Revision != want || rv(t, ev.Object) != want {
				t.Fatalf("got %s at %d, want a bookmark at %d", ev.Type, ev.Revision, want)
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("no bookmark while the clock advanced")
}

func testWatchAfterRestart(t *testing.T, e *env) {
	from := e.s.CurrentRevision()
	a := e.create(Pod("default", "a", ""))
	a.SetLabels(map[string]string{"x": "y"})
	a = e.update(a)
	d := e.del(podGVK, "default", "a", store.DeleteOptions{})
	e.reopen()
	w := e.watch(podGVK, store.WatchOptions{ResourceVersion: from})
	want := []seen{{store.Added, "default/a", rv(t, a) - 1}, {store.Modified, "default/a", rv(t, a)}, {store.Deleted, "default/a", rv(t, d)}}
	for _, wnt := range want {
		if got := nextSeen(t, w); got != wnt {
			t.Fatalf("after restart: %v, want %v", got, wnt)
		}
	}
}

func testManyWatchers(t *testing.T, e *env) {
	const watchers, writes = 10, 100
	from := e.s.CurrentRevision()
	ws := make([]store.Watcher, watchers)
	for i := range ws {
		ws[i] = e.watch(podGVK, store.WatchOptions{ResourceVersion: from})
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range writes / 4 {
				if _, err := e.s.Create(e.ctx, Pod("default", name("p", g, i), ""), store.CreateOptions{}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	var first []seen
	for i, w := range ws {
		var got []seen
		for range writes {
			got = append(got, nextSeen(t, w))
		}
		for j := 1; j < len(got); j++ {
			if got[j].Rev <= got[j-1].Rev {
				t.Fatalf("watcher %d: revisions out of order: %v then %v", i, got[j-1], got[j])
			}
		}
		if i == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("watcher %d saw a different sequence", i)
		}
	}
}
