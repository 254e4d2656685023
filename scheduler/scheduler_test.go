package scheduler

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// noRetry keeps parked pods parked unless an event moves them, so that tests show which
// event did.
var noRetry = Options{UnschedulableRetryInterval: time.Hour}

func TestSpreadsOwnerEvenly(t *testing.T) {
	e := newEnv(t, noRetry, node("n1", "4", "8Gi", 110), node("n2", "4", "8Gi", 110), node("n3", "4", "8Gi", 110))
	before := e.writes()
	for i := range 9 {
		e.createPod(pod(fmt.Sprintf("web-%d", i), ownedBy("rs-web"), requests("cpu", "100m", "memory", "64Mi")))
	}
	for i := range 9 {
		e.waitBound(fmt.Sprintf("web-%d", i))
	}
	if got, want := e.podsPerNode(), map[string]int{"n1": 3, "n2": 3, "n3": 3}; !maps.Equal(got, want) {
		t.Errorf("pods per node = %v, want %v", got, want)
	}
	// 9 creates, then per pod one write for spec.nodeName and one for PodScheduled=True.
	if got := e.writes() - before; got != 9+2*9 {
		t.Errorf("%d store writes for 9 pods, want 9 creates + 2 per scheduled pod = 27", got)
	}
}

func TestUnschedulableMessageAndRetry(t *testing.T) {
	e := newEnv(t, noRetry,
		node("n1", "4", "8Gi", 110, cordoned), node("n2", "1", "8Gi", 110), node("n3", "1", "8Gi", 110))
	e.createPod(pod("big", requests("cpu", "2")))
	const want = "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu."
	if got := e.waitUnschedulable("big"); got != want {
		t.Fatalf("message = %q\nwant      %q", got, want)
	}
	if p := e.getPod("big"); p.Spec.NodeName != "" || p.Status.Phase != core.PodPending {
		t.Fatalf("pod is %s on %q, want Pending and unbound", p.Status.Phase, p.Spec.NodeName)
	}

	// A node change that frees nothing retries the pod, which writes nothing: same message.
	e.eventually("pod parked and its condition cached", 0, func() bool {
		p, err := e.sched.podInf.Lister().Namespace("default").Get("big")
		return err == nil && !conditionDiffers(p, core.PodReasonUnschedulable, want) && e.sched.queue.parkedCount() == 1
	})
	before := e.writes()
	if _, err := client.GuaranteedUpdate(e.ctx, e.nodes, "", "n2", func(n *core.Node) error {
		n.Labels["disk"] = "ssd"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.eventually("second attempt", 100*time.Millisecond, func() bool {
		return e.sched.queue.attempts("default/big") >= 2 && e.sched.queue.parkedCount() == 1
	})
	if got := e.writes() - before; got != 1 {
		t.Errorf("%d writes after an unchanged retry, want 1 (the node update)", got)
	}

	// Uncordoning n1 makes room.
	if _, err := client.GuaranteedUpdate(e.ctx, e.nodes, "", "n1", func(n *core.Node) error {
		n.Spec.Unschedulable = false
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if p := e.waitBound("big"); p.Spec.NodeName != "n1" {
		t.Errorf("bound to %s, want n1", p.Spec.NodeName)
	}
}

func TestScheduledWhenNodeAdded(t *testing.T) {
	e := newEnv(t, noRetry)
	e.createPod(pod("p", requests("cpu", "1")))
	if got, want := e.waitUnschedulable("p"), "no nodes available to schedule pods"; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	e.createNode(node("small", "500m", "1Gi", 110))
	// Retried after its back-off, the pod gets a new message.
	e.waitMessage("p", "0/1 nodes are available: 1 Insufficient cpu.")
	e.createNode(node("big", "4", "8Gi", 110))
	if p := e.waitBound("p"); p.Spec.NodeName != "big" {
		t.Errorf("bound to %s, want big", p.Spec.NodeName)
	}
}

func TestScheduledWhenCapacityFreed(t *testing.T) {
	for _, tc := range []struct {
		name string
		free func(e *env)
	}{
		{name: "pod deleted", free: func(e *env) {
			if _, err := e.pods.Delete(e.ctx, "default", "first", client.GracePeriod(0)); err != nil {
				e.t.Fatal(err)
			}
		}},
		{name: "pod succeeded", free: func(e *env) {
			if _, err := client.GuaranteedUpdateStatus(e.ctx, e.pods, "default", "first", func(p *core.Pod) error {
				p.Status.Phase = core.PodSucceeded
				return nil
			}); err != nil {
				e.t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, noRetry, node("n1", "1", "8Gi", 110))
			e.createPod(pod("first", requests("cpu", "1")))
			e.waitBound("first")
			e.createPod(pod("second", requests("cpu", "1")))
			if got, want := e.waitUnschedulable("second"), "0/1 nodes are available: 1 Insufficient cpu."; got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
			tc.free(e)
			if p := e.waitBound("second"); p.Spec.NodeName != "n1" {
				t.Errorf("bound to %s, want n1", p.Spec.NodeName)
			}
		})
	}
}

func TestPeriodicRetry(t *testing.T) {
	e := newEnv(t, Options{}, node("n1", "1", "8Gi", 110))
	e.createPod(pod("p", requests("cpu", "2")))
	e.waitUnschedulable("p")
	e.eventually("pod parked", 0, func() bool { return e.sched.queue.parkedCount() == 1 })
	e.clk.Step(DefaultUnschedulableRetryInterval - time.Second)
	if n := e.sched.queue.attempts("default/p"); n != 1 {
		t.Fatalf("%d attempts before the retry interval, want 1", n)
	}
	e.eventually("periodic retry", time.Second, func() bool { return e.sched.queue.attempts("default/p") == 2 })
}

func TestFiltersEndToEnd(t *testing.T) {
	twoNodes := func(a, b func(*core.Node)) []*core.Node {
		return []*core.Node{node("a", "2", "4Gi", 110, a), node("b", "4", "8Gi", 110, b)}
	}
	none := func(*core.Node) {}
	gpu := core.Taint{Key: "dedicated", Value: "gpu", Effect: core.TaintEffectNoExecute}
	notReady := core.Taint{Key: core.TaintNodeNotReady, Effect: core.TaintEffectNoSchedule}
	for _, tc := range []struct {
		name     string
		nodes    []*core.Node
		existing []*core.Pod // created bound, bypassing the scheduler
		pod      *core.Pod
		wantNode string
		wantMsg  string
	}{
		{name: "nodeSelector", nodes: twoNodes(nodeLabels("zone", "a"), nodeLabels("zone", "b")),
			pod: pod("p", nodeSelector("zone", "a")), wantNode: "a"},
		{name: "nodeSelector matching nothing", nodes: twoNodes(none, none), pod: pod("p", nodeSelector("zone", "c")),
			wantMsg: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector."},
		{name: "required affinity NotIn", nodes: twoNodes(nodeLabels("zone", "a"), nodeLabels("zone", "b")),
			pod: pod("p", requiredAffinity(expr("zone", core.NodeSelectorOpNotIn, "b"))), wantNode: "a"},
		{name: "required affinity Gt", nodes: twoNodes(nodeLabels("cores", "2"), nodeLabels("cores", "4")),
			pod: pod("p", requiredAffinity(expr("cores", core.NodeSelectorOpGt, "2"))), wantNode: "b"},
		{name: "matchFields metadata.name", nodes: twoNodes(none, none),
			pod: pod("p", requiredAffinity(core.NodeSelectorTerm{MatchFields: []core.NodeSelectorRequirement{
				{Key: "metadata.name", Operator: core.NodeSelectorOpIn, Values: []string{"a"}}}})), wantNode: "a"},
		{name: "untolerated taints", nodes: twoNodes(taints(gpu), taints(notReady)), pod: pod("p"),
			wantMsg: "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }."},
		{name: "tolerated NoExecute taint", nodes: twoNodes(taints(gpu), cordoned),
			pod: pod("p", tolerations(core.Toleration{Key: "dedicated", Operator: core.TolerationOpEqual, Value: "gpu"})), wantNode: "a"},
		{name: "PreferNoSchedule avoided but not filtered", nodes: twoNodes(none, taints(core.Taint{Key: "spot", Effect: core.TaintEffectPreferNoSchedule})),
			pod: pod("p"), wantNode: "a"},
		{name: "PreferNoSchedule used when nothing else fits", nodes: twoNodes(cordoned, taints(core.Taint{Key: "spot", Effect: core.TaintEffectPreferNoSchedule})),
			pod: pod("p"), wantNode: "b"},
		{name: "cordoned node tolerated", nodes: twoNodes(none, cordoned), wantNode: "b",
			pod: pod("p", requests("cpu", "3"), tolerations(core.Toleration{Key: core.TaintNodeUnschedulable, Operator: core.TolerationOpExists}))},
		{name: "init container larger than the containers", nodes: twoNodes(none, none),
			pod: pod("p", requests("cpu", "1"), initContainer("setup", "cpu", "3")), wantNode: "b"},
		{name: "init container too large everywhere", nodes: twoNodes(none, none),
			pod:     pod("p", requests("cpu", "1"), initContainer("setup", "cpu", "5")),
			wantMsg: "0/2 nodes are available: 2 Insufficient cpu."},
		{name: "overhead", nodes: twoNodes(none, none), pod: pod("p", requests("cpu", "1900m"), overhead("cpu", "200m")), wantNode: "b"},
		{name: "requests of bound pods", nodes: twoNodes(none, none), existing: []*core.Pod{pod("x", requests("cpu", "3500m"), boundTo("b"))},
			pod: pod("p", requests("cpu", "1")), wantNode: "a"},
		{name: "pod count limit", nodes: []*core.Node{node("a", "2", "4Gi", 1)}, existing: []*core.Pod{pod("x", boundTo("a"))},
			pod: pod("p"), wantMsg: "0/1 nodes are available: 1 Too many pods."},
		{name: "memory and cpu", nodes: twoNodes(none, none), pod: pod("p", requests("cpu", "8", "memory", "16Gi")),
			wantMsg: "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, noRetry, tc.nodes...)
			for _, p := range tc.existing {
				e.createPod(p)
			}
			e.createPod(tc.pod)
			if tc.wantMsg != "" {
				if got := e.waitUnschedulable(tc.pod.Name); got != tc.wantMsg {
					t.Errorf("message = %q\nwant      %q", got, tc.wantMsg)
				}
				return
			}
			if p := e.waitBound(tc.pod.Name); p.Spec.NodeName != tc.wantNode {
				t.Errorf("bound to %s, want %s", p.Spec.NodeName, tc.wantNode)
			}
		})
	}
}

func TestBurstDoesNotOvercommit(t *testing.T) {
	e := newEnv(t, noRetry, node("n1", "10", "64Gi", 110))
	for i := range 20 {
		e.createPod(pod(fmt.Sprintf("p-%02d", i), requests("cpu", "1")))
	}
	e.eventually("10 bound, 10 unschedulable", 0, func() bool {
		bound, unschedulable := 0, 0
		l, err := e.pods.List(e.ctx, store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range l.Items {
			switch c := core.GetPodCondition(&p.Status, core.PodScheduled); {
			case p.Spec.NodeName != "" && c != nil && c.Status == core.ConditionTrue:
				bound++
			case c != nil && c.Reason == core.PodReasonUnschedulable:
				unschedulable++
			}
		}
		if bound > 10 {
			t.Fatalf("%d pods of 1 cpu bound to a node of 10 cpus", bound)
		}
		return bound == 10 && unschedulable == 10
	})
}

func TestIgnoredPods(t *testing.T) {
	e := newEnv(t, noRetry, node("n1", "4", "8Gi", 110))
	e.createPod(pod("other", func(p *core.Pod) { p.Spec.SchedulerName = "other-scheduler" }))
	e.createPod(pod("gated", func(p *core.Pod) { p.Spec.SchedulingGates = []core.PodSchedulingGate{{Name: "wait"}} }))
	e.createPod(pod("marker"))
	e.waitBound("marker")
	// Pods are scheduled in creation order, so by now the first two were seen and skipped.
	for _, name := range []string{"other", "gated"} {
		if p := e.getPod(name); p.Spec.NodeName != "" || len(p.Status.Conditions) != 0 {
			t.Errorf("pod %s: node %q, conditions %v; want it untouched", name, p.Spec.NodeName, p.Status.Conditions)
		}
	}
	// Removing the gate makes the pod schedulable.
	if _, err := client.GuaranteedUpdate(e.ctx, e.pods, "default", "gated", func(p *core.Pod) error {
		p.Spec.SchedulingGates = nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.waitBound("gated")
}

func TestStartTwice(t *testing.T) {
	e := newEnv(t, noRetry)
	e.eventually("started", 0, func() bool { return e.sched.started.Load() })
	if err := e.sched.Start(e.ctx); err != ErrAlreadyStarted {
		t.Errorf("second Start = %v, want ErrAlreadyStarted", err)
	}
}

func TestNewPanicsOnInvalidOptions(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New did not panic")
		}
	}()
	New(nil, nil, Options{Workers: -1})
}

func TestFailedBindingIsForgottenAndRetried(t *testing.T) {
	var calls atomic.Int32
	var binder Binder
	opts := noRetry
	opts.Binder = BinderFunc(func(ctx context.Context, p *core.Pod, node string) error {
		if calls.Add(1) == 1 {
			return errors.New("disk full")
		}
		return binder.Bind(ctx, p, node)
	})
	e := newEnv(t, opts, node("n1", "1", "8Gi", 110))
	binder = NewClientBinder(e.pods.Client(), e.clk)
	e.createPod(pod("p", requests("cpu", "1")))
	// Had the failed attempt stayed assumed, the node would look full.
	if p := e.waitBound("p"); p.Spec.NodeName != "n1" {
		t.Errorf("bound to %s, want n1", p.Spec.NodeName)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("Bind called %d times, want 2", n)
	}
}

func TestSchedulingPropertiesChanged(t *testing.T) {
	base := node("n", "4", "8Gi", 110)
	for _, tc := range []struct {
		name   string
		change func(*core.Node)
		want   bool
	}{
		{name: "heartbeat", change: func(n *core.Node) {
			n.Status.Conditions = []core.NodeCondition{{Type: core.NodeReady, Status: core.ConditionTrue}}
		}},
		{name: "same allocatable written differently", change: allocatable(core.ResourceCPU, "4000m")},
		{name: "allocatable", change: allocatable(core.ResourceCPU, "8"), want: true},
		{name: "label", change: nodeLabels("disk", "ssd"), want: true},
		{name: "taint", change: taints(core.Taint{Key: "k", Effect: core.TaintEffectNoSchedule}), want: true},
		{name: "cordon", change: cordoned, want: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := base.DeepCopy()
			tc.change(n)
			if got := schedulingPropertiesChanged(base, n); got != tc.want {
				t.Errorf("schedulingPropertiesChanged = %v, want %v", got, tc.want)
			}
		})
	}
}
