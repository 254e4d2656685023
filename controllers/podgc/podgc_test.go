package podgc_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/podgc"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// holdFinalizer keeps a deleted pod in the store, so that a test can read what the
// controller wrote before deleting it.
const holdFinalizer = "example.com/hold"

type env struct {
	*managertest.Env
	t     *testing.T
	ctx   context.Context
	pods  *client.Typed[*core.Pod]
	nodes *client.Typed[*core.Node]
}

// start runs the pod garbage collector alone, with no kubelet: nothing else removes pods.
func start(t *testing.T, opts podgc.Options) *env {
	t.Helper()
	me := managertest.New(t, managertest.Options{Quiet: !testing.Verbose()})
	if err := podgc.Add(me.Manager, opts); err != nil {
		t.Fatal(err)
	}
	me.Start(t)
	return &env{Env: me, t: t, ctx: context.Background(), pods: client.For[*core.Pod](me.Client), nodes: client.For[*core.Node](me.Client)}
}

func (e *env) node(name string, ready bool, taints ...core.Taint) {
	e.t.Helper()
	status := core.ConditionTrue
	if !ready {
		status = core.ConditionFalse
	}
	if _, err := e.nodes.Create(e.ctx, &core.Node{
		ObjectMeta: meta.ObjectMeta{Name: name},
		Spec:       core.NodeSpec{Taints: taints},
		Status:     core.NodeStatus{Conditions: []core.NodeCondition{{Type: core.NodeReady, Status: status}}},
	}); err != nil {
		e.t.Fatal(err)
	}
}

// pod creates a pod bound to node in phase, with finalizers.
func (e *env) pod(name, node string, phase core.PodPhase, finalizers ...string) *core.Pod {
	e.t.Helper()
	p, err := e.pods.Create(e.ctx, &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Finalizers: finalizers},
		Spec:       core.PodSpec{NodeName: node, Containers: []core.Container{{Name: "main", Image: "busybox:1.36"}}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if phase != core.PodPending {
		p.Status.Phase = phase
		if p, err = e.pods.UpdateStatus(e.ctx, p); err != nil {
			e.t.Fatal(err)
		}
	}
	return p
}

// step moves the fake clock and lets the controllers react.
func (e *env) step(d time.Duration) {
	e.t.Helper()
	e.Clock.Step(d)
	managertest.Settle(e.t, e.Client, e.Manager)
}

// names returns the names of the pods in the store, sorted.
func (e *env) names() []string {
	e.t.Helper()
	list, err := e.pods.List(e.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, p := range list.Items {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

func (e *env) wantPods(want ...string) {
	e.t.Helper()
	slices.Sort(want)
	if got := e.names(); !slices.Equal(got, want) {
		e.t.Fatalf("pods %v, want %v", got, want)
	}
}

func TestOrphanedPodsGoAfterTheQuarantine(t *testing.T) {
	e := start(t, podgc.Options{})
	e.node("a", true)
	e.node("b", true)
	e.pod("on-a", "a", core.PodRunning)
	held := e.pod("on-a-held", "a", core.PodRunning, holdFinalizer)
	e.pod("on-b", "b", core.PodRunning)
	e.pod("unbound", "", core.PodPending)
	managertest.Settle(t, e.Client, e.Manager)

	if _, err := e.nodes.Delete(e.ctx, "", "a"); err != nil {
		t.Fatal(err)
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.step(podgc.DefaultQuarantine - time.Second)
	e.wantPods("on-a", "on-a-held", "on-b", "unbound") // still quarantined

	e.step(time.Second)
	e.wantPods("on-a-held", "on-b", "unbound")
	p, err := e.pods.Get(e.ctx, ns, "on-a-held")
	if err != nil {
		t.Fatal(err)
	}
	cond := core.GetPodCondition(&p.Status, core.DisruptionTarget)
	if p.DeletionTimestamp == nil || p.Status.Phase != core.PodFailed || cond == nil ||
		cond.Status != core.ConditionTrue || cond.Reason != podgc.ReasonDeletionByPodGC || cond.Message != "PodGC: node no longer exists" {
		t.Fatalf("orphan held by a finalizer: deletionTimestamp %v, phase %s, DisruptionTarget %+v", p.DeletionTimestamp, p.Status.Phase, cond)
	}
	if p.UID != held.UID {
		t.Fatal("the held pod was replaced")
	}
}

func TestPodBoundToAMissingNodeWaitsForIt(t *testing.T) {
	e := start(t, podgc.Options{})
	e.pod("early", "late-node", core.PodPending)
	managertest.Settle(t, e.Client, e.Manager)
	e.step(podgc.DefaultQuarantine / 2)
	e.node("late-node", true) // registers within the quarantine
	managertest.Settle(t, e.Client, e.Manager)
	e.step(podgc.DefaultQuarantine)
	e.wantPods("early")

	// A node that never comes: the quarantine runs from when the pod was first seen.
	e.pod("lost", "never", core.PodPending)
	managertest.Settle(t, e.Client, e.Manager)
	e.step(podgc.DefaultQuarantine + time.Second)
	e.wantPods("early")
}

func TestTerminatingPodsOfOutOfServiceNodesGo(t *testing.T) {
	e := start(t, podgc.Options{})
	taint := core.Taint{Key: core.TaintNodeOutOfService, Value: "shutdown", Effect: core.TaintEffectNoExecute}
	e.node("down", false, taint)
	e.node("tainted-ready", true, taint)
	e.node("plain", false)
	for _, n := range []string{"down", "tainted-ready", "plain"} {
		e.pod("running-on-"+n, n, core.PodRunning)
		e.pod("terminating-on-"+n, n, core.PodRunning)
		if _, err := e.pods.Delete(e.ctx, ns, "terminating-on-"+n); err != nil {
			t.Fatal(err)
		}
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("running-on-down", "running-on-tainted-ready", "running-on-plain", "terminating-on-tainted-ready", "terminating-on-plain")

	// The plain node is declared out of service: its terminating pod goes too.
	n, err := e.nodes.Get(e.ctx, "", "plain")
	if err != nil {
		t.Fatal(err)
	}
	n.Spec.Taints = append(n.Spec.Taints, taint)
	if _, err := e.nodes.Update(e.ctx, n); err != nil {
		t.Fatal(err)
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("running-on-down", "running-on-tainted-ready", "running-on-plain", "terminating-on-tainted-ready")
}

func TestOldestFinishedPodsGoAboveTheThreshold(t *testing.T) {
	e := start(t, podgc.Options{TerminatedPodThreshold: 3})
	e.node("a", true)
	for i := range 5 {
		phase := core.PodSucceeded
		if i%2 == 1 {
			phase = core.PodFailed
		}
		e.pod(fmt.Sprintf("done-%d", i), "a", phase)
		e.pod(fmt.Sprintf("running-%d", i), "a", core.PodRunning)
		e.Clock.Step(time.Second) // creation times in order
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("done-2", "done-3", "done-4", "running-0", "running-1", "running-2", "running-3", "running-4")

	// One more finishes, the youngest: the oldest finished pod goes (by creation time, not
	// by when it finished).
	p, err := e.pods.Get(e.ctx, ns, "running-4")
	if err != nil {
		t.Fatal(err)
	}
	p.Status.Phase = core.PodSucceeded
	if _, err := e.pods.UpdateStatus(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("done-3", "done-4", "running-0", "running-1", "running-2", "running-3", "running-4")
	if p, err = e.pods.Get(e.ctx, ns, "running-0"); err != nil {
		t.Fatal(err)
	}
	p.Status.Phase = core.PodFailed // the oldest pod of all finishes: it goes itself
	if _, err := e.pods.UpdateStatus(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("done-3", "done-4", "running-1", "running-2", "running-3", "running-4")
}

func TestFinishedPodsHeldByFinalizersDoNotCostYoungerOnes(t *testing.T) {
	// Finished pods held by a finalizer stay after their deletion and still count; later
	// sweeps pick them again (a no-op) instead of deleting younger pods in their place.
	e := start(t, podgc.Options{TerminatedPodThreshold: 2})
	e.node("a", true)
	for i := range 3 {
		e.pod(fmt.Sprintf("held-%d", i), "a", core.PodSucceeded, holdFinalizer)
		e.Clock.Step(time.Second)
	}
	managertest.Settle(t, e.Client, e.Manager)
	for i := range 2 {
		e.pod(fmt.Sprintf("young-%d", i), "a", core.PodSucceeded)
		e.Clock.Step(time.Second)
	}
	managertest.Settle(t, e.Client, e.Manager)
	var deleting []string
	list, err := e.pods.List(e.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list.Items {
		if p.DeletionTimestamp != nil {
			deleting = append(deleting, p.Name)
		}
	}
	slices.Sort(deleting)
	// Five finished pods, threshold 2: the three oldest are marked, the young ones stay.
	if want := []string{"held-0", "held-1", "held-2"}; !slices.Equal(deleting, want) {
		t.Fatalf("pods being deleted %v, want %v", deleting, want)
	}
	e.wantPods("held-0", "held-1", "held-2", "young-0", "young-1")
}

func TestNegativeThresholdKeepsFinishedPods(t *testing.T) {
	e := start(t, podgc.Options{TerminatedPodThreshold: -1})
	e.node("a", true)
	for i := range 3 {
		e.pod(fmt.Sprintf("done-%d", i), "a", core.PodSucceeded)
	}
	managertest.Settle(t, e.Client, e.Manager)
	e.wantPods("done-0", "done-1", "done-2")
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []podgc.Options{{Quarantine: -time.Second}, {Workers: -1}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if err := (podgc.Options{}).Validate(); err != nil {
		t.Errorf("zero options: %v", err)
	}
}
