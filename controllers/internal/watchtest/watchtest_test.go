package watchtest_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/internal/watchtest"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// deferredTB is a testing.TB whose cleanups run when the test says, and whose errors are
// recorded instead of failing the test: to check what a watch reports at its end.
type deferredTB struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (d *deferredTB) Cleanup(f func()) { d.cleanups = append(d.cleanups, f) }

func (d *deferredTB) Errorf(format string, args ...any) {
	d.errors = append(d.errors, fmt.Sprintf(format, args...))
}

func (d *deferredTB) runCleanups() {
	for i := len(d.cleanups) - 1; i >= 0; i-- {
		d.cleanups[i]()
	}
}

func newConfigMap(name string) *core.ConfigMap {
	return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name}, Data: map[string]string{"v": "1"}}
}

// TestCheckSeesStateBeforeEachEvent checks that a check gets every change in store order,
// with the objects as they were just before it, and that After applies the event.
func TestCheckSeesStateBeforeEachEvent(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	cms := client.For[*core.ConfigMap](env.Client)
	ctx := context.Background()

	// mu guards seen.
	var mu sync.Mutex
	var seen []string
	w := watchtest.Start(t, cms, "default", func(before map[string]*core.ConfigMap, ev client.Event[*core.ConfigMap]) string {
		after := watchtest.After(before, ev)
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%s %s: %d before, %d after", ev.Type, ev.Object.Name, len(before), len(after)))
		return ""
	})
	if _, err := cms.Create(ctx, newConfigMap("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Create(ctx, newConfigMap("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GuaranteedUpdate(ctx, cms, "default", "a", func(cm *core.ConfigMap) error {
		cm.Data["v"] = "2"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Delete(ctx, "default", "b"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ADDED a: 0 before, 1 after",
		"ADDED b: 1 before, 2 after",
		"MODIFIED a: 2 before, 2 after",
		"DELETED b: 2 before, 1 after",
	}
	planetest.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) >= len(want)
	}, planetest.Message("%d events", len(want)))
	mu.Lock()
	got := slices.Clone(seen)
	mu.Unlock()
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
	if p := w.Problems(); len(p) != 0 {
		t.Errorf("problems %q, want none", p)
	}
}

// TestViolationsFailAtTheEnd checks that what a check returns is reported as a violation
// when the test ends, and only then.
func TestViolationsFailAtTheEnd(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	cms := client.For[*core.ConfigMap](env.Client)
	d := &deferredTB{TB: t}
	w := watchtest.Start(d, cms, "default", func(before map[string]*core.ConfigMap, ev client.Event[*core.ConfigMap]) string {
		if ev.Type == store.Added && len(before) > 0 {
			return ev.Object.Name + " created while another exists"
		}
		return ""
	})
	for _, name := range []string{"a", "b"} {
		if _, err := cms.Create(context.Background(), newConfigMap(name)); err != nil {
			t.Fatal(err)
		}
	}
	planetest.Eventually(t, func() bool { return len(w.Problems()) > 0 }, planetest.Message("a violation"))
	if len(d.errors) != 0 {
		t.Fatalf("reported before the end: %q", d.errors)
	}
	d.runCleanups()
	if want := []string{"invariant violated: b created while another exists"}; !slices.Equal(d.errors, want) {
		t.Errorf("reported %q, want %q", d.errors, want)
	}
}
