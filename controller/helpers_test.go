package controller_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/storetest"
	"github.com/skiff-dev/skiff/workqueue"
)

func TestMain(m *testing.M) {
	// Every test stops what it starts: no goroutine may outlive the tests.
	goleak.VerifyTestMain(m)
}

// waitTimeout bounds every wait for another goroutine; tests never sleep.
const waitTimeout = 10 * time.Second

// epoch is the fake clocks' start.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// env is a store, a client and an informer factory on a fake clock, and a second fake
// clock for the controllers (so that their queue's timers are the only waiters on it), with
// the Manager methods a Builder needs. Runnables added with Add run until the test ends.
type env struct {
	t         *testing.T
	clock     *clock.Fake // store and informers
	ctrlClock *clock.Fake // controllers: queues, back-off, cache sync timeout
	client    *client.Local
	factory   *informer.Factory
	metrics   *controller.Metrics
	ctx       context.Context

	wg sync.WaitGroup
}

var _ controller.Manager = (*env)(nil)

func newEnv(t *testing.T) *env {
	t.Helper()
	sch := scheme.NewBuiltin()
	e := &env{t: t, clock: clock.NewFake(epoch), ctrlClock: clock.NewFake(epoch)}
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.client = client.NewLocal(st, sch)
	e.factory = informer.NewFactory(st, informer.FactoryOptions{Scheme: sch, Clock: e.clock, Logger: discard})
	ctx, cancel := context.WithCancel(context.Background())
	e.ctx = ctx
	t.Cleanup(func() {
		cancel()
		e.wg.Wait()
		e.factory.Shutdown()
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return e
}

func (e *env) Client() client.Client            { return e.client }
func (e *env) Informers() *informer.Factory     { return e.factory }
func (e *env) Clock() clock.Clock               { return e.ctrlClock }
func (e *env) Logger() logr.Logger              { return discard }
func (e *env) Metrics() *controller.Metrics     { return e.metrics }
func (e *env) Add(r controller.Runnable) error  { e.run(r); return nil }
func (e *env) run(r controller.Runnable) func() { return e.runCtx(e.ctx, r) }

// runCtx starts the factory's new informers and runs r until ctx is done or the test ends;
// the returned function cancels r and waits for it.
func (e *env) runCtx(ctx context.Context, r controller.Runnable) (stop func()) {
	e.factory.Start(e.ctx)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	e.wg.Go(func() {
		defer close(done)
		if err := r.Start(ctx); err != nil {
			e.t.Errorf("%T.Start: %v", r, err)
		}
	})
	return func() {
		cancel()
		<-done
	}
}

// create stores obj and returns it as stored.
func create[T meta.Object](e *env, obj T) T {
	e.t.Helper()
	out, err := client.For[T](e.client).Create(context.Background(), obj)
	if err != nil {
		e.t.Fatalf("create %s: %v", meta.Key(obj), err)
	}
	return out
}

// update applies mutate to the stored object and writes it.
func update[T meta.Object](e *env, ns, name string, mutate func(T)) T {
	e.t.Helper()
	out, err := client.GuaranteedUpdate(context.Background(), client.For[T](e.client), ns, name, func(o T) error {
		mutate(o)
		return nil
	})
	if err != nil {
		e.t.Fatalf("update %s/%s: %v", ns, name, err)
	}
	return out
}

func configMap(name string) *core.ConfigMap { return storetest.ConfigMap("default", name, nil) }

// call is one Reconcile call as a recorder saw it.
type call struct {
	req reconcile.Request
	at  time.Time // on the controller's clock
}

// recorder is a Reconciler that records its calls and returns what its script says: the
// n-th call (from 0) of a request returns script(req, n).
type recorder struct {
	clock  clock.Clock
	script func(req reconcile.Request, n int) (reconcile.Result, error)

	mu    sync.Mutex // guards calls, counts and the changed channel
	calls []call
	count map[reconcile.Request]int
	ch    chan struct{} // closed and replaced on every call
}

func newRecorder(c clock.Clock, script func(reconcile.Request, int) (reconcile.Result, error)) *recorder {
	if script == nil {
		script = func(reconcile.Request, int) (reconcile.Result, error) { return reconcile.Result{}, nil }
	}
	return &recorder{clock: c, script: script, count: map[reconcile.Request]int{}, ch: make(chan struct{})}
}

func (r *recorder) Reconcile(_ context.Context, req reconcile.Request) (reconcile.Result, error) {
	r.mu.Lock()
	n := r.count[req]
	r.count[req] = n + 1
	r.calls = append(r.calls, call{req: req, at: r.clock.Now()})
	close(r.ch)
	r.ch = make(chan struct{})
	r.mu.Unlock()
	return r.script(req, n)
}

// waitCalls waits until at least n calls were made and returns them.
func (r *recorder) waitCalls(t *testing.T, n int) []call {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		calls, ch := append([]call(nil), r.calls...), r.ch
		r.mu.Unlock()
		if len(calls) >= n {
			return calls
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("waited for %d reconciles, got %d: %v", n, len(calls), calls)
		}
	}
}

// eventually polls cond (bounded polling for other goroutines; never the fake clock).
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

// stepToNextDue waits until the controller clock has a pending timer (the queue's delayed
// add) and steps the clock to it; it returns the step.
func (e *env) stepToNextDue(t *testing.T) time.Duration {
	t.Helper()
	var due time.Time
	eventually(t, "a pending timer on the controller clock", func() bool {
		var ok bool
		due, ok = e.ctrlClock.NextDue()
		return ok
	})
	d := due.Sub(e.ctrlClock.Now())
	e.ctrlClock.SetTime(due)
	return d
}

// exponential returns a per-item exponential limiter (base doubling, no shared bucket), so
// that delays are exact.
func exponential(base time.Duration) workqueue.RateLimiter[reconcile.Request] {
	return workqueue.NewItemExponentialFailureRateLimiter[reconcile.Request](base, time.Hour)
}

// newController builds a controller for ConfigMaps on e's informer, without a manager.
func (e *env) newController(name string, r reconcile.Reconciler, opts controller.Options) *controller.Controller {
	e.t.Helper()
	if opts.Clock == nil {
		opts.Clock = e.ctrlClock
	}
	if opts.Logger.GetSink() == nil {
		opts.Logger = discard
	}
	c, err := controller.New(name, r, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := c.Watch(controller.Kind(informer.For[*core.ConfigMap](e.factory), controller.EnqueueObject[*core.ConfigMap]{})); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// metricSum returns the sum of the values of the series of metric name whose labels include
// the given name/value pairs (counters, gauges; histogram sample counts).
func metricSum(t *testing.T, g prometheus.Gatherer, name string, labelPairs ...string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labelPairs); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labelPairs[i] && lp.GetValue() == labelPairs[i+1] {
						found = true
					}
				}
				if !found {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				sum += m.GetCounter().GetValue()
			case m.Gauge != nil:
				sum += m.GetGauge().GetValue()
			case m.Histogram != nil:
				sum += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return sum
}

// hasMetric reports whether g exports a metric family called name.
func hasMetric(t *testing.T, g prometheus.Gatherer, name string) bool {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return true
		}
	}
	return false
}

// discard is a logger that drops everything (discard would mean "the default").
var discard = logr.FromSlogHandler(slog.DiscardHandler)
