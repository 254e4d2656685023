package daemonset_test

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/internal/watchtest"
	"github.com/skiff-dev/skiff/store"
)

// onePodPerNode is the placement invariant of DaemonSet name without surge: a pod is never
// created on a node in forbidden, nor on a node that already has a live pod of the set.
func onePodPerNode(name string, forbidden ...string) watchtest.Check[*core.Pod] {
	return func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
		p := ev.Object
		if ev.Type != store.Added || p.Labels["app"] != name {
			return ""
		}
		if slices.Contains(forbidden, p.Spec.NodeName) {
			return fmt.Sprintf("%s created on ineligible node %s", p.Name, p.Spec.NodeName)
		}
		for _, q := range before {
			if q.Labels["app"] == name && q.Spec.NodeName == p.Spec.NodeName && q.DeletionTimestamp == nil {
				return fmt.Sprintf("%s created on %s, which runs %s", p.Name, p.Spec.NodeName, q.Name)
			}
		}
		return ""
	}
}

// TestPlacement runs a DaemonSet on 5 nodes, one tainted NoSchedule and one with a
// non-matching label, then adds a node, taints nodes and relabels one.
func TestPlacement(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m, 3)
			e.addNode("node-4", nil, core.Taint{Key: "dedicated", Value: "infra", Effect: core.TaintEffectNoSchedule})
			e.addNode("node-5", map[string]string{core.LabelOSStable: "windows"})
			e.watchPods(onePodPerNode("agent", "node-4", "node-5"))

			e.create(newDS("agent"))
			e.eventually("a pod on each eligible node", func() bool { return e.settledOn("agent", "node-1", "node-2", "node-3") })
			for node, pods := range e.podsByNode("agent") {
				checkDaemonPod(t, e.get("agent"), pods[0], node)
			}

			// A new node gets a pod at once.
			e.addNode("node-6", nil)
			e.eventually("a pod on node-6", func() bool { return e.settledOn("agent", "node-1", "node-2", "node-3", "node-6") })

			// A new NoSchedule taint keeps the pod that runs; it is now misscheduled.
			keep := e.podsByNode("agent")["node-3"][0]
			e.updateNode("node-3", func(n *core.Node) {
				n.Spec.Taints = append(n.Spec.Taints, core.Taint{Key: "dedicated", Value: "db", Effect: core.TaintEffectNoSchedule})
			})
			e.eventually("node-3 misscheduled", func() bool {
				st := e.get("agent").Status
				return st.DesiredNumberScheduled == 3 && st.NumberMisscheduled == 1
			})
			if pods := e.podsByNode("agent")["node-3"]; len(pods) != 1 || pods[0].UID != keep.UID {
				t.Errorf("node-3 pods %v, want %s kept", pods, keep.Name)
			}

			// A NoExecute taint removes the pod.
			e.updateNode("node-2", func(n *core.Node) {
				n.Spec.Taints = append(n.Spec.Taints, core.Taint{Key: "maintenance", Effect: core.TaintEffectNoExecute})
			})
			e.eventually("no pod on node-2", func() bool {
				_, has := e.podsByNode("agent")["node-2"]
				st := e.get("agent").Status
				return !has && st.DesiredNumberScheduled == 2 && st.CurrentNumberScheduled == 2
			})

			// A node that stops matching the node selector loses its pod.
			e.updateNode("node-1", func(n *core.Node) { n.Labels[core.LabelOSStable] = "windows" })
			e.eventually("no pod on node-1", func() bool {
				byNode := e.podsByNode("agent")
				_, has := byNode["node-1"]
				st := e.get("agent").Status
				return !has && len(byNode) == 2 && st.DesiredNumberScheduled == 1 && st.NumberMisscheduled == 1 &&
					st.NumberReady == 1 && st.NumberAvailable == 1 && st.NumberUnavailable == 0
			})
		})
	}
}

// checkDaemonPod checks what the controller puts on a daemon pod.
func checkDaemonPod(t *testing.T, ds *apps.DaemonSet, p *core.Pod, node string) {
	t.Helper()
	if p.Spec.NodeName != node || !meta.IsControlledBy(p, ds) {
		t.Errorf("%s: node %q, owners %v", p.Name, p.Spec.NodeName, p.OwnerReferences)
	}
	if p.Labels[apps.DaemonSetTemplateGenerationKey] != "1" || p.Labels[apps.DefaultDaemonSetUniqueLabelKey] == "" {
		t.Errorf("%s: labels %v", p.Name, p.Labels)
	}
	for _, key := range []string{core.TaintNodeNotReady, core.TaintNodeUnreachable, core.TaintNodeDiskPressure,
		core.TaintNodeMemoryPressure, core.TaintNodePIDPressure, core.TaintNodeUnschedulable} {
		if !slices.ContainsFunc(p.Spec.Tolerations, func(tol core.Toleration) bool {
			return tol.Key == key && tol.Operator == core.TolerationOpExists && tol.TolerationSeconds == nil
		}) {
			t.Errorf("%s: no toleration of %s in %v", p.Name, key, p.Spec.Tolerations)
		}
	}
}

// unavailableNodes counts the nodes without a live, Running and Ready pod of name.
func unavailableNodes(pods map[string]*core.Pod, name string, nodes []string) int {
	up := map[string]bool{}
	for _, p := range pods {
		if p.Labels["app"] == name && available(p) {
			up[p.Spec.NodeName] = true
		}
	}
	n := 0
	for _, node := range nodes {
		if !up[node] {
			n++
		}
	}
	return n
}

var fiveNodes = []string{"node-1", "node-2", "node-3", "node-4", "node-5"}

// TestRollingUpdate updates 5 nodes with maxUnavailable 2: no event ever shows more than 2
// nodes without an available pod.
func TestRollingUpdate(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m, 5)
			var rolling window
			var worst atomic.Int32
			e.watchPods(func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
				if !rolling.contains(ev.Revision) {
					return ""
				}
				n := unavailableNodes(watchtest.After(before, ev), "agent", fiveNodes)
				if int32(n) > worst.Load() {
					worst.Store(int32(n))
				}
				if n > 2 {
					return fmt.Sprintf("%d nodes unavailable after %s %s (%s)", n, ev.Type, ev.Object.Name, describe(ev.Object))
				}
				return ""
			})
			e.create(newDS("agent", func(ds *apps.DaemonSet) {
				ds.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateDaemonSet{MaxUnavailable: new(intstr.FromInt(2))}
			}))
			e.eventually("a pod on each node", func() bool { return e.settledOn("agent", fiveNodes...) })
			rolling.open(e)
			e.update("agent", func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "agent:2.0" })
			e.eventually("rolled out", func() bool {
				return e.get("agent").Generation == 2 && e.settledOn("agent", fiveNodes...)
			})
			rolling.close(e)
			for _, pods := range e.podsByNode("agent") {
				if img := pods[0].Spec.Containers[0].Image; img != "agent:2.0" || pods[0].Labels[apps.DaemonSetTemplateGenerationKey] != "2" {
					t.Errorf("%s runs %s, labels %v", pods[0].Name, img, pods[0].Labels)
				}
			}
			if worst.Load() == 0 {
				t.Error("the update never made a node unavailable: the checker saw nothing")
			}
			l, _ := e.revs.List(e.ctx, store.ListOptions{Namespace: "default"})
			if len(l.Items) != 2 {
				t.Errorf("%d ControllerRevisions, want 2", len(l.Items))
			}
		})
	}
}

// TestSurge updates with maxSurge 1: every node always has an available pod, an old pod is
// deleted only once the new one on its node is available, and at most one node waits for a
// new pod at a time.
func TestSurge(t *testing.T) {
	e := startEnv(t, modes[0], 4)
	nodes := fiveNodes[:4]
	var rolling window
	e.watchPods(func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
		if !rolling.contains(ev.Revision) {
			return ""
		}
		after := watchtest.After(before, ev)
		if n := unavailableNodes(after, "agent", nodes); n > 0 {
			return fmt.Sprintf("%d nodes unavailable after %s %s", n, ev.Type, ev.Object.Name)
		}
		old := before[ev.Object.Name]
		if old != nil && old.DeletionTimestamp == nil && (ev.Object.DeletionTimestamp != nil || ev.Type == store.Deleted) &&
			old.Spec.Containers[0].Image == "agent:1.0" {
			if !slices.ContainsFunc(slices.Collect(maps.Values(after)), func(p *core.Pod) bool {
				return p.Spec.NodeName == old.Spec.NodeName && available(p) && p.Spec.Containers[0].Image == "agent:2.0"
			}) {
				return fmt.Sprintf("old pod %s deleted before a new pod on %s was available", old.Name, old.Spec.NodeName)
			}
		}
		waiting := 0
		perNode := map[string][]*core.Pod{}
		for _, p := range after {
			if p.DeletionTimestamp == nil {
				perNode[p.Spec.NodeName] = append(perNode[p.Spec.NodeName], p)
			}
		}
		for _, ps := range perNode {
			if len(ps) > 1 && slices.ContainsFunc(ps, func(p *core.Pod) bool { return !available(p) }) {
				waiting++
			}
		}
		if waiting > 1 {
			return fmt.Sprintf("%d nodes surging after %s %s", waiting, ev.Type, ev.Object.Name)
		}
		return ""
	})
	e.create(newDS("agent", func(ds *apps.DaemonSet) {
		ds.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateDaemonSet{MaxUnavailable: new(intstr.FromInt(0)), MaxSurge: new(intstr.FromInt(1))}
	}))
	e.eventually("a pod on each node", func() bool { return e.settledOn("agent", nodes...) })
	rolling.open(e)
	e.update("agent", func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "agent:2.0" })
	e.eventually("rolled out", func() bool { return e.get("agent").Generation == 2 && e.settledOn("agent", nodes...) })
	rolling.close(e)
}

// TestOnDelete replaces only the pods the user deletes; a rollback reuses the old revision.
func TestOnDelete(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m, 2)
			e.create(newDS("agent", func(ds *apps.DaemonSet) {
				ds.Spec.UpdateStrategy = apps.DaemonSetUpdateStrategy{Type: apps.OnDeleteDaemonSetStrategyType}
			}))
			e.eventually("a pod on each node", func() bool { return e.settledOn("agent", "node-1", "node-2") })
			before := e.podsByNode("agent")
			e.update("agent", func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "agent:2.0" })
			e.eventually("status sees the new template", func() bool {
				ds := e.get("agent")
				return ds.Status.ObservedGeneration == 2 && ds.Status.UpdatedNumberScheduled == 0
			})
			e.advance(time.Minute)
			victim := before["node-2"][0]
			if _, err := e.pods.Delete(e.ctx, "default", victim.Name); err != nil {
				t.Fatal(err)
			}
			e.eventually("node-2 replaced", func() bool {
				pods := e.podsByNode("agent")["node-2"]
				st := e.get("agent").Status
				return len(pods) == 1 && pods[0].UID != victim.UID && available(pods[0]) &&
					pods[0].Spec.Containers[0].Image == "agent:2.0" && st.UpdatedNumberScheduled == 1 && st.NumberAvailable == 2
			})
			if p := e.podsByNode("agent")["node-1"]; len(p) != 1 || p[0].UID != before["node-1"][0].UID {
				t.Error("node-1's pod was replaced without being deleted")
			}

			// Back to the first template: its revision is reused, and node-1's pod is current again.
			e.update("agent", func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "agent:1.0" })
			e.eventually("rolled back", func() bool {
				ds := e.get("agent")
				return ds.Status.ObservedGeneration == 3 && ds.Status.UpdatedNumberScheduled == 1
			})
			l, _ := e.revs.List(e.ctx, store.ListOptions{Namespace: "default"})
			if len(l.Items) != 2 {
				t.Errorf("%d revisions after a rollback, want 2", len(l.Items))
			}
		})
	}
}

// TestFailedPodReplaced deletes a failed daemon pod and creates a new one.
func TestFailedPodReplaced(t *testing.T) {
	e := startEnv(t, modes[0], 1)
	e.create(newDS("agent"))
	e.eventually("a pod", func() bool { return e.settledOn("agent", "node-1") })
	old := e.podsByNode("agent")["node-1"][0]
	failed := old.DeepCopyObject().(*core.Pod)
	failed.Status.Phase = core.PodFailed
	if _, err := e.pods.UpdateStatus(e.ctx, failed); err != nil {
		t.Fatal(err)
	}
	e.eventually("a new pod", func() bool {
		pods := e.podsByNode("agent")["node-1"]
		return len(pods) == 1 && pods[0].UID != old.UID && e.settledOn("agent", "node-1")
	})
}

// TestAdoptsOrphan adopts a matching pod without a controller instead of creating another.
func TestAdoptsOrphan(t *testing.T) {
	e := startEnv(t, modes[0], 1)
	ds := newDS("agent", func(ds *apps.DaemonSet) {
		ds.Spec.UpdateStrategy = apps.DaemonSetUpdateStrategy{Type: apps.OnDeleteDaemonSetStrategyType} // keep the orphan's template
	})
	orphan := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "agent-orphan", Labels: ds.Spec.Template.Labels},
		Spec:       *ds.Spec.Template.Spec.DeepCopy(),
	}
	orphan.Spec.NodeName = "node-1"
	if _, err := e.pods.Create(e.ctx, orphan); err != nil {
		t.Fatal(err)
	}
	managertest.WaitCached[*core.Pod](t, e.mgr, "default", "agent-orphan") // else the controller may not see it yet
	e.create(ds)
	e.eventually("orphan adopted", func() bool {
		pods := e.podsByNode("agent")["node-1"]
		return len(pods) == 1 && pods[0].Name == "agent-orphan" && meta.IsControlledBy(pods[0], e.get("agent")) &&
			e.get("agent").Status.CurrentNumberScheduled == 1
	})
}

func describe(p *core.Pod) string {
	var conds []string
	for _, c := range p.Status.Conditions {
		conds = append(conds, fmt.Sprintf("%s=%s@%v", c.Type, c.Status, c.LastTransitionTime.Time.Format("15:04:05")))
	}
	return fmt.Sprintf("node %s phase %s image %s deleting %v conds %v rv %s", p.Spec.NodeName, p.Status.Phase,
		p.Spec.Containers[0].Image, p.DeletionTimestamp != nil, conds, p.ResourceVersion)
}
