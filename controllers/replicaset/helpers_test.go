package replicaset_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/replicaset"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// env is a bbolt store and a manager running the ReplicaSet controller on a fake clock.
// Nothing schedules or runs pods: tests bind them and write their status by hand.
type env struct {
	t      *testing.T
	ctx    context.Context
	Clock  *clock.Fake
	Client client.Client
	rss    *client.Typed[*apps.ReplicaSet]
	pods   *client.Typed[*core.Pod]
}

// newEnv starts the controller; admit, when set, is the store's admission hook. The manager
// is stopped and the store closed when the test ends.
func newEnv(t *testing.T, opts replicaset.Options, admit store.AdmitFunc) *env {
	t.Helper()
	sch := scheme.NewBuiltin()
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clk, Admit: admit})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewLocal(st, sch)
	mgr, err := manager.New(manager.Options{Client: c, Clock: clk, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := replicaset.Add(mgr, opts); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	select {
	case <-mgr.Ready():
	case err := <-done:
		t.Fatalf("the manager stopped: %v", err)
	}
	return &env{t: t, ctx: context.Background(), Clock: clk, Client: c,
		rss: client.For[*apps.ReplicaSet](c), pods: client.For[*core.Pod](c)}
}

// testLogger logs errors only, to the test's log (shown when it fails).
func testLogger(t *testing.T) logr.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.close)
	return logr.FromSlogHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelError}))
}

// testWriter writes to a test's log until the test ends.
type testWriter struct {
	mu     sync.Mutex // guards closed and serializes t.Log
	t      *testing.T
	closed bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(strings.TrimSuffix(string(b), "\n"))
	}
	return len(b), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}

func newReplicaSet(name string, replicas int32) *apps.ReplicaSet {
	lbls := map[string]string{"app": name}
	return &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: apps.ReplicaSetSpec{
			Replicas: new(replicas),
			Selector: &meta.LabelSelector{MatchLabels: lbls},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbls},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx:1.27"}}},
			},
		},
	}
}

func (e *env) create(rs *apps.ReplicaSet) *apps.ReplicaSet {
	e.t.Helper()
	rs, err := e.rss.Create(e.ctx, rs)
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func (e *env) get(name string) *apps.ReplicaSet {
	e.t.Helper()
	rs, err := e.rss.Get(e.ctx, ns, name)
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func (e *env) scale(name string, replicas int32) {
	e.t.Helper()
	if _, err := client.GuaranteedUpdate(e.ctx, e.rss, ns, name, func(rs *apps.ReplicaSet) error {
		rs.Spec.Replicas = new(replicas)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// activePods returns the active pods controlled by the named ReplicaSet, by name.
func (e *env) activePods(name string) []*core.Pod {
	e.t.Helper()
	rs := e.get(name)
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*core.Pod
	for _, p := range l.Items {
		if core.IsPodActive(p) && meta.IsControlledBy(p, rs) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *core.Pod) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// eventually waits for cond, stepping the fake clock by step (if not 0) between polls, so
// that rate-limited retries and delayed requeues fire.
func (e *env) eventually(what string, step time.Duration, cond func() bool) {
	e.t.Helper()
	opts := []planetest.WaitOption{planetest.Message("%s", what), planetest.Within(20 * time.Second)}
	if step > 0 {
		opts = append(opts, planetest.Stepping(e.Clock, step))
	}
	planetest.Eventually(e.t, cond, opts...)
}

// settled waits until the ReplicaSet has n active pods and a status that says so for its
// current generation.
func (e *env) settled(name string, n int) []*core.Pod {
	e.t.Helper()
	var pods []*core.Pod
	e.eventually(fmt.Sprintf("%s with %d pods", name, n), 0, func() bool {
		pods = e.activePods(name)
		rs := e.get(name)
		return len(pods) == n && rs.Status.Replicas == int32(n) && rs.Status.ObservedGeneration == rs.Generation
	})
	return pods
}

// setPod binds a pod to node (if not empty and not bound yet) and sets its phase and
// readiness, ready since the fake clock's now.
func (e *env) setPod(name, node string, phase core.PodPhase, ready bool) {
	e.t.Helper()
	if node != "" {
		if _, err := client.GuaranteedUpdate(e.ctx, e.pods, ns, name, func(p *core.Pod) error {
			if p.Spec.NodeName == "" {
				p.Spec.NodeName = node
			}
			return nil
		}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := client.GuaranteedUpdateStatus(e.ctx, e.pods, ns, name, func(p *core.Pod) error {
		p.Status.Phase = phase
		st := core.ConditionFalse
		if ready {
			st = core.ConditionTrue
		}
		core.UpdatePodCondition(&p.Status, &core.PodCondition{Type: core.PodReady, Status: st,
			LastTransitionTime: meta.NewTime(e.Clock.Now())})
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// events returns the messages of the events recorded about the named ReplicaSet with reason.
func (e *env) events(name, reason string) []string {
	e.t.Helper()
	l, err := client.For[*core.Event](e.Client).List(e.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range l.Items {
		if ev.InvolvedObject.Name == name && ev.InvolvedObject.Kind == "ReplicaSet" && ev.Reason == reason {
			out = append(out, ev.Message)
		}
	}
	return out
}

func podNames(pods []*core.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

func selectorOf(rs *apps.ReplicaSet) labels.Selector {
	sel, err := labels.FromLabelSelector(rs.Spec.Selector)
	if err != nil {
		panic(err)
	}
	return sel
}
