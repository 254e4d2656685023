package daemonset_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/daemonset"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/internal/watchtest"
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
	mgr   *manager.Manager  // runs the controller
}

// startEnv starts a plane with count nodes (node-1 …) whose containers start after a second
// and are ready at once, and adds the controller: to the plane's manager or, with faults, to
// a manager of its own writing through faultstore.
func startEnv(t testing.TB, m mode, count int) *env {
	t.Helper()
	p := planetest.Start(t, planetest.WithLogger(managertest.QuietLogger()), planetest.WithConfig(func(c *controlplane.Config) {
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
		f := managertest.NewFaulty(t, p.Store(), p.Clock, faultstore.Options{Scheme: p.Scheme(), ConflictRate: 0.15, TransientRate: 0.15})
		f.Start(t)
		f.ExpectFaults(t)
		e.fault, mgr = f.Faults, f.Manager
	}
	e.mgr = mgr
	if err := daemonset.Add(mgr, daemonset.Options{}); err != nil {
		t.Fatal(err)
	}
	return e
}

// eventually waits for cond, moving the fake clock a second at a time while the kubelets
// are idle (see planetest.Plane.Step).
func (e *env) eventually(msg string, cond func() bool) {
	e.t.Helper()
	e.p.Eventually(cond, e.p.Step(time.Second), planetest.Message("%s", msg), planetest.Within(time.Minute))
}

// advance moves the fake clock by d, a second at a time (see eventually).
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

// watchPods checks check on every pod event of the namespace from now on (see watchtest).
func (e *env) watchPods(check watchtest.Check[*core.Pod]) {
	e.t.Helper()
	watchtest.Start(e.t, e.pods, "default", check)
}

// window is a span of store revisions, for watch checks that hold only during one phase of a
// test (a rollout). Events are judged by their revision, not by when the watch goroutine
// reads them: a check opened once the test has seen a settled state must not judge older
// events still on their way through the watch, which on a loaded machine can lag behind.
type window struct{ from, to atomic.Uint64 }

// open starts the window after the store's current revision.
func (w *window) open(e *env) { w.from.Store(managertest.Revision(e.t, e.c)) }

// close ends the window at the store's current revision.
func (w *window) close(e *env) { w.to.Store(managertest.Revision(e.t, e.c)) }

// contains reports whether revision rev is inside the window.
func (w *window) contains(rev uint64) bool {
	from, to := w.from.Load(), w.to.Load()
	return from != 0 && rev > from && (to == 0 || rev <= to)
}
