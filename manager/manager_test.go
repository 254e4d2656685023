package manager_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

func TestLifecycle(t *testing.T) {
	clk := clock.NewFake(epoch)
	m := newManager(t, openStore(t, nil, clk), clk, nil)
	before := &probe{name: "before", leader: true}
	if err := m.Add(before); err != nil {
		t.Fatal(err)
	}
	if err := m.Add(&probe{name: "before"}); !errors.Is(err, manager.ErrDuplicateName) {
		t.Fatalf("duplicate name: %v", err)
	}
	r := start(t, m)
	waitFor(t, "ready", m.Ready())
	eventually(t, "the first runnable", func() bool { return before.running.Load() == 1 })
	if !m.IsLeader() {
		t.Error("without leader election a running manager leads")
	}
	if err := m.Start(context.Background()); !errors.Is(err, manager.ErrAlreadyStarted) {
		t.Fatalf("second Start: %v", err)
	}

	during := &probe{name: "during"}
	if err := m.Add(during); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the runnable added while running", func() bool { return during.running.Load() == 1 })
	if err := m.Remove(during); err != nil {
		t.Fatal(err)
	}
	if during.running.Load() != 0 {
		t.Fatal("Remove returned before the runnable stopped")
	}
	if err := m.Remove(during); !errors.Is(err, manager.ErrUnknownRunnable) {
		t.Fatalf("second Remove: %v", err)
	}
	if err := m.Add(&probe{name: "during"}); err != nil { // the name is free again
		t.Fatal(err)
	}

	if err := r.stop(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if before.running.Load() != 0 {
		t.Fatal("Start returned before its runnables stopped")
	}
	if err := m.Add(&probe{name: "after"}); !errors.Is(err, manager.ErrStopped) {
		t.Fatalf("Add after stop: %v", err)
	}
}

func TestRunnableErrorStopsManager(t *testing.T) {
	clk := clock.NewFake(epoch)
	m := newManager(t, openStore(t, nil, clk), clk, nil)
	ok := &probe{name: "ok"}
	_ = m.Add(ok)
	r := start(t, m)
	waitFor(t, "ready", m.Ready())
	_ = m.Add(&probe{name: "bad", err: errFailed})
	if err := r.wait(t); !errors.Is(err, errFailed) {
		t.Fatalf("Start = %v, want the runnable's error", err)
	}
	if ok.running.Load() != 0 {
		t.Fatal("the other runnables were not stopped")
	}
}

func TestGracefulShutdownTimeout(t *testing.T) {
	clk := clock.NewFake(epoch)
	m := newManager(t, openStore(t, nil, clk), clk, func(o *manager.Options) { o.GracefulShutdownTimeout = 5 * time.Second })
	stuck := &probe{name: "stuck", ignoreStop: make(chan struct{})}
	defer close(stuck.ignoreStop)
	_ = m.Add(stuck)
	r := start(t, m)
	waitFor(t, "ready", m.Ready())
	eventually(t, "the runnable", func() bool { return stuck.running.Load() == 1 })
	r.cancel()
	eventually(t, "the shutdown timer", func() bool {
		select {
		case <-r.done:
			return true
		default:
		}
		clk.Step(time.Second) // the timer is armed after the cancel is seen
		return false
	})
	if !errors.Is(r.err, manager.ErrShutdownTimeout) {
		t.Fatalf("Start = %v, want ErrShutdownTimeout", r.err)
	}
}

// TestAddRemoveController adds a controller to a running manager and removes it: its
// handlers and goroutines go away with it; the shared informer stays.
func TestAddRemoveController(t *testing.T) {
	clk := clock.NewFake(epoch)
	c := openStore(t, nil, clk)
	m := newManager(t, c, clk, nil)
	informer.For[*core.ConfigMap](m.Informers()) // the shared informer exists before the controller
	start(t, m)
	waitFor(t, "ready", m.Ready())
	cms := client.For[*core.ConfigMap](c)
	if _, err := cms.Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "a"}}); err != nil {
		t.Fatal(err)
	}
	baseline := goleak.IgnoreCurrent()

	reconciled := make(chan reconcile.Request, 10)
	ctrl, err := controller.NewBuilder[*core.ConfigMap](m).WithWorkers(3).Build(reconcile.Func(
		func(_ context.Context, req reconcile.Request) (reconcile.Result, error) {
			reconciled <- req
			return reconcile.Result{}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case req := <-reconciled:
		if req.Name != "a" {
			t.Fatalf("reconciled %v", req)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the added controller did not reconcile")
	}
	if _, err := controller.NewBuilder[*core.ConfigMap](m).Build(reconcile.Func(nil)); !errors.Is(err, manager.ErrDuplicateName) {
		t.Fatalf("second controller of the same name: %v", err)
	}
	if err := m.Remove(ctrl); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, baseline)
	if _, err := cms.Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "b"}}); err != nil {
		t.Fatal(err)
	}
	// Re-adding the removed controller runs it again, from the informer's cache.
	if err := m.Add(ctrl); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-reconciled:
		case <-time.After(waitTimeout):
			t.Fatal("the re-added controller did not reconcile")
		}
	}
}

// widget is a kind the manager's scheme has and the store's has not.
type widget struct {
	meta.TypeMeta
	meta.ObjectMeta
}

func (w *widget) DeepCopyObject() meta.Object { c := *w; return &c }

var widgetGVK = scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}

// withWidgets returns a client over the same store whose scheme also has widgets.
func withWidgets(t *testing.T, c *client.Local) client.Client {
	sch := scheme.NewBuiltin()
	scheme.MustRegister(sch, scheme.Kind[*widget]{GVK: widgetGVK, Plural: "widgets", Namespaced: true})
	return schemeClient{Client: c, sch: sch}
}

type schemeClient struct {
	client.Client
	sch *scheme.Scheme
}

func (s schemeClient) Scheme() *scheme.Scheme { return s.sch }

// TestUnknownKindFailsStart checks that a cache that cannot sync — a kind the store does not
// know — fails Start after the cache sync timeout with an error naming the kind, whether the
// controller was there at start or added later.
func TestUnknownKindFailsStart(t *testing.T) {
	noop := reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) { return reconcile.Result{}, nil })
	t.Run("at start", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		m := newManager(t, withWidgets(t, openStore(t, nil, clk)), clk, func(o *manager.Options) { o.CacheSyncTimeout = time.Minute })
		if err := controller.NewBuilder[*widget](m).Complete(noop); err != nil {
			t.Fatal(err)
		}
		r := start(t, m)
		stepUntilDone(t, clk, r, 10*time.Second)
		if !errors.Is(r.err, manager.ErrCacheSyncTimeout) || !strings.Contains(r.err.Error(), "Widget.v1.example.com") {
			t.Fatalf("Start = %v, want ErrCacheSyncTimeout naming Widget.v1.example.com", r.err)
		}
	})
	t.Run("added later", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		m := newManager(t, withWidgets(t, openStore(t, nil, clk)), clk, nil)
		r := start(t, m)
		waitFor(t, "ready", m.Ready())
		err := controller.NewBuilder[*widget](m).WithOptions(controller.Options{CacheSyncTimeout: time.Minute}).Complete(noop)
		if err != nil {
			t.Fatal(err)
		}
		stepUntilDone(t, clk, r, 10*time.Second)
		if !errors.Is(r.err, controller.ErrCacheSyncTimeout) || !strings.Contains(r.err.Error(), "Widget.v1.example.com") {
			t.Fatalf("Start = %v, want ErrCacheSyncTimeout naming Widget.v1.example.com", r.err)
		}
	})
}

// stepUntilDone steps clk by d until the manager's Start returns.
func stepUntilDone(t *testing.T, clk *clock.Fake, r *running, d time.Duration) {
	t.Helper()
	eventually(t, "Start to return", func() bool {
		select {
		case <-r.done:
			return true
		default:
			clk.Step(d)
			return false
		}
	})
}

func TestOptionsValidate(t *testing.T) {
	c := openStore(t, nil, nil)
	tests := []struct {
		name string
		opts manager.Options
		ok   bool
	}{
		{"minimal", manager.Options{Client: c}, true},
		{"no client", manager.Options{}, false},
		{"negative timeout", manager.Options{Client: c, GracefulShutdownTimeout: -1}, false},
		{"leader election", manager.Options{Client: c, LeaderElection: manager.LeaderElection{Enabled: true}}, true},
		{"bad lease durations", manager.Options{Client: c, LeaderElection: manager.LeaderElection{
			Enabled: true, LeaseDuration: time.Second, RenewDeadline: 2 * time.Second}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opts.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
