package informer_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

var podsResource = scheme.GroupResource{Resource: "pods"}

func newInformer(lw informer.ListerWatcher[*core.Pod], clk clock.Clock) *informer.Informer[*core.Pod] {
	return informer.New(lw, informer.Options[*core.Pod]{Resource: podsResource, Clock: clk})
}

func mustAdd(t *testing.T, inf *informer.Informer[*core.Pod], h informer.Handler[*core.Pod]) *informer.Registration {
	t.Helper()
	reg, err := inf.AddHandler(h)
	if err != nil {
		t.Fatalf("AddHandler: %v", err)
	}
	return reg
}

func TestInitialListThenEventsInOrder(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0), pod("ns", "b", 0), pod("other", "c", 0)) // revisions 1..3
	inf := newInformer(lw, clock.NewFake(t0))
	rec := newRecorder()
	reg := mustAdd(t, inf, rec)
	if inf.HasSynced() || reg.HasSynced() {
		t.Fatal("synced before Run")
	}
	run(t, inf)
	waitClosed(t, inf.Synced(), "informer sync")
	waitClosed(t, reg.Synced(), "handler sync")
	rec.expectCalls(t, "add ns/a@1 initial", "add ns/b@2 initial", "add other/c@3 initial")

	a := lw.update(pod("ns", "a", 0, "x=y")) // 4
	lw.add(pod("ns", "d", 0))                // 5
	lw.del(pod("ns", "b", 0))                // 6
	lw.del(pod("ns", "never-seen", 0))       // 7: unknown to the cache, ignored
	lw.update(a)                             // 8
	rec.expectCalls(t, "add ns/a@1 initial", "add ns/b@2 initial", "add other/c@3 initial",
		"update ns/a@1->4", "add ns/d@5", "delete ns/b@6", "update ns/a@4->8")
	eventually(t, "revision 8", func() bool { return inf.Revision() == 8 })

	l := inf.Lister()
	if got := len(l.List(nil)); got != 3 {
		t.Errorf("List: %d pods, want 3", got)
	}
	if got := len(l.Namespace("ns").List(nil)); got != 2 {
		t.Errorf("Namespace(ns).List: %d pods, want 2", got)
	}
	if p, err := l.Namespace("ns").Get("a"); err != nil || p.ResourceVersion != "8" {
		t.Errorf("Get(ns/a) = %v, %v; want rv 8", p, err)
	}
	if _, err := l.Namespace("ns").Get("b"); !store.IsNotFound(err) {
		t.Errorf("Get(ns/b) error = %v, want NotFound", err)
	}
	if lists, _ := lw.stats(); lists != 1 {
		t.Errorf("%d lists, want 1", lists)
	}
}

func TestHandlerAddedToRunningInformerGetsReplayFirst(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0), pod("ns", "b", 0))
	inf := newInformer(lw, clock.NewFake(t0))
	run(t, inf)
	waitClosed(t, inf.Synced(), "informer sync")

	rec := newRecorder()
	reg := mustAdd(t, inf, rec)
	waitClosed(t, reg.Synced(), "late handler sync")
	lw.update(pod("ns", "a", 0))
	got := rec.waitFor(t, 3)
	// The replay comes from the cache, in no particular order; the live event follows.
	if !((got[0] == "add ns/a@1 initial" && got[1] == "add ns/b@2 initial") ||
		(got[1] == "add ns/a@1 initial" && got[0] == "add ns/b@2 initial")) || got[2] != "update ns/a@1->3" {
		t.Fatalf("calls %q: want the replay of a and b, then the update", got)
	}
}

func TestRelistAfterGoneDeliversTombstones(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0), pod("ns", "b", 0), pod("ns", "c", 0), pod("ns", "z", 0))
	clk := clock.NewFake(t0)
	inf := newInformer(lw, clk)
	rec := newRecorder()
	mustAdd(t, inf, rec)
	run(t, inf)
	rec.expectCalls(t, "add ns/a@1 initial", "add ns/b@2 initial", "add ns/c@3 initial", "add ns/z@4 initial")

	// The watch has lived a while (one that ends at once without events backs off), then
	// goes down and stays down.
	eventually(t, "the watch", func() bool { _, w := lw.stats(); return len(w) == 1 })
	clk.Step(2 * time.Second)
	release := lw.kill()
	lw.update(pod("ns", "a", 0)) // 5
	lw.del(pod("ns", "b", 0))    // 6
	lw.add(pod("ns", "d", 0))    // 7
	lw.del(pod("ns", "z", 0))    // 8
	lw.compact()
	release()

	rec.expectCalls(t, "add ns/a@1 initial", "add ns/b@2 initial", "add ns/c@3 initial", "add ns/z@4 initial",
		// the relist, in list order: cached objects are updates (even c, unchanged), new ones adds
		"update ns/a@1->5", "update ns/c@3->3", "add ns/d@7",
		// then the objects that vanished, with their last known state
		"delete ns/b@2 unknown", "delete ns/z@4 unknown")
	eventually(t, "the watch after the relist", func() bool { _, w := lw.stats(); return len(w) == 3 })
	lists, watches := lw.stats()
	if lists != 2 {
		t.Errorf("%d lists, want 2", lists)
	}
	if want := []uint64{4, 4, 8}; !equalU(watches, want) {
		t.Errorf("watched from %v, want %v (initial, resume after the kill, after the relist)", watches, want)
	}
	if _, err := inf.Lister().Namespace("ns").Get("b"); !store.IsNotFound(err) {
		t.Errorf("b still cached: %v", err)
	}
}

func equalU(a, b []uint64) bool {
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

func TestWatchEndResumesFromLastRevisionWithoutRelist(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0))
	inf := newInformer(lw, clock.NewFake(t0))
	rec := newRecorder()
	mustAdd(t, inf, rec)
	run(t, inf)
	rec.expectCalls(t, "add ns/a@1 initial")
	lw.update(pod("ns", "a", 0)) // 2
	rec.waitFor(t, 2)

	release := lw.kill()
	lw.update(pod("ns", "a", 0)) // 3, missed by the dead watch
	release()
	rec.expectCalls(t, "add ns/a@1 initial", "update ns/a@1->2", "update ns/a@2->3")
	if lists, watches := lw.stats(); lists != 1 || !equalU(watches, []uint64{1, 2}) {
		t.Errorf("lists %d, watches %v; want 1 list and watches from 1 then 2", lists, watches)
	}
}

func TestFailuresBackOffOnTheClock(t *testing.T) {
	clk := clock.NewFake(t0)
	lw := newFakeLW(pod("ns", "a", 0))
	boom := errors.New("boom")
	lw.failLists(boom, boom)
	lw.failWatches(store.NewInternalError(boom))
	inf := informer.New(lw, informer.Options[*core.Pod]{Clock: clk, MutationCheck: informer.MutationCheckOff})
	run(t, inf)

	// Each failure arms one back-off timer, doubling from 0.8 s with up to 100% jitter.
	for i, base := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond} {
		eventually(t, "a back-off timer", clk.HasWaiters)
		due, _ := clk.NextDue()
		if d := due.Sub(clk.Now()); d < base || d >= 2*base {
			t.Fatalf("back-off %d: %v, want in [%v, %v)", i, d, base, 2*base)
		}
		lists, _ := lw.stats()
		clk.SetTime(due)
		if i < 2 {
			eventually(t, "the next list", func() bool { n, _ := lw.stats(); return n > lists })
		}
	}
	waitClosed(t, inf.Synced(), "sync after the failures")
	eventually(t, "the watch after the back-off", func() bool { _, w := lw.stats(); return len(w) == 2 })
	if _, w := lw.stats(); !equalU(w, []uint64{1, 1}) {
		t.Errorf("watches from %v, want [1 1]: a failed watch is retried from the same revision", w)
	}
}

func TestResyncDeliversUpdatesPerHandlerPeriod(t *testing.T) {
	clk := clock.NewFake(t0)
	lw := newFakeLW(pod("ns", "a", 0), pod("ns", "b", 0))
	inf := informer.New(lw, informer.Options[*core.Pod]{Clock: clk, DefaultResync: time.Minute, MutationCheck: informer.MutationCheckOff})
	every := newRecorder()
	mustAdd(t, inf, every) // DefaultResync: 1 minute
	fast := newRecorder()
	if _, err := inf.AddHandlerWithResync(fast, 10*time.Millisecond); err != nil { // raised to 1 s
		t.Fatal(err)
	}
	never := newRecorder()
	if _, err := inf.AddHandlerWithResync(never, 0); err != nil {
		t.Fatal(err)
	}
	run(t, inf)
	initial := []string{"add ns/a@1 initial", "add ns/b@2 initial"}
	every.expectCalls(t, initial...)
	fast.expectCalls(t, initial...)
	never.expectCalls(t, initial...)

	eventually(t, "the resync timer", clk.HasWaiters)
	if due, _ := clk.NextDue(); due != t0.Add(informer.MinResyncPeriod) {
		t.Fatalf("first resync due at %v, want %v", due, t0.Add(informer.MinResyncPeriod))
	}
	clk.Step(time.Second)
	resync := []string{"update ns/a@1->1", "update ns/b@2->2"}
	got := fast.waitFor(t, 4)
	slices.Sort(got[2:]) // a resync goes through the cache in no particular order
	if !equal(got, append(initial, resync...)) {
		t.Fatalf("after 1s: %q", got)
	}

	// A minute on: both resyncing handlers, but not the one without a period.
	for range 59 {
		eventually(t, "the resync timer", clk.HasWaiters)
		clk.Step(time.Second)
	}
	every.waitFor(t, 4)
	fast.waitFor(t, 2+60*2)
	got = every.snapshot()
	if len(got) != 4 || (got[2] != resync[0] && got[2] != resync[1]) {
		t.Errorf("minute handler: %q", got)
	}
	lw.update(pod("ns", "a", 0)) // 3: never sees it after its initial adds only
	never.expectCalls(t, append(initial, "update ns/a@1->3")...)
}

func TestSlowHandlerDoesNotDelayOthers(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0))
	inf := newInformer(lw, clock.NewFake(t0))
	slow := newRecorder()
	slow.block = make(chan struct{})
	slow.entered = make(chan struct{}, 1)
	fast := newRecorder()
	slowReg := mustAdd(t, inf, slow)
	fastReg := mustAdd(t, inf, fast)
	run(t, inf)
	<-slow.entered // the slow handler is stuck in its first call
	for range 100 {
		lw.update(pod("ns", "a", 0))
	}
	fast.waitFor(t, 101)
	waitClosed(t, fastReg.Synced(), "fast handler sync")
	if slowReg.HasSynced() {
		t.Error("the blocked handler reports synced")
	}
	close(slow.block)
	got := slow.waitFor(t, 101)
	if !equal(got, fast.snapshot()) {
		t.Errorf("slow handler saw %q, fast saw %q", got, fast.snapshot())
	}
	waitClosed(t, slowReg.Synced(), "slow handler sync")
}

func TestRemovedHandlerGetsNothingMore(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0))
	inf := newInformer(lw, clock.NewFake(t0))
	gone, stays := newRecorder(), newRecorder()
	reg := mustAdd(t, inf, gone)
	mustAdd(t, inf, stays)
	run(t, inf)
	gone.expectCalls(t, "add ns/a@1 initial")
	stays.expectCalls(t, "add ns/a@1 initial")
	reg.Remove()
	reg.Remove()
	lw.update(pod("ns", "a", 0))
	stays.expectCalls(t, "add ns/a@1 initial", "update ns/a@1->2")
	if got := gone.snapshot(); len(got) != 1 {
		t.Errorf("removed handler got %q", got)
	}
}

func TestTransformRunsBeforeCaching(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0, "drop=me"))
	inf := newInformer(lw, clock.NewFake(t0))
	if err := inf.SetTransform(func(p *core.Pod) *core.Pod {
		cp := *p // a shallow copy: the argument is shared with the source
		cp.Labels = nil
		cp.Spec.Containers = nil
		return &cp
	}); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	mustAdd(t, inf, rec)
	run(t, inf)
	lw.update(pod("ns", "b", 0, "drop=me"))
	rec.waitFor(t, 2)
	for _, p := range inf.Lister().List(nil) {
		if p.Labels != nil || p.Spec.Containers != nil {
			t.Errorf("%s cached untransformed: %+v", p.Name, p.ObjectMeta)
		}
	}
	if err := inf.SetTransform(nil); !errors.Is(err, informer.ErrStarted) {
		t.Errorf("SetTransform after Run: %v, want ErrStarted", err)
	}
}

func TestDropManagedFields(t *testing.T) {
	p := pod("ns", "a", 1)
	if got := informer.DropManagedFields(p); got != p {
		t.Error("a pod without managed fields was copied")
	}
	p.ManagedFields = []meta.ManagedFieldsEntry{{Manager: "kubectl"}}
	got := informer.DropManagedFields(p)
	if got == p || got.ManagedFields != nil || len(p.ManagedFields) != 1 || got.Name != "a" {
		t.Errorf("DropManagedFields: got %+v from %+v", got.ObjectMeta, p.ObjectMeta)
	}
}

func TestRunOnceAndStoppedInformer(t *testing.T) {
	lw := newFakeLW()
	inf := newInformer(lw, clock.NewFake(t0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- inf.Run(ctx) }()
	waitClosed(t, inf.Synced(), "sync")
	if err := inf.Run(ctx); !errors.Is(err, informer.ErrAlreadyRunning) {
		t.Errorf("second Run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if _, err := inf.AddHandler(newRecorder()); !errors.Is(err, informer.ErrStopped) {
		t.Errorf("AddHandler after Run: %v, want ErrStopped", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	for name, o := range map[string]informer.Options[*core.Pod]{
		"negative resync": {DefaultResync: -time.Second},
		"namespace index": {Indexers: informer.Indexers[*core.Pod]{informer.NamespaceIndex: informer.ControllerUIDIndexFunc[*core.Pod]}},
		"nil index func":  {Indexers: informer.Indexers[*core.Pod]{"x": nil}},
	} {
		if o.Validate() == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
	if err := (informer.Options[*core.Pod]{}).Validate(); err != nil {
		t.Errorf("zero Options: %v", err)
	}
}

func TestWaitForSync(t *testing.T) {
	lw := newFakeLW(pod("ns", "a", 0))
	inf := newInformer(lw, clock.NewFake(t0))
	rec := newRecorder()
	rec.block = make(chan struct{})
	reg := mustAdd(t, inf, rec)
	run(t, inf)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := informer.WaitForSync(ctx, inf, reg)
	if !errors.Is(err, informer.ErrNotSynced) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "1 of 2") {
		t.Errorf("WaitForSync with a blocked handler = %v; want ErrNotSynced for 1 of 2", err)
	}
	close(rec.block)
	if err := informer.WaitForSync(context.Background(), inf, reg); err != nil {
		t.Errorf("WaitForSync = %v", err)
	}
}
