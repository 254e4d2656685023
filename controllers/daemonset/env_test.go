package daemonset_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/daemonset"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/faultstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// mode is how a scenario runs: on the plane's own manager, or on a second manager whose
// writes go through a fault-injecting store (conflicts and transient errors).
type mode struct {
	name   string
	faults bool
}

var modes = []mode{{name: "plain"}, {name: "faults", faults: true}}

// env is a test control plane (fake clock, simulated nodes) running the DaemonSet
// controller.
type env struct {
	t     testing.TB
	ctx   context.Context
	p     *planetest.Plane
	c     client.Client // the plane's own client: the test's writes never fail
	dss   *client.Typed[*apps.DaemonSet]
	pods  *client.Typed[*core.Pod]
	nodes *client.Typed[*core.Node]
	revs  *client.Typed[*apps.ControllerRevision]
	fault *faultstore.Store // nil without faults
}

// startEnv starts a plane with count nodes (node-1 …) whose containers start after a second
// and are ready at once, and adds the controller: to the plane's manager or, with faults, to
// a manager of its own writing through faultstore.
func startEnv(t testing.TB, m mode, count int) *env {
	t.Helper()
	p := planetest.Start(t, planetest.WithLogger(quietLogger()), planetest.WithConfig(func(c *controlplane.Config) {
		c.Nodes.Count = count
		c.Nodes.StartupDelay = time.Second
		// The built-in controllers are off: each test runs its own instance of this one.
		c.Controllers.Disabled = true
	}))
	e := &env{t: t, ctx: context.Background(), p: p, c: p.Client()}
	e.dss = client.For[*apps.DaemonSet](e.c)
	e.pods = client.For[*core.Pod](e.c)
	e.nodes = client.For[*core.Node](e.c)
	e.revs = client.For[*apps.ControllerRevision](e.c)
	mgr := p.Manager()
	if m.faults {
		e.fault = faultstore.New(p.Store(), faultstore.Options{Scheme: p.Scheme(), ConflictRate: 0.15, TransientRate: 0.15})
		mgr = startFaultyManager(t, p, e.fault)
		t.Cleanup(func() {
			n := e.fault.Counts()
			t.Logf("faults injected: %d conflicts, %d transient errors, %d writes passed", n.Conflicts, n.Transients, n.Passed)
			if n.Conflicts+n.Transients == 0 {
				t.Error("no fault was injected")
			}
		})
	}
	if err := daemonset.Add(mgr, daemonset.Options{}); err != nil {
		t.Fatal(err)
	}
	return e
}

// startFaultyManager runs a manager over fs until the end of the test.
func startFaultyManager(t testing.TB, p *planetest.Plane, fs *faultstore.Store) *manager.Manager {
	t.Helper()
	mgr, err := manager.New(manager.Options{Client: client.NewLocal(fs, p.Scheme()), Clock: p.Clock, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("faulty manager: %v", err)
		}
	})
	select {
	case <-mgr.Ready():
	case err := <-done:
		t.Fatalf("faulty manager stopped: %v", err)
	}
	return mgr
}

// quietLogger discards logs: the controllers log every injected fault.
func quietLogger() logr.Logger { return logr.FromSlogHandler(slog.NewTextHandler(io.Discard, nil)) }

// eventually waits for cond, moving the fake clock a second at a time (see step).
func (e *env) eventually(msg string, cond func() bool) {
	e.t.Helper()
	planetest.Eventually(e.t, func() bool {
		if cond() {
			return true
		}
		e.step()
		return false
	}, planetest.Message("%s", msg), planetest.Within(time.Minute))
}

// step moves the fake clock one second if the kubelets have caught up with it. Moving it
// faster than they renew their leases would make the node lifecycle controller find the
// nodes unreachable and their pods not ready.
func (e *env) step() {
	if st := e.p.Kubelets().Stats(); st.Queued == 0 && st.Syncing == 0 {
		e.p.Clock.Step(time.Second)
	}
}

// advance moves the fake clock by d, a second at a time (see step).
func (e *env) advance(d time.Duration) {
	e.t.Helper()
	end := e.p.Clock.Now().Add(d)
	e.eventually(fmt.Sprintf("the clock to advance %v", d), func() bool { return !e.p.Clock.Now().Before(end) })
}

// addNode starts a kubelet for a new node and waits until its Node exists.
func (e *env) addNode(name string, lbls map[string]string, taints ...core.Taint) {
	e.t.Helper()
	if err := e.p.Kubelets().AddNode(kubelet.NodeConfig{Name: name, Labels: lbls, Taints: taints}); err != nil {
		e.t.Fatal(err)
	}
	planetest.Eventually(e.t, func() bool {
		_, err := e.nodes.Get(e.ctx, "", name)
		return err == nil
	}, planetest.Message("node %s registered", name))
}

// updateNode changes a node with mutate.
func (e *env) updateNode(name string, mutate func(*core.Node)) {
	e.t.Helper()
	if _, err := client.GuaranteedUpdate(e.ctx, e.nodes, "", name, func(n *core.Node) error {
		mutate(n)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// newDS returns a DaemonSet "name" for Linux nodes.
func newDS(name string, mutate ...func(*apps.DaemonSet)) *apps.DaemonSet {
	lbls := map[string]string{"app": name}
	ds := &apps.DaemonSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: apps.DaemonSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: lbls},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbls},
				Spec: core.PodSpec{
					NodeSelector: map[string]string{core.LabelOSStable: "linux"},
					Containers:   []core.Container{{Name: "agent", Image: "agent:1.0"}},
				},
			},
		},
	}
	for _, m := range mutate {
		m(ds)
	}
	return ds
}

func (e *env) create(ds *apps.DaemonSet) {
	e.t.Helper()
	if _, err := e.dss.Create(e.ctx, ds); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) update(name string, mutate func(*apps.DaemonSet)) {
	e.t.Helper()
	if _, err := client.GuaranteedUpdate(e.ctx, e.dss, "default", name, func(ds *apps.DaemonSet) error {
		mutate(ds)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) get(name string) *apps.DaemonSet {
	e.t.Helper()
	ds, err := e.dss.Get(e.ctx, "default", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

// podsByNode returns the live (not terminating) pods of DaemonSet name, by node.
func (e *env) podsByNode(name string) map[string][]*core.Pod {
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string][]*core.Pod{}
	for _, p := range l.Items {
		if p.Labels["app"] == name && p.DeletionTimestamp == nil {
			out[p.Spec.NodeName] = append(out[p.Spec.NodeName], p)
		}
	}
	return out
}

func available(p *core.Pod) bool {
	return p.DeletionTimestamp == nil && p.Status.Phase == core.PodRunning && core.IsPodReady(p)
}

// settledOn reports whether DaemonSet name runs exactly one available pod, at its current
// revision, on each of nodes and none elsewhere, with a status that says so.
func (e *env) settledOn(name string, nodes ...string) bool {
	byNode := e.podsByNode(name)
	if len(byNode) != len(nodes) {
		return false
	}
	ds := e.get(name)
	revs, err := e.revs.List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		return false
	}
	var hash string
	var newest int64
	for _, r := range revs.Items {
		if meta.IsControlledBy(r, ds) && r.Revision > newest {
			newest, hash = r.Revision, r.Labels[apps.DefaultDaemonSetUniqueLabelKey]
		}
	}
	for _, n := range nodes {
		pods := byNode[n]
		if len(pods) != 1 || !available(pods[0]) || pods[0].Labels[apps.DefaultDaemonSetUniqueLabelKey] != hash {
			return false
		}
	}
	st, want := ds.Status, int32(len(nodes))
	return st.ObservedGeneration == ds.Generation && st.DesiredNumberScheduled == want && st.CurrentNumberScheduled == want &&
		st.NumberReady == want && st.NumberAvailable == want && st.UpdatedNumberScheduled == want &&
		st.NumberMisscheduled == 0 && st.NumberUnavailable == 0
}

// podWatch follows every pod event of the namespace from the start, in store order, keeping
// the last state of each pod, and runs check on each event with the state before it. What
// check reports fails the test at its end.
type podWatch struct {
	// mu guards pods, problems and the check's state.
	mu       sync.Mutex
	pods     map[string]*core.Pod
	problems []string
}

func (e *env) watchPods(check func(w *podWatch, ev client.Event[*core.Pod]) string) *podWatch {
	t := e.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	watcher, err := e.pods.Watch(ctx, store.WatchOptions{Namespace: "default"})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	w := &podWatch{pods: map[string]*core.Pod{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range watcher.ResultChan() {
			w.apply(ev, check)
		}
	}()
	t.Cleanup(func() {
		cancel()
		watcher.Stop()
		<-done
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, p := range w.problems {
			t.Errorf("invariant violated: %s", p)
		}
	})
	return w
}

func (w *podWatch) apply(ev client.Event[*core.Pod], check func(*podWatch, client.Event[*core.Pod]) string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev.Type {
	case store.Error:
		w.problems = append(w.problems, fmt.Sprintf("watch failed: %v", ev.Err))
		return
	case store.Bookmark:
		return
	}
	if msg := check(w, ev); msg != "" {
		w.problems = append(w.problems, msg)
	}
	if ev.Type == store.Deleted {
		delete(w.pods, ev.Object.Name)
	} else {
		w.pods[ev.Object.Name] = ev.Object
	}
}

// after returns the pods as they are once ev is applied.
func (w *podWatch) after(ev client.Event[*core.Pod]) map[string]*core.Pod {
	out := make(map[string]*core.Pod, len(w.pods)+1)
	for k, v := range w.pods {
		out[k] = v
	}
	if ev.Type == store.Deleted {
		delete(out, ev.Object.Name)
	} else {
		out[ev.Object.Name] = ev.Object
	}
	return out
}
