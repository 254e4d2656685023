package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// notRegistered is a kind no scheme knows.
type notRegistered struct {
	meta.TypeMeta
	meta.ObjectMeta
}

func (n *notRegistered) DeepCopyObject() meta.Object { c := *n; return &c }

func wantPanic(t *testing.T, contains string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", contains)
		}
		if s, _ := r.(string); !strings.Contains(s, contains) {
			t.Fatalf("panic %v does not mention %q", r, contains)
		}
	}()
	f()
}

func TestForPanicsOnMisuse(t *testing.T) {
	c := client.NewLocal(nil, scheme.NewBuiltin()) // the store is never reached
	wantPanic(t, "not registered", func() { client.For[*notRegistered](c) })
	wantPanic(t, "use client.ForKind", func() { client.For[*scheme.Unstructured](c) })
	wantPanic(t, "no kind", func() { client.ForKind[*core.Pod](c, scheme.GroupVersionKind{Version: "v1", Kind: "Nope"}) })
	wantPanic(t, "not *core.Pod", func() { client.ForKind[*core.Pod](c, scheme.ConfigMapGVK) })

	pods := client.For[*core.Pod](c)
	if pods.GVK() != scheme.PodGVK || pods.Kind().Plural != "pods" || pods.Client() != client.Client(c) {
		t.Fatalf("For[*core.Pod]: gvk %v kind %v", pods.GVK(), pods.Kind().Plural)
	}
	if got := client.ForKind[*core.Pod](c, scheme.PodGVK); got.GVK() != scheme.PodGVK {
		t.Fatalf("ForKind: %v", got.GVK())
	}
}

// TestUnstructured drives a kind without a Go type through ForKind.
func TestUnstructured(t *testing.T) {
	sch := scheme.NewBuiltin()
	gvk := scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}
	if err := sch.RegisterUnstructured(scheme.UnstructuredKind{GVK: gvk, Plural: "widgets", Namespaced: true, HasStatus: true}); err != nil {
		t.Fatal(err)
	}
	c := newLocal(t, sch)
	ctx := t.Context()
	widgets := client.ForKind[*scheme.Unstructured](c, gvk)

	// apiVersion and kind may be left out: the typed client knows them.
	w := &scheme.Unstructured{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "w"}, Content: map[string]any{"spec": map[string]any{"size": 1.0}}}
	created, err := widgets.Create(ctx, w)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.Kind != "Widget" || w.Kind != "" {
		t.Fatalf("created kind %q, argument kind %q", created.Kind, w.Kind)
	}
	got, err := widgets.Patch(ctx, "ns", "w", client.MergePatchType, []byte(`{"spec":{"size":3},"status":{"ok":true}}`))
	if err != nil {
		t.Fatalf("patch: %v", err)
	}
	if size, _ := got.Field("spec", "size"); size != 3.0 {
		t.Fatalf("size after patch: %v", size)
	}
	if _, ok := got.Field("status", "ok"); ok {
		t.Fatal("a main-resource patch wrote status")
	}
	got, err = widgets.PatchStatus(ctx, "ns", "w", client.JSONPatchType, []byte(`[{"op":"add","path":"/status","value":{"ok":true}}]`))
	if err != nil {
		t.Fatalf("status patch: %v", err)
	}
	if ok, _ := got.Field("status", "ok"); ok != true {
		t.Fatalf("status after status patch: %v", got.Content)
	}
	l, err := widgets.List(ctx, store.ListOptions{})
	if err != nil || len(l.Items) != 1 || l.Items[0].Name != "w" {
		t.Fatalf("list: %v %v", err, l)
	}

	other := &scheme.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "x"}}
	if _, err := widgets.Create(ctx, other); !store.IsBadRequest(err) {
		t.Fatalf("create of another kind through the widget client: %v, want BadRequest", err)
	}
}

// fakeWatchClient serves one prepared store.Watcher; every other method is unimplemented.
type fakeWatchClient struct {
	client.Client
	sch *scheme.Scheme
	w   *fakeWatcher
}

func (f *fakeWatchClient) Scheme() *scheme.Scheme { return f.sch }
func (f *fakeWatchClient) Watch(context.Context, scheme.GroupVersionKind, store.WatchOptions) (store.Watcher, error) {
	return f.w, nil
}

type fakeWatcher struct {
	ch      chan store.Event
	stopped chan struct{}
}

func (f *fakeWatcher) ResultChan() <-chan store.Event { return f.ch }
func (f *fakeWatcher) Stop() {
	select {
	case <-f.stopped:
	default:
		close(f.stopped)
	}
}

func TestWatcherRelays(t *testing.T) {
	fw := &fakeWatcher{ch: make(chan store.Event, 4), stopped: make(chan struct{})}
	c := &fakeWatchClient{sch: scheme.NewBuiltin(), w: fw}
	pods := client.For[*core.Pod](c)

	w, err := pods.Watch(t.Context(), store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fw.ch <- store.Event{Type: store.Added, Object: &core.Pod{ObjectMeta: meta.ObjectMeta{Name: "a"}}, Revision: 5}
	fw.ch <- store.Event{Type: store.Bookmark, Object: &core.Pod{ObjectMeta: meta.ObjectMeta{ResourceVersion: "6"}}, Revision: 6}
	fw.ch <- store.Event{Type: store.Added, Object: &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "wrong"}}, Revision: 7}
	fw.ch <- store.Event{Type: store.Added, Object: &core.Pod{ObjectMeta: meta.ObjectMeta{Name: "never"}}, Revision: 8}

	if ev := <-w.ResultChan(); ev.Type != store.Added || ev.Object.Name != "a" || ev.Revision != 5 {
		t.Fatalf("first event: %+v", ev)
	}
	if ev := <-w.ResultChan(); ev.Type != store.Bookmark || ev.Object.ResourceVersion != "6" {
		t.Fatalf("second event: %+v", ev)
	}
	// An object of the wrong type ends the watch with an internal error.
	ev := <-w.ResultChan()
	if ev.Type != store.Error || !errors.Is(ev.Err, client.ErrUnexpectedType) || !store.IsInternalError(ev.Err) || ev.Object != nil {
		t.Fatalf("third event: %+v", ev)
	}
	if _, ok := <-w.ResultChan(); ok {
		t.Fatal("the watch went on after an error event")
	}
	select {
	case <-fw.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the underlying watch was not stopped")
	}
}

func TestWatcherEndsWithContext(t *testing.T) {
	fw := &fakeWatcher{ch: make(chan store.Event, 1), stopped: make(chan struct{})}
	c := &fakeWatchClient{sch: scheme.NewBuiltin(), w: fw}
	ctx, cancel := context.WithCancel(t.Context())
	w, err := client.For[*core.Pod](c).Watch(ctx, store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// An event nobody reads must not keep the relay alive once the context ends.
	fw.ch <- store.Event{Type: store.Added, Object: &core.Pod{}, Revision: 1}
	cancel()
	for range w.ResultChan() { // drains what was relayed, ends when the channel closes
	}
	<-fw.stopped
}

func TestDeleteOptions(t *testing.T) {
	var o store.DeleteOptions
	for _, opt := range []client.DeleteOption{
		client.PropagationPolicy(meta.DeletePropagationOrphan),
		client.PreconditionUID("u1"),
		client.PreconditionResourceVersion("9"),
		client.GracePeriod(0),
	} {
		opt(&o)
	}
	if *o.PropagationPolicy != meta.DeletePropagationOrphan || *o.Preconditions.UID != "u1" ||
		*o.Preconditions.ResourceVersion != "9" || *o.GracePeriodSeconds != 0 {
		t.Fatalf("options: %+v %+v", o, *o.Preconditions)
	}
}

func TestObjectKey(t *testing.T) {
	for _, tc := range []struct {
		obj  meta.Object
		want string
	}{
		{&core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "p"}}, "ns/p"},
		{&core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "ns"}}, "ns"},
	} {
		k := client.ObjectKeyFromObject(tc.obj)
		if k.String() != tc.want || k.String() != meta.Key(tc.obj) {
			t.Errorf("key of %s: %v", tc.want, k)
		}
	}
}

func TestIgnore(t *testing.T) {
	notFound := store.NewNotFound(scheme.GroupResource{Resource: "pods"}, "p")
	exists := store.NewAlreadyExists(scheme.GroupResource{Resource: "pods"}, "p")
	other := errors.New("other")
	for _, tc := range []struct {
		name string
		f    func(error) error
		in   error
		want error
	}{
		{"IgnoreNotFound(nil)", client.IgnoreNotFound, nil, nil},
		{"IgnoreNotFound(NotFound)", client.IgnoreNotFound, notFound, nil},
		{"IgnoreNotFound(AlreadyExists)", client.IgnoreNotFound, exists, exists},
		{"IgnoreNotFound(other)", client.IgnoreNotFound, other, other},
		{"IgnoreAlreadyExists(AlreadyExists)", client.IgnoreAlreadyExists, exists, nil},
		{"IgnoreAlreadyExists(NotFound)", client.IgnoreAlreadyExists, notFound, notFound},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
}
