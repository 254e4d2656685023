package informer_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) {
	// Every test stops what it starts: no goroutine may outlive the tests.
	goleak.VerifyTestMain(m)
}

// waitTimeout bounds every wait for a handler goroutine; tests never sleep.
const waitTimeout = 10 * time.Second

// pod returns a pod with a resourceVersion and optional labels as "k=v" pairs.
func pod(ns, name string, rv uint64, kv ...string) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, ResourceVersion: fmt.Sprint(rv)},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "main", Image: "busybox"}}},
	}
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels[k] = v
	}
	return p
}

// recorder is a Handler that records its calls as strings:
//
//	add ns/name@rv [initial]
//	update ns/name@oldrv->newrv
//	delete ns/name@rv [unknown]
type recorder struct {
	mu      sync.Mutex // guards calls and changed
	calls   []string
	changed chan struct{} // closed and replaced on every call
	block   chan struct{} // if non-nil, every call waits for it to be closed
	entered chan struct{} // if non-nil, receives a token when a call starts (non-blocking)
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{})} }

func (r *recorder) record(s string) {
	if r.entered != nil {
		select {
		case r.entered <- struct{}{}:
		default:
		}
	}
	if r.block != nil {
		<-r.block
	}
	r.mu.Lock()
	r.calls = append(r.calls, s)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

func (r *recorder) OnAdd(p *core.Pod, initial bool) {
	s := "add " + meta.Key(p) + "@" + p.ResourceVersion
	if initial {
		s += " initial"
	}
	r.record(s)
}

func (r *recorder) OnUpdate(old, p *core.Pod) {
	r.record("update " + meta.Key(p) + "@" + old.ResourceVersion + "->" + p.ResourceVersion)
}

func (r *recorder) OnDelete(p *core.Pod, unknown bool) {
	s := "delete " + meta.Key(p) + "@" + p.ResourceVersion
	if unknown {
		s += " unknown"
	}
	r.record(s)
}

var _ informer.Handler[*core.Pod] = (*recorder)(nil)

// snapshot returns a copy of the calls so far.
func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// waitFor waits until at least n calls were recorded and returns the first n... all of them.
func (r *recorder) waitFor(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		r.mu.Lock()
		got, ch := len(r.calls), r.changed
		r.mu.Unlock()
		if got >= n {
			return r.snapshot()
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %d handler calls; got %d: %q", n, got, r.snapshot())
		}
	}
}

// expectCalls waits for len(want) calls and compares them with want.
func (r *recorder) expectCalls(t *testing.T, want ...string) {
	t.Helper()
	got := r.waitFor(t, len(want))
	if !equal(got, want) {
		t.Fatalf("handler calls:\n got  %q\n want %q", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// waitClosed waits for ch to be closed.
func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// eventually polls cond until it holds; for states that only a goroutine of the informer
// reaches and that have no channel to wait on (a timer being armed on the fake clock).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // bounded polling of another goroutine's state
	}
}

// run starts inf.Run and registers a cleanup that stops it and waits for it to return.
func run[T meta.Object](t *testing.T, inf *informer.Informer[T]) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// fakeLW is an in-memory ListerWatcher of pods with a revision log, compaction, injected
// failures and a gate that holds watches down.
type fakeLW struct {
	mu        sync.Mutex // guards everything below
	objs      map[string]*core.Pod
	log       []informer.Event[*core.Pod] // every change, in revision order
	rev       uint64
	compacted uint64
	changed   chan struct{} // closed and replaced on every change or kill
	listErrs  []error       // returned by the next Lists, in order
	watchErrs []error       // returned by the next Watches, in order
	gate      chan struct{} // when non-nil, Watch waits for it to be closed
	lists     int
	watches   []uint64 // the revisions Watch was called with
	epoch     int      // bumped by kill: watches of older epochs end
}

func newFakeLW(pods ...*core.Pod) *fakeLW {
	f := &fakeLW{objs: map[string]*core.Pod{}, changed: make(chan struct{})}
	for _, p := range pods {
		f.write(store.Added, p)
	}
	return f
}

// write records a change: it sets the object's resourceVersion to the new revision.
func (f *fakeLW) write(typ store.EventType, p *core.Pod) *core.Pod {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rev++
	p = p.DeepCopy()
	p.ResourceVersion = fmt.Sprint(f.rev)
	if typ == store.Deleted {
		delete(f.objs, meta.Key(p))
	} else {
		f.objs[meta.Key(p)] = p
	}
	f.log = append(f.log, informer.Event[*core.Pod]{Type: typ, Object: p, Revision: f.rev})
	f.broadcastLocked()
	return p
}

func (f *fakeLW) add(p *core.Pod) *core.Pod    { return f.write(store.Added, p) }
func (f *fakeLW) update(p *core.Pod) *core.Pod { return f.write(store.Modified, p) }
func (f *fakeLW) del(p *core.Pod) *core.Pod    { return f.write(store.Deleted, p) }

func (f *fakeLW) broadcastLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// compact discards the log up to the current revision.
func (f *fakeLW) compact() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.compacted = f.rev
}

// kill ends every running watch (their Next returns io.EOF) and holds new watches at a gate
// until the returned function is called.
func (f *fakeLW) kill() (release func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.epoch++
	gate := make(chan struct{})
	f.gate = gate
	f.broadcastLocked()
	return func() {
		f.mu.Lock()
		f.gate = nil
		f.mu.Unlock()
		close(gate)
	}
}

func (f *fakeLW) failLists(errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listErrs = append(f.listErrs, errs...)
}

func (f *fakeLW) failWatches(errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watchErrs = append(f.watchErrs, errs...)
}

func (f *fakeLW) stats() (lists int, watches []uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists, append([]uint64(nil), f.watches...)
}

func (f *fakeLW) List(ctx context.Context) ([]*core.Pod, uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	if len(f.listErrs) > 0 {
		err := f.listErrs[0]
		f.listErrs = f.listErrs[1:]
		return nil, 0, err
	}
	out := make([]*core.Pod, 0, len(f.objs))
	for _, p := range f.objs {
		out = append(out, p)
	}
	// Sorted like a store's list, so that tests can predict the order of notifications.
	sortPods(out)
	return out, f.rev, nil
}

func (f *fakeLW) Watch(ctx context.Context, rev uint64) (informer.Watch[*core.Pod], error) {
	f.mu.Lock()
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watches = append(f.watches, rev)
	if len(f.watchErrs) > 0 {
		err := f.watchErrs[0]
		f.watchErrs = f.watchErrs[1:]
		return nil, err
	}
	if rev < f.compacted {
		return nil, store.NewTooOldResourceVersion(rev, f.compacted)
	}
	return &fakeWatch{f: f, next: rev, epoch: f.epoch, stop: make(chan struct{})}, nil
}

type fakeWatch struct {
	f     *fakeLW
	next  uint64 // deliver the first event with a revision above this
	epoch int
	stop  chan struct{}
	once  sync.Once
}

func (w *fakeWatch) Next(ctx context.Context) (informer.Event[*core.Pod], error) {
	for {
		w.f.mu.Lock()
		if w.f.epoch != w.epoch {
			w.f.mu.Unlock()
			return informer.Event[*core.Pod]{}, io.EOF
		}
		for _, ev := range w.f.log {
			if ev.Revision > w.next {
				w.next = ev.Revision
				w.f.mu.Unlock()
				return ev, nil
			}
		}
		ch := w.f.changed
		w.f.mu.Unlock()
		select {
		case <-ch:
		case <-w.stop:
			return informer.Event[*core.Pod]{}, io.EOF
		case <-ctx.Done():
			return informer.Event[*core.Pod]{}, ctx.Err()
		}
	}
}

func (w *fakeWatch) Stop() { w.once.Do(func() { close(w.stop) }) }

func sortPods(ps []*core.Pod) {
	slices.SortFunc(ps, func(a, b *core.Pod) int { return strings.Compare(meta.Key(a), meta.Key(b)) })
}
