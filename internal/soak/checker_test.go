package soak

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// feed is a Checker under test with a revision counter and a clock.
type feed struct {
	t   *testing.T
	c   *Checker
	rev uint64
	now time.Time
}

func newFeed(t *testing.T) *feed {
	return &feed{t: t, c: NewChecker(2*time.Second, 5*time.Second), now: t0.Add(time.Minute)}
}

func (f *feed) send(typ store.EventType, o meta.Object) {
	f.rev++
	f.now = f.now.Add(10 * time.Millisecond)
	f.c.Observe(Event{Type: typ, Object: o, Revision: f.rev}, f.now)
}

func (f *feed) wantViolations(inv string, n int) {
	f.t.Helper()
	got := 0
	for _, v := range f.c.Violations() {
		if v.Invariant == inv {
			got++
		}
	}
	if got != n {
		f.t.Fatalf("%d %s violations, want %d: %v", got, inv, n, f.c.Violations())
	}
}

func controllerRef(kind, name string, uid meta.UID) []meta.OwnerReference {
	return []meta.OwnerReference{{Kind: kind, Name: name, UID: uid, Controller: ptr(true)}}
}

func testDeployment(replicas int32, surge, unavailable int, stable bool) *apps.Deployment {
	d := &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: "web", UID: "dep", Generation: 1},
		Spec: apps.DeploymentSpec{
			Replicas: ptr(replicas),
			Strategy: apps.DeploymentStrategy{Type: apps.RollingUpdateDeploymentStrategyType, RollingUpdate: &apps.RollingUpdateDeployment{
				MaxSurge: intstr.Ptr(intstr.FromInt(surge)), MaxUnavailable: intstr.Ptr(intstr.FromInt(unavailable)),
			}},
		},
	}
	if stable {
		d.Status = apps.DeploymentStatus{ObservedGeneration: 1, Replicas: replicas, UpdatedReplicas: replicas, ReadyReplicas: replicas, AvailableReplicas: replicas}
	}
	return d
}

func testRS(name string, replicas int32) *apps.ReplicaSet {
	return &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name, UID: meta.UID(name), OwnerReferences: controllerRef("Deployment", "web", "dep")},
		Spec:       apps.ReplicaSetSpec{Replicas: ptr(replicas)},
	}
}

func testPod(name, ownerKind, owner string, ownerUID meta.UID, ready bool) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name, UID: meta.UID("uid-" + name), OwnerReferences: controllerRef(ownerKind, owner, ownerUID)},
		Status:     core.PodStatus{Phase: core.PodRunning},
	}
	status := meta.ConditionFalse
	if ready {
		status = meta.ConditionTrue
	}
	p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: status}}
	return p
}

// stableDeploymentFeed brings a Deployment with replicas pods of ReplicaSet "old" to a
// stable state, so that its checks are armed.
func stableDeploymentFeed(t *testing.T, replicas int32, surge, unavailable int) *feed {
	f := newFeed(t)
	f.send(store.Added, testRS("old", replicas))
	for i := range replicas {
		f.send(store.Added, testPod("old-"+string(rune('a'+i)), "ReplicaSet", "old", "old", true))
	}
	f.send(store.Modified, testDeployment(replicas, surge, unavailable, true))
	if st := f.c.deps[Namespace+"/web"]; st == nil || !st.surgeArmed || !st.availArmed {
		t.Fatal("a stable Deployment is not armed")
	}
	return f
}

func TestDeploymentSurgeDetected(t *testing.T) {
	f := stableDeploymentFeed(t, 3, 1, 0)
	f.send(store.Added, testRS("new", 1)) // 3 + 1: at the bound
	f.wantViolations(InvDeploymentSurge, 0)
	f.send(store.Modified, testRS("new", 2)) // 3 + 2 > 3 + 1
	f.wantViolations(InvDeploymentSurge, 1)
}

func TestDeploymentLivePodsAboveSurgeDetected(t *testing.T) {
	f := stableDeploymentFeed(t, 2, 0, 1)
	f.send(store.Added, testPod("old-x", "ReplicaSet", "old", "old", false)) // a third live pod
	f.wantViolations(InvDeploymentSurge, 1)
}

func TestDeploymentUnavailableDetected(t *testing.T) {
	f := stableDeploymentFeed(t, 3, 1, 0)
	f.send(store.Modified, testPod("old-a", "ReplicaSet", "old", "old", false))
	f.wantViolations(InvDeploymentUnavailable, 1)
}

func TestDeploymentRollingWithinBoundsIsFine(t *testing.T) {
	f := stableDeploymentFeed(t, 2, 1, 0)
	f.send(store.Added, testRS("new", 1))
	f.send(store.Added, testPod("new-a", "ReplicaSet", "new", "new", false))
	f.send(store.Modified, testPod("new-a", "ReplicaSet", "new", "new", true))
	f.send(store.Modified, testRS("old", 1))
	gone := testPod("old-a", "ReplicaSet", "old", "old", true)
	gone.DeletionTimestamp = &meta.Time{Time: f.now}
	f.send(store.Modified, gone)
	f.send(store.Deleted, gone)
	f.wantViolations(InvDeploymentSurge, 0)
	f.wantViolations(InvDeploymentUnavailable, 0)
	if f.c.Checks() == 0 {
		t.Fatal("no checks were made")
	}
}

func TestDeploymentDisarmedByDisruptionAndResize(t *testing.T) {
	f := stableDeploymentFeed(t, 3, 1, 0)
	f.c.StartDisruption()
	f.send(store.Modified, testPod("old-a", "ReplicaSet", "old", "old", false))
	f.wantViolations(InvDeploymentUnavailable, 0)
	// The surge bound still holds in a disruption.
	f.send(store.Added, testRS("new", 2))
	f.wantViolations(InvDeploymentSurge, 1)
	f.send(store.Deleted, testRS("new", 2))

	// The disruption ends; a stable status at an older revision, or too soon, arms the
	// availability check again only once settled.
	f.send(store.Modified, testPod("old-a", "ReplicaSet", "old", "old", true))
	f.c.EndDisruption(f.rev+1, f.now)
	f.send(store.Modified, testDeployment(3, 1, 0, true))
	f.send(store.Modified, testDeployment(3, 1, 0, true))
	if st := f.c.deps[Namespace+"/web"]; !st.surgeArmed || st.availArmed {
		t.Fatalf("before the settle time: surge armed %t, availability armed %t; want true, false", st.surgeArmed, st.availArmed)
	}
	f.now = f.now.Add(5 * time.Second)
	f.send(store.Modified, testDeployment(3, 1, 0, true))
	if !f.c.deps[Namespace+"/web"].availArmed {
		t.Fatal("availability not armed again after the disruption settled")
	}
	// Resized: the old bounds no longer apply.
	f.send(store.Modified, testDeployment(6, 1, 0, false))
	f.send(store.Modified, testRS("old", 6))
	f.wantViolations(InvDeploymentUnavailable, 0)
	f.wantViolations(InvDeploymentSurge, 1)
}

func TestDeploymentNotArmedFromSync(t *testing.T) {
	f := newFeed(t)
	f.send(Sync, testDeployment(3, 1, 0, true))
	if st := f.c.deps[Namespace+"/web"]; st.surgeArmed || st.availArmed {
		t.Fatal("a listed Deployment is armed: the list says nothing of what happened before")
	}
}

func testSet(policy apps.PodManagementPolicyType) *apps.StatefulSet {
	return &apps.StatefulSet{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: "db", UID: "set"},
		Spec:       apps.StatefulSetSpec{Replicas: ptr(int32(3)), PodManagementPolicy: policy},
	}
}

func setPod(ord string, ready bool) *core.Pod {
	return testPod("db-"+ord, "StatefulSet", "db", "set", ready)
}

func TestStatefulSetOrderViolationDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testSet(apps.OrderedReadyPodManagement))
	f.send(store.Added, setPod("0", false))
	f.send(store.Added, setPod("1", false)) // db-0 is not ready: too early
	f.wantViolations(InvStatefulSetOrder, 0)
	f.now = f.now.Add(3 * time.Second) // db-0 has been not ready for longer than the grace
	f.send(store.Added, setPod("2", false))
	f.wantViolations(InvStatefulSetOrder, 1)
}

func TestStatefulSetMissingLowerOrdinalDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testSet(apps.OrderedReadyPodManagement))
	f.send(store.Added, setPod("1", false))
	f.wantViolations(InvStatefulSetOrder, 1)
}

func TestStatefulSetInOrderIsFine(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testSet(apps.OrderedReadyPodManagement))
	f.send(store.Added, setPod("0", false))
	f.send(store.Modified, setPod("0", true))
	f.send(store.Added, setPod("1", false))
	f.send(store.Modified, setPod("1", true))
	f.send(store.Added, setPod("2", false))
	// db-0 crashes; db-3 is created just after, before the controller could know.
	f.send(store.Deleted, setPod("0", true))
	f.send(store.Modified, setPod("2", true))
	f.send(store.Added, setPod("3", false))
	f.wantViolations(InvStatefulSetOrder, 0)
	if f.c.Checks() != 3 {
		t.Fatalf("%d checks, want 3 (one per creation above ordinal 0)", f.c.Checks())
	}
}

func TestStatefulSetParallelIsNotChecked(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testSet(apps.ParallelPodManagement))
	f.send(store.Added, setPod("2", false))
	f.wantViolations(InvStatefulSetOrder, 0)
}

func daemonPod(name, node string, pinnedOnly bool) *core.Pod {
	p := testPod(name, "DaemonSet", "agent", "ds", true)
	if pinnedOnly {
		p.Spec.Affinity = &core.Affinity{NodeAffinity: &core.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &core.NodeSelector{
			NodeSelectorTerms: []core.NodeSelectorTerm{{MatchFields: []core.NodeSelectorRequirement{{Key: "metadata.name", Operator: core.NodeSelectorOpIn, Values: []string{node}}}}},
		}}}
	} else {
		p.Spec.NodeName = node
	}
	return p
}

func TestDaemonSetTwoPodsOnANodeDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, daemonPod("agent-a", "node-1", false))
	f.send(store.Added, daemonPod("agent-b", "node-2", false))
	f.wantViolations(InvDaemonSetOnePerNode, 0)
	f.send(store.Added, daemonPod("agent-c", "node-1", true)) // pinned, not yet bound
	f.wantViolations(InvDaemonSetOnePerNode, 1)
}

func TestDaemonSetReplacementIsFine(t *testing.T) {
	f := newFeed(t)
	old := daemonPod("agent-a", "node-1", false)
	f.send(store.Added, old)
	old = old.DeepCopyObject().(*core.Pod)
	old.DeletionTimestamp = &meta.Time{Time: f.now}
	f.send(store.Modified, old)
	f.send(store.Added, daemonPod("agent-b", "node-1", true))
	failed := daemonPod("agent-c", "node-2", false)
	failed.Status.Phase = core.PodFailed
	f.send(store.Added, failed)
	f.send(store.Added, daemonPod("agent-d", "node-2", false))
	f.wantViolations(InvDaemonSetOnePerNode, 0)
}

func testJob(succeeded, failed int32) *batch.Job {
	return &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: "batch", UID: "job"},
		Spec:       batch.JobSpec{Completions: ptr(int32(3))},
		Status:     batch.JobStatus{Succeeded: succeeded, Failed: failed},
	}
}

func jobPod(name string, phase core.PodPhase) *core.Pod {
	p := testPod(name, "Job", "batch", "job", false)
	p.Status.Phase = phase
	return p
}

func TestJobPodCountedTwiceDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testJob(0, 0))
	f.send(store.Modified, jobPod("batch-a", core.PodSucceeded))
	f.send(store.Modified, jobPod("batch-a", core.PodSucceeded)) // the same pod again
	f.send(store.Modified, testJob(1, 0))
	f.wantViolations(InvJobCountedTwice, 0)
	f.send(store.Modified, testJob(2, 0))
	f.wantViolations(InvJobCountedTwice, 1)
}

func TestJobFailedCountsDeletedPods(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, testJob(0, 0))
	f.send(store.Added, jobPod("batch-a", core.PodRunning))
	f.send(store.Deleted, jobPod("batch-a", core.PodRunning)) // killed: a failure
	f.send(store.Modified, jobPod("batch-b", core.PodFailed))
	f.send(store.Modified, testJob(0, 2))
	f.wantViolations(InvJobCountedTwice, 0)
	f.send(store.Modified, testJob(0, 3))
	f.wantViolations(InvJobCountedTwice, 1)
}

func TestJobMemorySurvivesReset(t *testing.T) {
	f := newFeed(t)
	f.send(store.Modified, jobPod("batch-a", core.PodSucceeded))
	f.send(store.Modified, jobPod("batch-b", core.PodSucceeded))
	f.c.Reset() // the plane was reopened; the pods are gone from the new list
	f.send(Sync, testJob(2, 0))
	f.wantViolations(InvJobCountedTwice, 0)
	f.send(store.Modified, testJob(4, 0)) // and above completions
	f.wantViolations(InvJobCountedTwice, 2)
}

func TestViolationString(t *testing.T) {
	v := Violation{Invariant: InvWriteLost, Object: "soak/x", Revision: 7, Detail: "gone"}
	if s := v.String(); !strings.Contains(s, InvWriteLost) || !strings.Contains(s, "soak/x") || !strings.Contains(s, "7") {
		t.Errorf("String() = %q", s)
	}
}

func TestRollingBounds(t *testing.T) {
	for _, tc := range []struct {
		replicas           int32
		surge, unavailable intstr.IntOrString
		wantS, wantU       int
	}{
		{4, intstr.FromString("25%"), intstr.FromString("25%"), 1, 1},
		{3, intstr.FromString("25%"), intstr.FromString("25%"), 1, 0},
		{5, intstr.FromInt(0), intstr.FromInt(0), 0, 1},
		{5, intstr.FromInt(2), intstr.FromInt(1), 2, 1},
	} {
		d := testDeployment(tc.replicas, 0, 0, false)
		d.Spec.Strategy.RollingUpdate = &apps.RollingUpdateDeployment{MaxSurge: intstr.Ptr(tc.surge), MaxUnavailable: intstr.Ptr(tc.unavailable)}
		s, u, err := rollingBounds(d)
		if err != nil || s != tc.wantS || u != tc.wantU {
			t.Errorf("%d replicas, %v/%v: %d, %d, %v; want %d, %d", tc.replicas, tc.surge, tc.unavailable, s, u, err, tc.wantS, tc.wantU)
		}
	}
}

func TestJobCountRegressionDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Modified, jobPod("batch-a", core.PodSucceeded))
	f.send(store.Modified, jobPod("batch-b", core.PodFailed))
	f.send(store.Modified, testJob(1, 1))
	f.send(store.Modified, testJob(1, 1))
	f.wantViolations(InvJobCountRegressed, 0)
	f.send(store.Modified, testJob(0, 1)) // a stale status written back
	f.wantViolations(InvJobCountRegressed, 1)
}

func cronJob(policy batch.ConcurrencyPolicy) *batch.CronJob {
	return &batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: "tick", UID: "cron"},
		Spec:       batch.CronJobSpec{ConcurrencyPolicy: policy},
	}
}

func cronRun(name string, complete bool) *batch.Job {
	j := &batch.Job{ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name, UID: meta.UID(name), OwnerReferences: controllerRef("CronJob", "tick", "cron")}}
	if complete {
		j.Status.Conditions = []batch.JobCondition{{Type: batch.JobComplete, Status: meta.ConditionTrue}}
	}
	return j
}

func TestCronJobForbidConcurrencyDetected(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, cronJob(batch.ForbidConcurrent))
	f.send(store.Added, cronRun("tick-1", false))
	f.send(store.Modified, cronRun("tick-1", true))
	f.send(store.Added, cronRun("tick-2", false)) // after tick-1 finished: fine
	f.wantViolations(InvCronJobForbid, 0)
	f.send(store.Added, cronRun("tick-3", false)) // tick-2 still runs
	f.wantViolations(InvCronJobForbid, 1)
}

func TestCronJobAllowConcurrencyIsNotChecked(t *testing.T) {
	f := newFeed(t)
	f.send(store.Added, cronJob(batch.AllowConcurrent))
	f.send(store.Added, cronRun("tick-1", false))
	f.send(store.Added, cronRun("tick-2", false))
	f.wantViolations(InvCronJobForbid, 0)
}
