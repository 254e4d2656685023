package leaderelection_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/manager/leaderelection"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const waitTimeout = 10 * time.Second

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// world is one store shared by candidates, whose elections run on one fake clock.
type world struct {
	t      *testing.T
	clock  *clock.Fake
	client *client.Local

	leaders   atomic.Int32 // candidates inside OnStartedLeading
	violation atomic.Bool  // two were at once
	wg        sync.WaitGroup

	mu         sync.Mutex // guards candidates
	candidates []*candidate
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sch := scheme.NewBuiltin()
	w := &world{t: t, clock: clock.NewFake(epoch)}
	// The store has a clock of its own, so that the election clock has only the
	// candidates' timers (see settled).
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(epoch)})
	if err != nil {
		t.Fatal(err)
	}
	w.client = client.NewLocal(st, sch)
	t.Cleanup(func() {
		w.wg.Wait()
		if err := st.Close(); err != nil {
			t.Error(err)
		}
		if w.violation.Load() {
			t.Error("two candidates led at once")
		}
	})
	return w
}

// candidate is one elector of the world, with a client that can be cut off from the store.
type candidate struct {
	id      string
	elector *leaderelection.Elector
	cut     *cutClient
	leading atomic.Bool // inside OnStartedLeading
	cancel  context.CancelFunc
	done    chan struct{}
}

// start runs a new candidate until the test ends or stop.
func (w *world) start(id string) *candidate {
	w.t.Helper()
	c := &candidate{id: id, cut: &cutClient{Client: w.client}, done: make(chan struct{})}
	e, err := leaderelection.New(leaderelection.Options{
		Client: c.cut, Namespace: "kube-system", Name: "lock", Identity: id,
		Clock: w.clock, Logger: logr.FromSlogHandler(slog.DiscardHandler),
		OnStartedLeading: func(ctx context.Context) {
			if w.leaders.Add(1) > 1 {
				w.violation.Store(true)
			}
			c.leading.Store(true)
			<-ctx.Done()
			c.leading.Store(false)
			w.leaders.Add(-1)
		},
	})
	if err != nil {
		w.t.Fatal(err)
	}
	c.elector = e
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	w.wg.Go(func() {
		defer close(c.done)
		if err := e.Run(ctx); err != nil {
			w.t.Errorf("Run: %v", err)
		}
	})
	w.t.Cleanup(c.stop)
	w.mu.Lock()
	w.candidates = append(w.candidates, c)
	w.mu.Unlock()
	return c
}

// stop cancels the candidate and waits for Run to return.
func (c *candidate) stop() {
	c.cancel()
	<-c.done
}

// settled reports whether the candidates are quiescent: each running one is asleep on its
// retry timer (a leader also has its renew-deadline timer), and each one's OnStartedLeading
// runs exactly while its elector says it leads. The fake clock moves only when the test
// steps it; stepping before the candidates have acted on the last step would let it run
// ahead of them, which a real clock never does.
func (w *world) settled() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	want := 0
	for _, c := range w.candidates {
		select {
		case <-c.done:
			continue
		default:
		}
		want++
		if c.elector.IsLeader() {
			want++
		}
		if c.leading.Load() != c.elector.IsLeader() {
			return false
		}
	}
	return w.clock.Waiters() == want
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// step advances the clock by d and waits until the candidates have settled.
func (w *world) step(d time.Duration) {
	w.t.Helper()
	w.clock.Step(d)
	eventually(w.t, "candidates to settle", w.settled)
}

func (w *world) lease() *coordination.Lease {
	w.t.Helper()
	l, err := client.For[*coordination.Lease](w.client).Get(context.Background(), "kube-system", "lock")
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// cutClient is a client whose requests fail while it is cut off: a network partition.
type cutClient struct {
	client.Client
	off atomic.Bool
}

var errCut = store.NewServerTimeout(scheme.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}, "lock", "get")

func (c *cutClient) Get(ctx context.Context, gvk scheme.GroupVersionKind, ns, name string) (meta.Object, error) {
	if c.off.Load() {
		return nil, errCut
	}
	return c.Client.Get(ctx, gvk, ns, name)
}

func (c *cutClient) Update(ctx context.Context, obj meta.Object, opts store.UpdateOptions) (meta.Object, error) {
	if c.off.Load() {
		return nil, errCut
	}
	return c.Client.Update(ctx, obj, opts)
}

func (c *cutClient) Create(ctx context.Context, obj meta.Object, opts store.CreateOptions) (meta.Object, error) {
	if c.off.Load() {
		return nil, errCut
	}
	return c.Client.Create(ctx, obj, opts)
}

// leaderOf returns the one candidate that leads, failing if there is not exactly one.
func leaderOf(t *testing.T, cs ...*candidate) *candidate {
	t.Helper()
	var l *candidate
	for _, c := range cs {
		if c.elector.IsLeader() {
			if l != nil {
				t.Fatalf("%s and %s both lead", l.id, c.id)
			}
			l = c
		}
	}
	if l == nil {
		t.Fatal("no candidate leads")
	}
	return l
}

func TestExactlyOneLeads(t *testing.T) {
	w := newWorld(t)
	cs := []*candidate{w.start("a"), w.start("b"), w.start("c")}
	eventually(t, "a leader", func() bool { return w.leaders.Load() == 1 && w.settled() })
	leader := leaderOf(t, cs...)
	for range 10 { // renewals keep the same leader; the others keep trying
		w.step(leaderelection.DefaultRetryPeriod)
		if l := leaderOf(t, cs...); l != leader {
			t.Fatalf("leadership moved from %s to %s while %s renewed", leader.id, l.id, leader.id)
		}
	}
	for _, c := range cs {
		if got := c.elector.Leader(); got != leader.id {
			t.Errorf("%s sees leader %q, want %q", c.id, got, leader.id)
		}
	}
	l := w.lease()
	if *l.Spec.HolderIdentity != leader.id || *l.Spec.LeaseDurationSeconds != 15 || *l.Spec.LeaseTransitions != 0 {
		t.Fatalf("lease spec = %+v", l.Spec)
	}
	if !l.Spec.RenewTime.Time.Equal(w.clock.Now()) || !l.Spec.AcquireTime.Time.Equal(epoch) {
		t.Fatalf("renewTime %v acquireTime %v, want %v and %v", l.Spec.RenewTime, l.Spec.AcquireTime, w.clock.Now(), epoch)
	}
}

// TestHandOverOnStop checks that a leader that stops releases the Lease once its work has
// stopped, and that the next candidate takes over at its next try, well within the lease
// duration.
func TestHandOverOnStop(t *testing.T) {
	w := newWorld(t)
	a := w.start("a")
	eventually(t, "a to lead", func() bool { return a.leading.Load() && w.settled() })
	b := w.start("b")
	w.step(leaderelection.DefaultRetryPeriod) // b has seen a's lease
	a.stop()
	if l := w.lease(); *l.Spec.HolderIdentity != "" {
		t.Fatalf("lease still held by %q after a stopped", *l.Spec.HolderIdentity)
	}
	var waited time.Duration
	for !b.leading.Load() {
		if waited >= leaderelection.DefaultLeaseDuration {
			t.Fatalf("b did not take over within the lease duration")
		}
		w.step(time.Second)
		waited += time.Second
	}
	if waited > leaderelection.DefaultRetryPeriod {
		t.Errorf("hand-over took %v, want at most one retry period", waited)
	}
	if l := w.lease(); *l.Spec.HolderIdentity != "b" || *l.Spec.LeaseTransitions != 1 {
		t.Fatalf("lease after hand-over: %+v", l.Spec)
	}
}

// TestNoTwoLeadersWhenCutOff cuts the leader off from the store: it must stop leading at its
// renew deadline, before the other candidate may take over at the lease duration, with
// never two leaders at once; once reconnected it stays a candidate.
func TestNoTwoLeadersWhenCutOff(t *testing.T) {
	w := newWorld(t)
	a := w.start("a")
	eventually(t, "a to lead", func() bool { return a.leading.Load() })
	a.cut.off.Store(true) // a acquired at epoch and never renews again
	b := w.start("b")
	eventually(t, "b to see a's lease", func() bool { return b.elector.Leader() == "a" && w.settled() })

	var aStopped, bStarted time.Duration
	for elapsed := time.Duration(0); elapsed < 30*time.Second; {
		w.step(time.Second)
		elapsed += time.Second
		if a.elector.IsLeader() && b.elector.IsLeader() {
			t.Fatalf("both lead at +%v", elapsed)
		}
		if aStopped == 0 && !a.elector.IsLeader() {
			aStopped = elapsed
		}
		if bStarted == 0 && b.elector.IsLeader() {
			bStarted = elapsed
		}
	}
	if aStopped != leaderelection.DefaultRenewDeadline {
		t.Errorf("a stopped leading at +%v, want at its renew deadline +%v", aStopped, leaderelection.DefaultRenewDeadline)
	}
	if bStarted < leaderelection.DefaultLeaseDuration || bStarted > leaderelection.DefaultLeaseDuration+leaderelection.DefaultRetryPeriod {
		t.Errorf("b took over at +%v, want within a retry period after the lease duration %v", bStarted, leaderelection.DefaultLeaseDuration)
	}
	a.cut.off.Store(false)
	for range 5 {
		w.step(leaderelection.DefaultRetryPeriod)
	}
	if leaderOf(t, a, b) != b {
		t.Fatal("a took the lease back from b")
	}
}

func TestOptionsValidate(t *testing.T) {
	c := newWorld(t).client
	valid := leaderelection.Options{Client: c, Namespace: "ns", Name: "n", Identity: "me", OnStartedLeading: func(context.Context) {}}
	tests := []struct {
		name   string
		change func(*leaderelection.Options)
		ok     bool
	}{
		{"valid", func(*leaderelection.Options) {}, true},
		{"no client", func(o *leaderelection.Options) { o.Client = nil }, false},
		{"no name", func(o *leaderelection.Options) { o.Name = "" }, false},
		{"no identity", func(o *leaderelection.Options) { o.Identity = "" }, false},
		{"no callback", func(o *leaderelection.Options) { o.OnStartedLeading = nil }, false},
		{"renew deadline not below lease", func(o *leaderelection.Options) { o.RenewDeadline = 15 * time.Second }, false},
		{"retry not below renew deadline", func(o *leaderelection.Options) { o.RetryPeriod = 10 * time.Second }, false},
		{"fractional lease", func(o *leaderelection.Options) { o.LeaseDuration = 15500 * time.Millisecond }, false},
		{"negative", func(o *leaderelection.Options) { o.RetryPeriod = -1 }, false},
		{"custom", func(o *leaderelection.Options) {
			o.LeaseDuration, o.RenewDeadline, o.RetryPeriod = 4*time.Second, 2*time.Second, time.Second
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid
			tt.change(&o)
			_, err := leaderelection.New(o)
			if (err == nil) != tt.ok {
				t.Fatalf("New: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestRunTwice(t *testing.T) {
	w := newWorld(t)
	a := w.start("a")
	eventually(t, "a to lead", func() bool { return a.leading.Load() })
	if err := a.elector.Run(context.Background()); !errors.Is(err, leaderelection.ErrAlreadyRunning) {
		t.Fatalf("second Run: %v", err)
	}
}
