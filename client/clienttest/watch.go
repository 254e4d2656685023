package clienttest

import (
	"context"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

var watchTests = []test{
	{"Watch/FromResourceVersion", testWatchFromResourceVersion},
	{"Watch/FromZero", testWatchFromZero},
	{"Watch/ListThenWatch", testWatchAfterList},
	{"Watch/LabelSelector", testWatchLabelSelector},
	{"Watch/StopAndCancel", testWatchStop},
}

func testWatchFromResourceVersion(e *env) {
	a := create(e, e.configMaps, newConfigMap("a", nil))
	b := create(e, e.configMaps, newConfigMap("b", nil))
	b.Data = map[string]string{"k": "v"}
	b2 := update(e, e.configMaps, b)
	aDel, err := e.configMaps.Delete(e.ctx, Namespace, "a")
	if err != nil {
		e.t.Fatal(err)
	}
	c := create(e, e.configMaps, newConfigMap("c", nil))

	w, err := e.configMaps.Watch(e.ctx, store.WatchOptions{Namespace: Namespace, ResourceVersion: e.rv(a)})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	wantEvent(e, next(e, w), store.Added, "b", e.rv(b))
	ev := next(e, w)
	wantEvent(e, ev, store.Modified, "b", e.rv(b2))
	if ev.Object.Data["k"] != "v" {
		e.t.Fatalf("modified event holds data %v", ev.Object.Data)
	}
	wantEvent(e, next(e, w), store.Deleted, "a", e.rv(aDel))
	wantEvent(e, next(e, w), store.Added, "c", e.rv(c))

	// Live changes follow the replayed ones.
	d := create(e, e.configMaps, newConfigMap("d", nil))
	wantEvent(e, next(e, w), store.Added, "d", e.rv(d))
	d2, err := e.configMaps.Patch(e.ctx, Namespace, "d", client.MergePatchType, []byte(`{"data":{"x":"y"}}`))
	if err != nil {
		e.t.Fatal(err)
	}
	wantEvent(e, next(e, w), store.Modified, "d", e.rv(d2))
}

func testWatchFromZero(e *env) {
	create(e, e.configMaps, newConfigMap("b", nil))
	create(e, e.configMaps, newConfigMap("a", nil))
	w, err := e.configMaps.Watch(e.ctx, store.WatchOptions{Namespace: Namespace})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	// The current objects first, as Added events in name order, then live changes.
	wantEvent(e, next(e, w), store.Added, "a", 0)
	wantEvent(e, next(e, w), store.Added, "b", 0)
	c := create(e, e.configMaps, newConfigMap("c", nil))
	wantEvent(e, next(e, w), store.Added, "c", e.rv(c))
}

// testWatchAfterList checks the informer's contract: a watch from a list's revision sees
// exactly the changes the list did not.
func testWatchAfterList(e *env) {
	create(e, e.pods, newPod("a", nil))
	l := list(e, e.pods, store.ListOptions{Namespace: Namespace})
	b := create(e, e.pods, newPod("b", nil))
	w, err := e.pods.Watch(e.ctx, store.WatchOptions{Namespace: Namespace, ResourceVersion: l.ResourceVersion})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	wantEvent(e, next(e, w), store.Added, "b", e.rv(b))
	p, err := e.pods.Delete(e.ctx, Namespace, "a")
	if err != nil {
		e.t.Fatal(err)
	}
	wantEvent(e, next(e, w), store.Deleted, "a", e.rv(p))
	select {
	case ev := <-w.ResultChan():
		e.t.Fatalf("unexpected %s event of %s", ev.Type, ev.Object.GetName())
	default:
	}

	// A watch in another namespace sees nothing of these.
	e.ensureNamespace("other")
	ow, err := e.pods.Watch(e.ctx, store.WatchOptions{Namespace: "other", ResourceVersion: l.ResourceVersion})
	if err != nil {
		e.t.Fatal(err)
	}
	defer ow.Stop()
	o := newPod("o", nil)
	o.Namespace = "other"
	oc := create(e, e.pods, o)
	wantEvent(e, next(e, ow), store.Added, "o", e.rv(oc))
}

func testWatchLabelSelector(e *env) {
	w, err := e.configMaps.Watch(e.ctx, store.WatchOptions{
		Namespace: Namespace, LabelSelector: parseLabels(e, "app=web"), ResourceVersion: e.rv(get(e, e.namespaces, "", Namespace)),
	})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()

	create(e, e.configMaps, newConfigMap("other", nil))
	cm := newConfigMap("cm", nil)
	cm.Labels = map[string]string{"app": "web"}
	cm = create(e, e.configMaps, cm)
	wantEvent(e, next(e, w), store.Added, "cm", e.rv(cm))

	cm.Labels["app"] = "db" // stops matching: Deleted
	cm = update(e, e.configMaps, cm)
	wantEvent(e, next(e, w), store.Deleted, "cm", e.rv(cm))

	cm.Data = map[string]string{"ignored": "yes"} // still not matching: nothing
	update(e, e.configMaps, cm)

	back, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, []byte(`{"metadata":{"labels":{"app":"web"}}}`))
	if err != nil {
		e.t.Fatal(err)
	}
	wantEvent(e, next(e, w), store.Added, "cm", e.rv(back)) // matches again: Added
}

func testWatchStop(e *env) {
	w, err := e.configMaps.Watch(e.ctx, store.WatchOptions{})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	w.Stop()
	w.Stop() // twice is fine
	waitClosed(e, w)

	ctx, cancel := context.WithCancel(e.ctx)
	w, err = e.configMaps.Watch(ctx, store.WatchOptions{})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	cancel()
	waitClosed(e, w)

	// A watch from a revision the store has not reached fails, or ends with an error.
	far := e.rv(get(e, e.namespaces, "", Namespace)) + 1000
	w, err = e.configMaps.Watch(e.ctx, store.WatchOptions{ResourceVersion: far})
	if err == nil {
		defer w.Stop()
		ev := next(e, w)
		if ev.Type != store.Error || ev.Err == nil {
			e.t.Fatalf("watch from the future: got %s event, want an error", ev.Type)
		}
	}
}

// waitClosed fails the test unless w's channel closes in time; buffered events are drained.
func waitClosed[T meta.Object](e *env, w *client.Watcher[T]) {
	e.t.Helper()
	deadline := time.After(eventTimeout)
	for {
		select {
		case _, ok := <-w.ResultChan():
			if !ok {
				return
			}
		case <-deadline:
			e.t.Fatalf("watch channel still open %v after the watch ended", eventTimeout)
		}
	}
}
