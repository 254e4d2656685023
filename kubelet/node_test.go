package kubelet_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func (e *env) node(name string) *core.Node {
	e.t.Helper()
	n, err := client.For[*core.Node](e.c).Get(context.Background(), "", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) lease(name string) *coordination.Lease {
	e.t.Helper()
	l, err := client.For[*coordination.Lease](e.c).Get(context.Background(), kubelet.NodeLeaseNamespace, name)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func renewedAt(l *coordination.Lease) time.Duration { return l.Spec.RenewTime.Sub(epoch) }

func readyCondition(n *core.Node) *core.NodeCondition {
	return core.GetNodeCondition(&n.Status, core.NodeReady)
}

func TestNodeRegistration(t *testing.T) {
	e := newEnv(t, sim.Options{})
	n := e.node(testNode)
	if got := n.Labels[core.LabelHostname]; got != testNode {
		t.Errorf("hostname label %q", got)
	}
	if n.Labels[core.LabelOSStable] != "linux" || n.Labels[core.LabelArchStable] != "amd64" {
		t.Errorf("labels %v", n.Labels)
	}
	if n.Spec.PodCIDR != "10.128.0.0/24" {
		t.Errorf("podCIDR %q", n.Spec.PodCIDR)
	}
	for name, want := range map[core.ResourceName]string{core.ResourceCPU: "32", core.ResourceMemory: "256Gi", core.ResourcePods: "110"} {
		for _, rl := range []core.ResourceList{n.Status.Capacity, n.Status.Allocatable} {
			if q, ok := rl[name]; !ok || q.Cmp(resource.MustParse(want)) != 0 {
				t.Errorf("%s = %v, want %s", name, rl[name], want)
			}
		}
	}
	if len(n.Status.Addresses) == 0 || n.Status.Addresses[0] != (core.NodeAddress{Type: core.NodeInternalIP, Address: "172.16.0.1"}) {
		t.Errorf("addresses %v", n.Status.Addresses)
	}
	if n.Status.NodeInfo.KubeletVersion != kubelet.KubeletVersion || n.Status.NodeInfo.OperatingSystem != "linux" {
		t.Errorf("nodeInfo %+v", n.Status.NodeInfo)
	}
	c := readyCondition(n)
	if c == nil || c.Status != core.ConditionTrue || c.Reason != "KubeletReady" || !c.LastHeartbeatTime.Time.Equal(epoch) {
		t.Errorf("Ready condition %+v", c)
	}

	l := e.lease(testNode)
	if l.Spec.HolderIdentity == nil || *l.Spec.HolderIdentity != testNode || l.Spec.LeaseDurationSeconds == nil || *l.Spec.LeaseDurationSeconds != 40 {
		t.Errorf("lease spec %+v", l.Spec)
	}
	if renewedAt(l) != 0 {
		t.Errorf("lease renewed at %s, want 0s", renewedAt(l))
	}
	if len(l.OwnerReferences) != 1 || l.OwnerReferences[0].UID != n.UID || l.OwnerReferences[0].Kind != "Node" {
		t.Errorf("lease owner references %+v", l.OwnerReferences)
	}
	if _, err := client.For[*core.Namespace](e.c).Get(context.Background(), "", kubelet.NodeLeaseNamespace); err != nil {
		t.Errorf("namespace %s: %v", kubelet.NodeLeaseNamespace, err)
	}

	t.Run("custom capacity, labels and taints", func(t *testing.T) {
		taint := core.Taint{Key: "dedicated", Value: "gpu", Effect: core.TaintEffectNoSchedule}
		if err := e.host.AddNode(kubelet.NodeConfig{
			Name:     "node-2",
			Capacity: core.ResourceList{core.ResourcePods: resource.MustParse("10")},
			Labels:   map[string]string{"zone": "a"},
			Taints:   []core.Taint{taint},
		}); err != nil {
			t.Fatal(err)
		}
		e.waitObject(scheme.LeaseGVK, kubelet.NodeLeaseNamespace, "node-2", "exists", func(o meta.Object) bool { return o != nil })
		n := e.node("node-2")
		if q := n.Status.Allocatable[core.ResourcePods]; q.Cmp(resource.MustParse("10")) != 0 {
			t.Errorf("pods allocatable %v", q)
		}
		if q := n.Status.Capacity[core.ResourceCPU]; q.Cmp(resource.MustParse("32")) != 0 {
			t.Errorf("cpu capacity %v", q)
		}
		if n.Labels["zone"] != "a" || len(n.Spec.Taints) != 1 || n.Spec.Taints[0].Key != taint.Key {
			t.Errorf("labels %v taints %v", n.Labels, n.Spec.Taints)
		}
		if n.Spec.PodCIDR != "10.128.1.0/24" || n.Status.Addresses[0].Address != "172.16.0.2" {
			t.Errorf("second node's podCIDR %s, address %s", n.Spec.PodCIDR, n.Status.Addresses[0].Address)
		}
	})
	t.Run("errors", func(t *testing.T) {
		if err := e.host.AddNode(kubelet.NodeConfig{Name: testNode}); !errors.Is(err, kubelet.ErrNodeExists) {
			t.Errorf("AddNode twice: %v", err)
		}
		if err := e.host.AddNode(kubelet.NodeConfig{Name: "Not_A_Name"}); err == nil {
			t.Error("AddNode with an invalid name succeeded")
		}
		for _, f := range []func(string) error{e.host.RemoveNode, e.host.StopHeartbeats, e.host.ResumeHeartbeats} {
			if err := f("nope"); !errors.Is(err, kubelet.ErrUnknownNode) {
				t.Errorf("unknown node: %v", err)
			}
		}
	})
}

func TestHeartbeats(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.at(10 * time.Second)
	if got := renewedAt(e.lease(testNode)); got != 10*time.Second {
		t.Errorf("lease renewed at %s, want 10s", got)
	}
	e.at(25 * time.Second)
	if got := renewedAt(e.lease(testNode)); got != 20*time.Second {
		t.Errorf("lease renewed at %s, want 20s", got)
	}

	// A partitioned node stops renewing its lease.
	if err := e.host.StopHeartbeats(testNode); err != nil {
		t.Fatal(err)
	}
	e.at(time.Minute)
	if got := renewedAt(e.lease(testNode)); got != 20*time.Second {
		t.Errorf("silent node's lease renewed at %s, want 20s", got)
	}
	if err := e.host.ResumeHeartbeats(testNode); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if got := renewedAt(e.lease(testNode)); got != time.Minute {
		t.Errorf("resumed node's lease renewed at %s, want 1m", got)
	}

	// Node status is written again every five minutes, or at once when it is wrong.
	e.at(4*time.Minute + 59*time.Second)
	if hb := readyCondition(e.node(testNode)).LastHeartbeatTime; !hb.Time.Equal(epoch) {
		t.Errorf("heartbeat at %s, want 0s", hb.Sub(epoch))
	}
	e.at(6 * time.Minute)
	if hb := readyCondition(e.node(testNode)).LastHeartbeatTime; !hb.Time.Equal(epoch.Add(5 * time.Minute)) {
		t.Errorf("heartbeat at %s, want 5m", hb.Sub(epoch))
	}

	nodes := client.For[*core.Node](e.c)
	_, err := client.GuaranteedUpdateStatus(context.Background(), nodes, "", testNode, func(n *core.Node) error {
		c := readyCondition(n)
		c.Status, c.Reason = core.ConditionUnknown, "NodeStatusUnknown"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.waitObject(scheme.NodeGVK, "", testNode, "Ready again", func(o meta.Object) bool {
		c := readyCondition(o.(*core.Node))
		return c.Status == core.ConditionTrue && c.LastTransitionTime.Time.Equal(epoch.Add(6*time.Minute))
	})

	// A deleted node is not registered again.
	if _, err := nodes.Delete(context.Background(), "", testNode); err != nil {
		t.Fatal(err)
	}
	e.settle()
	e.at(10 * time.Minute)
	if _, err := nodes.Get(context.Background(), "", testNode); !store.IsNotFound(err) {
		t.Errorf("deleted node: %v", err)
	}
	if got := renewedAt(e.lease(testNode)); got > 6*time.Minute+10*time.Second {
		t.Errorf("deleted node's lease renewed at %s", got)
	}
}

func TestPartitionedNode(t *testing.T) {
	e := newEnv(t, sim.Options{})
	if err := e.host.StopHeartbeats(testNode); err != nil {
		t.Fatal(err)
	}
	e.create(newPod("web", core.RestartPolicyAlways))
	e.at(10 * time.Second)
	if vs := e.versions("web"); len(vs) != 1 || podStatusString(vs[0]) != "Pending" {
		t.Fatalf("a partitioned node wrote pod status: %d versions, last %s", len(vs), describe(vs[len(vs)-1]))
	}
	if err := e.host.ResumeHeartbeats(testNode); err != nil {
		t.Fatal(err)
	}
	e.waitStatus("web", "ContainerCreating", nil)
	e.at(11 * time.Second)
	e.waitStatus("web", "Running", runningSince(11*time.Second).ok)
}

func TestRemoveNode(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.create(newPod("web", core.RestartPolicyAlways))
	e.waitSeen("web")
	e.at(time.Second)
	e.waitStatus("web", "Running", nil)
	if err := e.host.RemoveNode(testNode); err != nil {
		t.Fatal(err)
	}
	e.waitRuntimeEmpty()
	if st := e.host.Stats(); st.Nodes != 0 || st.Pods != 0 {
		t.Errorf("stats after RemoveNode: %+v", st)
	}
	before := len(e.versions("web"))
	e.at(time.Minute)
	if after := len(e.versions("web")); after != before {
		t.Errorf("a removed node's pod was written")
	}
	if got := renewedAt(e.lease(testNode)); got != 0 {
		t.Errorf("a removed node renewed its lease at %s", got)
	}

	// Added again, the node keeps its addresses and restarts the pod.
	if err := e.host.AddNode(kubelet.NodeConfig{Name: testNode}); err != nil {
		t.Fatal(err)
	}
	e.waitStatus("web", "ContainerCreating", nil)
	e.at(time.Minute + time.Second)
	p := e.waitStatus("web", "Running", runningSince(time.Minute+time.Second).ok)
	if p.Status.PodIP != "10.128.0.2" || p.Status.HostIP != "172.16.0.1" {
		t.Errorf("pod IP %s, host IP %s", p.Status.PodIP, p.Status.HostIP)
	}
}

func TestPodAddresses(t *testing.T) {
	e := newEnv(t, sim.Options{StartupDelay: -1})
	ip := func(name string) string {
		return e.waitStatus(name, "Running", nil).Status.PodIP
	}
	e.create(newPod("a", core.RestartPolicyAlways))
	e.create(newPod("b", core.RestartPolicyAlways))
	if a, b := ip("a"), ip("b"); !(a == "10.128.0.2" && b == "10.128.0.3" || a == "10.128.0.3" && b == "10.128.0.2") {
		t.Errorf("pod IPs %s and %s", a, b)
	}
	a := ip("a")
	e.delete("a", new(int64(0)))
	e.waitStatus("a", "<gone>", nil)
	e.settle()
	e.create(newPod("c", core.RestartPolicyAlways))
	if got := ip("c"); got != a {
		t.Errorf("pod c got %s, want the released %s", got, a)
	}
	host := newPod("host", core.RestartPolicyAlways)
	host.Spec.HostNetwork = true
	e.create(host)
	if got := ip("host"); got != "172.16.0.1" {
		t.Errorf("host-network pod IP %s", got)
	}
}

// TestWritesPerPod checks how few writes the kubelet makes: one status write per visible
// change, none at rest.
func TestWritesPerPod(t *testing.T) {
	tests := []struct {
		name   string
		pod    *core.Pod
		writes []string // the STATUS of each version the kubelet wrote
	}{
		{"with a startup delay", newPod("a", core.RestartPolicyAlways), []string{"ContainerCreating", "Running"}},
		{"without", newPod("b", core.RestartPolicyAlways, sim.AnnotationStartup+"=0s"), []string{"Running"}},
		{"a batch pod", newPod("c", core.RestartPolicyNever, sim.AnnotationStartup+"=0s"), []string{"Running", "Completed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			e.create(tc.pod)
			e.waitSeen(tc.pod.Name)
			e.at(time.Hour)
			var got []string
			for _, v := range e.versions(tc.pod.Name)[1:] {
				got = append(got, podStatusString(v))
			}
			if len(got) != len(tc.writes) {
				t.Fatalf("writes %q, want %q", got, tc.writes)
			}
			for i := range got {
				if got[i] != tc.writes[i] {
					t.Errorf("writes %q, want %q", got, tc.writes)
				}
			}
		})
	}
}
