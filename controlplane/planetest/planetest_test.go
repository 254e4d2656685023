package planetest_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestControllerOnFakeClock adds a controller that requeues itself every minute and drives
// it with the plane's fake clock.
func TestControllerOnFakeClock(t *testing.T) {
	began := time.Now()
	p := planetest.Start(t)
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("the plane took %v to start", d)
	}
	if !p.Clock.Now().Equal(planetest.Epoch) {
		t.Fatalf("clock at %v, want %v", p.Clock.Now(), planetest.Epoch)
	}
	var n atomic.Int32
	err := controller.NewBuilder[*core.ConfigMap](p.Manager()).Complete(reconcile.Func(
		func(context.Context, reconcile.Request) (reconcile.Result, error) {
			n.Add(1)
			return reconcile.Result{RequeueAfter: time.Minute}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	cms := client.For[*core.ConfigMap](p.Client())
	if _, err := cms.Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "a"}}); err != nil {
		t.Fatal(err)
	}
	p.Eventually(func() bool { return n.Load() == 1 })
	p.Eventually(func() bool { return n.Load() >= 3 }, p.Step(time.Minute), planetest.Message("two requeues"))
	if p.Clock.Now().Before(planetest.Epoch.Add(2 * time.Minute)) {
		t.Fatalf("three reconciles by %v: the requeues did not wait", p.Clock.Now())
	}
}

// fakeT records a failure instead of ending the test.
type fakeT struct {
	testing.TB
	mu     sync.Mutex
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func TestEventuallyFails(t *testing.T) {
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		planetest.Eventually(ft, func() bool { return false }, planetest.Within(20*time.Millisecond), planetest.Message("the impossible"))
	}()
	<-done
	if ft.failed == "" {
		t.Fatal("Eventually did not fail")
	}
	t.Log(ft.failed)
}

// widget is a user kind.
type widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitzero"`
	Spec            struct {
		Size int `json:"size"`
	} `json:"spec"`
}

func (w *widget) DeepCopyObject() meta.Object {
	c := *w
	c.ObjectMeta = *w.ObjectMeta.DeepCopy()
	return &c
}

func TestUserKindAndConfig(t *testing.T) {
	sch := scheme.NewBuiltin()
	scheme.MustRegister(sch, scheme.Kind[*widget]{
		GVK: scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}, Plural: "widgets", Namespaced: true,
	})
	p := planetest.Start(t, planetest.WithScheme(sch), planetest.WithConfig(func(c *controlplane.Config) {
		c.HealthAddr = "127.0.0.1:0"
	}))
	if p.Manager().HealthAddr() == "" {
		t.Fatal("WithConfig was not applied")
	}
	widgets := client.For[*widget](p.Client())
	w := &widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "w"}}
	w.Spec.Size = 3
	if _, err := widgets.Create(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	l, err := widgets.List(context.Background(), store.ListOptions{Namespace: "default"})
	if err != nil || len(l.Items) != 1 || l.Items[0].Spec.Size != 3 {
		t.Fatalf("list = %+v, %v", l, err)
	}
}
