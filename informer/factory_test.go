package informer_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/storetest"
)

// failingSource fails every List of one kind.
type failingSource struct {
	informer.Source
	kind scheme.GroupVersionKind
}

func (s failingSource) List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	if gvk == s.kind {
		return nil, store.NewInternalError(errors.New("disk on fire"))
	}
	return s.Source.List(ctx, gvk, opts)
}

func TestFactorySharesOneInformerPerKind(t *testing.T) {
	st := openStore(t)
	f := informer.NewFactory(st, informer.FactoryOptions{})
	first, second := informer.For[*core.Pod](f), informer.For[*core.Pod](f)
	if first != second {
		t.Error("two Pod informers from one factory")
	}
	if any(informer.For[*apps.Deployment](f)) == any(informer.For[*core.Pod](f)) {
		t.Error("Deployment and Pod share an informer")
	}
}

func TestFactoryWaitForCacheSync(t *testing.T) {
	st := openStore(t)
	create(t, st, storetest.Pod("ns", "a", ""))
	f := informer.NewFactory(failingSource{Source: st, kind: scheme.DeploymentGVK},
		informer.FactoryOptions{Clock: clock.NewFake(t0)}) // the failed list's back-off never ends
	pods := informer.For[*core.Pod](f)
	informer.For[*apps.Deployment](f)

	// Nothing started: nothing to wait for.
	if err := f.WaitForCacheSync(context.Background()); err != nil {
		t.Fatalf("WaitForCacheSync before Start: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() {
		cancel()
		f.Shutdown()
	}()
	f.Start(ctx)
	wctx, wcancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer wcancel()
	err := f.WaitForCacheSync(wctx)
	if !errors.Is(err, informer.ErrNotSynced) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForCacheSync = %v; want ErrNotSynced and DeadlineExceeded", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "Deployment.v1.apps") || strings.Contains(msg, "Pod") {
		t.Errorf("error %q should name the Deployment informer only", msg)
	}
	if !pods.HasSynced() {
		t.Error("the Pod informer has not synced")
	}
}

func TestFactoryNamespaceAndTransform(t *testing.T) {
	st := openStore(t)
	create(t, st, storetest.Pod("mine", "a", ""))
	create(t, st, storetest.Pod("theirs", "b", ""))
	if _, err := st.Create(context.Background(), storetest.Namespace("mine"), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	f := informer.NewFactory(st, informer.FactoryOptions{
		Namespace: "mine",
		Transform: informer.DropManagedFields[meta.Object],
	})
	pods := informer.For[*core.Pod](f)
	namespaces := informer.For[*core.Namespace](f)
	startFactory(t, f)
	if got := names(pods.Lister().List(nil)); len(got) != 1 || got[0] != "mine/a" {
		t.Errorf("pods = %v, want only mine/a", got)
	}
	// Namespaces are cluster-scoped: the factory's namespace does not restrict them.
	if got := namespaces.Lister().List(nil); len(got) != 1 {
		t.Errorf("namespaces = %d, want 1", len(got))
	}
}

func TestFactoryForPanicsOnUnknownTypes(t *testing.T) {
	f := informer.NewFactory(nil, informer.FactoryOptions{Scheme: scheme.New()})
	mustPanicWith(t, "not registered", func() { informer.For[*core.Pod](f) })
	mustPanicWith(t, "Unstructured", func() { informer.For[*scheme.Unstructured](f) })
}

func TestFactoryShutdownLeavesNoGoroutines(t *testing.T) {
	before := goleak.IgnoreCurrent()
	st, err := openStoreNoCleanup(t)
	if err != nil {
		t.Fatal(err)
	}
	f := informer.NewFactory(st, informer.FactoryOptions{DefaultResync: time.Minute})
	pods := informer.For[*core.Pod](f)
	informer.For[*apps.ReplicaSet](f)
	for range 3 {
		if _, err := pods.AddHandler(newRecorder()); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	f.Start(ctx)
	if err := f.WaitForCacheSync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := pods.AddHandler(newRecorder()); err != nil { // one started while running
		t.Fatal(err)
	}
	f.Shutdown()
	f.Shutdown()
	f.Start(ctx) // after Shutdown: nothing
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, before)
}

func openStoreNoCleanup(t *testing.T) (store.Store, error) {
	return boltstoreOpen(t.TempDir())
}

// scriptedSource serves one pod, and watches whose first event ends them with an error.
type scriptedSource struct {
	mu      sync.Mutex // guards lists and watchEv
	lists   int
	watchEv []store.Event // the events of the next watch; later watches stay silent
}

func (s *scriptedSource) List(context.Context, scheme.GroupVersionKind, store.ListOptions) (*store.ListResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	p := pod("ns", "a", uint64(s.lists))
	return &store.ListResult{Items: []meta.Object{p}, ResourceVersion: uint64(s.lists)}, nil
}

func (s *scriptedSource) Watch(ctx context.Context, _ scheme.GroupVersionKind, _ store.WatchOptions) (store.Watcher, error) {
	s.mu.Lock()
	evs := s.watchEv
	s.watchEv = nil
	s.mu.Unlock()
	ch := make(chan store.Event, len(evs))
	for _, ev := range evs {
		ch <- ev
	}
	if len(evs) > 0 {
		close(ch)
	}
	return &chanWatcher{ch: ch}, nil
}

type chanWatcher struct{ ch chan store.Event }

func (w *chanWatcher) ResultChan() <-chan store.Event { return w.ch }
func (w *chanWatcher) Stop()                          {}

func TestGoneErrorEventRelists(t *testing.T) {
	src := &scriptedSource{watchEv: []store.Event{
		{Type: store.Bookmark, Object: &core.Pod{}, Revision: 1},
		{Type: store.Error, Err: store.NewTooOldResourceVersion(1, 5)},
	}}
	var updates atomic.Int32
	inf := informer.New(informer.FromSource[*core.Pod](src, scheme.PodGVK, informer.Selection{}),
		informer.Options[*core.Pod]{Clock: clock.NewFake(t0)})
	if _, err := inf.AddHandler(informer.HandlerFuncs[*core.Pod]{
		UpdateFunc: func(old, p *core.Pod) { updates.Add(1) },
	}); err != nil {
		t.Fatal(err)
	}
	run(t, inf)
	eventually(t, "the relist's update", func() bool { return updates.Load() == 1 })
	if p, err := inf.Lister().Namespace("ns").Get("a"); err != nil || p.ResourceVersion != "2" {
		t.Errorf("after the relist: %v, %v", p, err)
	}
	if got := inf.Indexer().Len(); got != 1 {
		t.Errorf("Indexer().Len() = %d", got)
	}
}
