package informer_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/storetest"
)

// openStore opens a real store in a temporary directory, closed when the test ends.
func openStore(t *testing.T) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func create(t *testing.T, st store.Store, p *core.Pod) *core.Pod {
	t.Helper()
	out, err := st.Create(context.Background(), p, store.CreateOptions{})
	if err != nil {
		t.Fatalf("create %s: %v", meta.Key(p), err)
	}
	return out.(*core.Pod)
}

func relabel(t *testing.T, st store.Store, p *core.Pod, value string) *core.Pod {
	t.Helper()
	p = p.DeepCopy()
	p.Labels = map[string]string{"v": value}
	out, err := st.Update(context.Background(), p, store.UpdateOptions{})
	if err != nil {
		t.Fatalf("update %s: %v", meta.Key(p), err)
	}
	return out.(*core.Pod)
}

func remove(t *testing.T, st store.Store, p *core.Pod) *core.Pod {
	t.Helper()
	out, err := st.Delete(context.Background(), scheme.PodGVK, p.Namespace, p.Name, store.DeleteOptions{})
	if err != nil {
		t.Fatalf("delete %s: %v", meta.Key(p), err)
	}
	return out.(*core.Pod)
}

// Call strings, as recorder writes them.
func addCall(p *core.Pod, initial bool) string {
	s := "add " + meta.Key(p) + "@" + p.ResourceVersion
	if initial {
		s += " initial"
	}
	return s
}

func updateCall(old, p *core.Pod) string {
	return "update " + meta.Key(p) + "@" + old.ResourceVersion + "->" + p.ResourceVersion
}

func deleteCall(p *core.Pod, unknown bool) string {
	s := "delete " + meta.Key(p) + "@" + p.ResourceVersion
	if unknown {
		s += " unknown"
	}
	return s
}

// startFactory starts f and registers its Shutdown.
func startFactory(t *testing.T, f *informer.Factory) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		f.Shutdown()
	})
	f.Start(ctx)
	wctx, wcancel := context.WithTimeout(ctx, waitTimeout)
	defer wcancel()
	if err := f.WaitForCacheSync(wctx); err != nil {
		t.Fatal(err)
	}
}

func TestStoreInitialListAndLiveEvents(t *testing.T) {
	st := openStore(t)
	a := create(t, st, storetest.Pod("ns", "a", ""))
	b := create(t, st, storetest.Pod("ns", "b", ""))

	f := informer.NewFactory(st, informer.FactoryOptions{})
	pods := informer.For[*core.Pod](f)
	rec := newRecorder()
	reg := mustAdd(t, pods, rec)
	startFactory(t, f)
	waitClosed(t, reg.Synced(), "handler sync")
	rec.expectCalls(t, addCall(a, true), addCall(b, true))

	a2 := relabel(t, st, a, "2")
	c := create(t, st, storetest.Pod("ns", "c", ""))
	bGone := remove(t, st, b)
	a3 := relabel(t, st, a2, "3")
	rec.expectCalls(t, addCall(a, true), addCall(b, true),
		updateCall(a, a2), addCall(c, false), deleteCall(bGone, false), updateCall(a2, a3))

	got, err := pods.Lister().Namespace("ns").Get("a")
	if err != nil || got.ResourceVersion != a3.ResourceVersion || got.Labels["v"] != "3" {
		t.Errorf("cached a = %v, %v; want %s", got, err, a3.ResourceVersion)
	}
}

// gatedLW wraps a ListerWatcher so that a test can take its watch down and keep it down.
type gatedLW[T meta.Object] struct {
	informer.ListerWatcher[T]
	mu      sync.Mutex // guards current, gate and watches
	current informer.Watch[T]
	gate    chan struct{}
	watches int
}

func (g *gatedLW[T]) Watch(ctx context.Context, rev uint64) (informer.Watch[T], error) {
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	w, err := g.ListerWatcher.Watch(ctx, rev)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.watches++
	g.current = w
	return w, err
}

func (g *gatedLW[T]) watchCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.watches
}

// down stops the current watch and holds new ones until release is called.
func (g *gatedLW[T]) down() (release func()) {
	gate := make(chan struct{})
	g.mu.Lock()
	g.gate = gate
	if g.current != nil {
		g.current.Stop()
	}
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		g.gate = nil
		g.mu.Unlock()
		close(gate)
	}
}

func TestStoreCompactionWhileWatchDownRelistsWithTombstones(t *testing.T) {
	st := openStore(t)
	a := create(t, st, storetest.Pod("ns", "a", ""))
	b := create(t, st, storetest.Pod("ns", "b", ""))
	c := create(t, st, storetest.Pod("ns", "c", ""))
	a2 := relabel(t, st, a, "2")

	clk := clock.NewFake(t0)
	lw := &gatedLW[*core.Pod]{ListerWatcher: informer.FromSource[*core.Pod](st, scheme.PodGVK, informer.Selection{})}
	inf := informer.New[*core.Pod](lw, informer.Options[*core.Pod]{Resource: podsResource, Clock: clk})
	rec := newRecorder()
	mustAdd(t, inf, rec)
	run(t, inf)
	rec.expectCalls(t, addCall(a2, true), addCall(b, true), addCall(c, true))
	eventually(t, "the first watch", func() bool { return lw.watchCount() == 1 })

	clk.Step(2 * time.Second) // the watch has lived a while: its end is no failure
	release := lw.down()
	a3 := relabel(t, st, a2, "3")
	bGone := remove(t, st, b)
	d := create(t, st, storetest.Pod("ns", "d", ""))
	cGone := remove(t, st, c)
	if err := st.Compact(context.Background(), st.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	release()

	rec.expectCalls(t, addCall(a2, true), addCall(b, true), addCall(c, true),
		updateCall(a2, a3), addCall(d, false),
		// tombstones carry the last state the informer saw, not the deletion's
		deleteCall(b, true), deleteCall(c, true))
	if bGone.ResourceVersion == b.ResourceVersion || cGone.ResourceVersion == c.ResourceVersion {
		t.Fatal("test is vacuous: deletions kept the resource versions")
	}
	if got := len(inf.Lister().List(nil)); got != 2 {
		t.Errorf("%d pods cached after the relist, want 2", got)
	}
	// The informer follows live changes again.
	a4 := relabel(t, st, a3, "4")
	rec.waitFor(t, 8)
	if got := rec.snapshot()[7]; got != updateCall(a3, a4) {
		t.Errorf("after the relist: %q, want %q", got, updateCall(a3, a4))
	}
}

func TestStoreResyncDeliversUpdates(t *testing.T) {
	st := openStore(t)
	a := create(t, st, storetest.Pod("ns", "a", ""))
	clk := clock.NewFake(t0)
	f := informer.NewFactory(st, informer.FactoryOptions{Clock: clk, DefaultResync: 30 * time.Second, MutationCheck: informer.MutationCheckOff})
	rec := newRecorder()
	mustAdd(t, informer.For[*core.Pod](f), rec)
	startFactory(t, f)
	rec.expectCalls(t, addCall(a, true))
	eventually(t, "the resync timer", clk.HasWaiters)
	clk.Step(30 * time.Second)
	rec.expectCalls(t, addCall(a, true), updateCall(a, a))
}

func TestStoreBlockedHandlerDoesNotDelayAnother(t *testing.T) {
	st := openStore(t)
	f := informer.NewFactory(st, informer.FactoryOptions{})
	pods := informer.For[*core.Pod](f)
	blocked := newRecorder()
	blocked.block = make(chan struct{})
	free := newRecorder()
	mustAdd(t, pods, blocked)
	mustAdd(t, pods, free)
	startFactory(t, f)

	var want []string
	for i := range 300 { // more than a store watcher's buffer
		want = append(want, addCall(create(t, st, storetest.Pod("ns", fmt.Sprintf("p%03d", i), "")), false))
	}
	free.expectCalls(t, want...)
	if n := len(blocked.snapshot()); n != 0 {
		t.Fatalf("blocked handler completed %d calls", n)
	}
	close(blocked.block)
	blocked.expectCalls(t, want...)
}

func TestStoreEveryHandlerSeesEveryEventOnceInOrder(t *testing.T) {
	st := openStore(t)
	for i := range 10 {
		create(t, st, storetest.Pod("ns", fmt.Sprintf("pre%d", i), ""))
	}
	f := informer.NewFactory(st, informer.FactoryOptions{})
	pods := informer.For[*core.Pod](f)
	recs := []*recorder{newRecorder(), newRecorder(), newRecorder()}
	for _, r := range recs {
		mustAdd(t, pods, r)
	}
	startFactory(t, f)
	for _, r := range recs {
		r.waitFor(t, 10)
	}

	// Record what the store itself streams from here on, as the reference order.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	raw, err := st.Watch(ctx, scheme.PodGVK, store.WatchOptions{ResourceVersion: st.CurrentRevision()})
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Stop()
	var want []string
	last := map[string]*core.Pod{}
	const writers, rounds = 4, 25
	total := 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for r := range rounds {
				p := storetest.Pod("ns", fmt.Sprintf("w%d-%d", w, r%5), "")
				ctx := context.Background()
				if _, err := st.Create(ctx, p, store.CreateOptions{}); err != nil {
					_, err = st.Delete(ctx, scheme.PodGVK, p.Namespace, p.Name, store.DeleteOptions{})
					if err != nil {
						t.Errorf("delete: %v", err)
					}
				}
				cur, err := st.Get(ctx, scheme.PodGVK, "ns", fmt.Sprintf("w%d-%d", w, (r+1)%5))
				if err == nil {
					cp := cur.(*core.Pod).DeepCopy()
					cp.Labels = map[string]string{"r": fmt.Sprint(r)}
					if _, err := st.Update(ctx, cp, store.UpdateOptions{}); err != nil {
						t.Errorf("update: %v", err)
					}
				}
			}
		})
	}
	wg.Wait()
	end := st.CurrentRevision()
	for done := false; !done; {
		select {
		case ev := <-raw.ResultChan():
			p := ev.Object.(*core.Pod)
			key := meta.Key(p)
			switch ev.Type {
			case store.Added:
				want = append(want, addCall(p, false))
				last[key] = p
			case store.Modified:
				want = append(want, updateCall(last[key], p))
				last[key] = p
			case store.Deleted:
				want = append(want, deleteCall(p, false))
				delete(last, key)
			}
			total++
			done = ev.Revision == end
		case <-time.After(waitTimeout):
			t.Fatalf("raw watch stalled after %d events", total)
		}
	}
	for i, r := range recs {
		got := r.waitFor(t, 10+len(want))[10:]
		if !equal(got, want) {
			t.Errorf("handler %d saw %d calls, the store streamed %d:\n got  %q\n want %q", i, len(got), len(want), got, want)
		}
	}
}

func boltstoreOpen(dir string) (store.Store, error) {
	return boltstore.Open(dir, boltstore.Options{Scheme: scheme.NewBuiltin()})
}
