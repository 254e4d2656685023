package nodelifecycle_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/controllers/nodelifecycle"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// env runs the node lifecycle controllers and a kubelet Host with simulated nodes.
type env struct {
	*managertest.Env
	host   *kubelet.Host
	pods   *client.Typed[*core.Pod]
	nodes  *client.Typed[*core.Node]
	leases *client.Typed[*coordination.Lease]
}

func start(t *testing.T, nodes ...string) *env {
	t.Helper()
	me := managertest.New(t, managertest.Options{Quiet: !testing.Verbose()})
	if err := namespace.EnsureSystemNamespaces(context.Background(), me.Client); err != nil {
		t.Fatal(err)
	}
	if err := nodelifecycle.Add(me.Manager, nodelifecycle.Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	host, err := kubelet.NewHost(me.Client, me.Manager.Informers(), kubelet.Options{
		Runtime: sim.New(sim.Options{Clock: me.Clock}), Clock: me.Clock, Workers: 4, Logger: me.Manager.Logger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if err := host.AddNode(kubelet.NodeConfig{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	if err := me.Manager.Add(host); err != nil {
		t.Fatal(err)
	}
	me.Start(t)
	return &env{Env: me, host: host, pods: client.For[*core.Pod](me.Client), nodes: client.For[*core.Node](me.Client),
		leases: client.For[*coordination.Lease](me.Client)}
}

// createPod binds a pod to node directly (no scheduler) with extra tolerations.
func (e *env) createPod(t *testing.T, name, node string, tols ...core.Toleration) {
	t.Helper()
	_, err := e.pods.Create(context.Background(), &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: core.PodSpec{NodeName: node, Tolerations: tols,
			Containers: []core.Container{{Name: "c", Image: "registry.example/app:1"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) pod(t *testing.T, name string) *core.Pod {
	t.Helper()
	p, err := e.pods.Get(context.Background(), ns, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// podRevision returns the revision of pod name's current state.
func (e *env) podRevision(t *testing.T, name string) uint64 {
	t.Helper()
	rv, err := store.ParseResourceVersion(e.pod(t, name).ResourceVersion)
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

func (e *env) node(t *testing.T, name string) *core.Node {
	t.Helper()
	n, err := e.nodes.Get(context.Background(), "", name)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) step(d time.Duration) planetest.WaitOption { return planetest.Stepping(e.Clock, d) }

func taint(n *core.Node, key string, effect core.TaintEffect) *core.Taint {
	for i := range n.Spec.Taints {
		if n.Spec.Taints[i].Key == key && n.Spec.Taints[i].Effect == effect {
			return &n.Spec.Taints[i]
		}
	}
	return nil
}

func evicted(p *core.Pod) bool {
	c := core.GetPodCondition(&p.Status, core.DisruptionTarget)
	return p.DeletionTimestamp != nil && c != nil && c.Status == core.ConditionTrue && c.Reason == core.PodReasonDeletionByTaintManager
}

// TestLostNode stops the heartbeats of one simulated node: 40 s after its last Lease renewal
// it becomes Ready=Unknown with the unreachable taints, its pods are marked not ready and
// then evicted after their tolerationSeconds (60 s, the default 300 s), except one that
// tolerates the taint for ever; the other node's pods are untouched. When the node comes
// back, its taints go.
func TestLostNode(t *testing.T) {
	e := start(t, "node-1", "node-2")
	ctx := context.Background()
	unreachable := func(s *int64) core.Toleration {
		return core.Toleration{Key: core.TaintNodeUnreachable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute, TolerationSeconds: s}
	}
	sixty := int64(60)
	e.createPod(t, "default-toleration", "node-1")
	e.createPod(t, "sixty-seconds", "node-1", unreachable(&sixty))
	e.createPod(t, "for-ever", "node-1", unreachable(nil))
	e.createPod(t, "elsewhere", "node-2")
	planetest.Eventually(t, func() bool {
		for _, name := range []string{"default-toleration", "sixty-seconds", "for-ever", "elsewhere"} {
			if !core.IsPodReady(e.pod(t, name)) {
				return false
			}
		}
		return core.IsNodeReady(e.node(t, "node-1")) && core.IsNodeReady(e.node(t, "node-2"))
	}, e.step(time.Second), planetest.Message("nodes and pods ready"))

	if err := e.host.StopHeartbeats("node-1"); err != nil {
		t.Fatal(err)
	}
	lease, err := e.leases.Get(ctx, core.NamespaceNodeLease, "node-1")
	if err != nil {
		t.Fatal(err)
	}
	lastRenew := lease.Spec.RenewTime.Time
	var unknownAt time.Time
	planetest.Eventually(t, func() bool {
		n := e.node(t, "node-1")
		c := core.GetNodeCondition(&n.Status, core.NodeReady)
		if c.Status != core.ConditionUnknown || taint(n, core.TaintNodeUnreachable, core.TaintEffectNoExecute) == nil ||
			taint(n, core.TaintNodeUnreachable, core.TaintEffectNoSchedule) == nil {
			return false
		}
		if c.Reason != "NodeStatusUnknown" || c.Message != "Kubelet stopped posting node status." {
			t.Fatalf("Ready condition %+v", c)
		}
		unknownAt = c.LastTransitionTime.Time
		return true
	}, e.step(time.Second), planetest.Message("node-1 unreachable"))
	t.Logf("node-1 marked unknown %v after its last renewal", unknownAt.Sub(lastRenew))
	if silence := unknownAt.Sub(lastRenew); silence < 39*time.Second || silence > 50*time.Second {
		// The condition's time has second precision; the lease's renewTime microseconds.
		t.Errorf("node-1 marked unknown %v after its last renewal, want 40s", silence)
	}
	if !core.IsNodeReady(e.node(t, "node-2")) {
		t.Fatal("node-2 lost its readiness")
	}
	added := taint(e.node(t, "node-1"), core.TaintNodeUnreachable, core.TaintEffectNoExecute).TimeAdded.Time
	planetest.Eventually(t, func() bool { return !core.IsPodReady(e.pod(t, "for-ever")) },
		planetest.Message("the lost node's pods marked not ready"))

	planetest.Eventually(t, func() bool { return evicted(e.pod(t, "sixty-seconds")) },
		e.step(time.Second), planetest.Message("the pod tolerating 60 s evicted"))
	at := core.GetPodCondition(&e.pod(t, "sixty-seconds").Status, core.DisruptionTarget).LastTransitionTime.Time
	t.Logf("sixty-seconds evicted %v after the taint", at.Sub(added))
	if at.Before(added.Add(60 * time.Second)) {
		t.Errorf("evicted at %v, before the taint's %v + 60s", at, added)
	}
	if evicted(e.pod(t, "default-toleration")) {
		t.Fatal("the pod with the default 300 s toleration evicted after 60 s")
	}
	planetest.Eventually(t, func() bool { return evicted(e.pod(t, "default-toleration")) },
		e.step(5*time.Second), planetest.Message("the pod with the default toleration evicted"))
	at = core.GetPodCondition(&e.pod(t, "default-toleration").Status, core.DisruptionTarget).LastTransitionTime.Time
	t.Logf("default-toleration evicted %v after the taint", at.Sub(added))
	if at.Before(added.Add(300 * time.Second)) {
		t.Errorf("evicted at %v, before the taint's %v + 300s", at, added)
	}
	for _, name := range []string{"for-ever", "elsewhere"} {
		if p := e.pod(t, name); p.DeletionTimestamp != nil {
			t.Errorf("%s was deleted", name)
		}
	}
	planetest.Eventually(t, func() bool {
		list, err := client.For[*core.Event](e.Client).List(ctx, store.ListOptions{Namespace: ns})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range list.Items {
			if ev.Reason == "TaintManagerEviction" {
				n++
			}
		}
		return n == 2
	}, e.step(time.Second), planetest.Message("two TaintManagerEviction events"))

	if err := e.host.ResumeHeartbeats("node-1"); err != nil {
		t.Fatal(err)
	}
	planetest.Eventually(t, func() bool {
		n := e.node(t, "node-1")
		return core.IsNodeReady(n) && taint(n, core.TaintNodeUnreachable, core.TaintEffectNoExecute) == nil &&
			taint(n, core.TaintNodeUnreachable, core.TaintEffectNoSchedule) == nil
	}, e.step(time.Second), planetest.Message("node-1 ready and untainted again"))
	if p := e.pod(t, "for-ever"); p.DeletionTimestamp != nil {
		t.Fatal("the pod tolerating for ever was deleted")
	}
}

// TestUntoleratedTaint evicts at once the pods that do not tolerate a NoExecute taint put
// on their node, and leaves those that do.
func TestUntoleratedTaint(t *testing.T) {
	e := start(t, "node-1")
	ctx := context.Background()
	e.createPod(t, "plain", "node-1")
	e.createPod(t, "tolerant", "node-1", core.Toleration{Key: "example.com/maintenance", Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute})
	planetest.Eventually(t, func() bool { return core.IsPodReady(e.pod(t, "plain")) && core.IsPodReady(e.pod(t, "tolerant")) },
		e.step(time.Second), planetest.Message("pods ready"))
	// The node's kubelet may finish the eviction's graceful deletion before a Get would see
	// the pod marked: follow its states through a watch instead.
	w, err := e.pods.Watch(ctx, store.WatchOptions{Namespace: ns, FieldSelector: fields.OneTermEqualSelector("metadata.name", "plain"),
		ResourceVersion: e.podRevision(t, "plain")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	_, err = client.GuaranteedUpdate(ctx, e.nodes, "", "node-1", func(n *core.Node) error {
		n.Spec.Taints = append(n.Spec.Taints, core.Taint{Key: "example.com/maintenance", Effect: core.TaintEffectNoExecute})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	marked := false
	planetest.Eventually(t, func() bool {
		for {
			select {
			case ev, ok := <-w.ResultChan():
				if !ok {
					t.Fatal("the watch of the pod ended")
				}
				marked = marked || (ev.Type == store.Modified || ev.Type == store.Deleted) && evicted(ev.Object)
			default:
				return marked
			}
		}
	}, planetest.Message("the intolerant pod evicted without the clock moving"))
	if p := e.pod(t, "tolerant"); p.DeletionTimestamp != nil {
		t.Fatal("the tolerant pod was evicted")
	}
	// The node's kubelet finishes the graceful deletion.
	planetest.Eventually(t, func() bool {
		_, err := e.pods.Get(ctx, ns, "plain")
		return store.IsNotFound(err)
	}, e.step(time.Second), planetest.Message("the evicted pod gone"))
}
