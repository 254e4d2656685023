package replicaset_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/replicaset"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestScaleUpAndDown(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	rs := e.create(newReplicaSet("web", 3))
	pods := e.settled("web", 3)
	for _, p := range pods {
		ref := meta.GetControllerOf(p)
		if !strings.HasPrefix(p.Name, "web-") || p.GenerateName != "web-" || p.Labels["app"] != "web" ||
			ref == nil || ref.Kind != "ReplicaSet" || ref.APIVersion != "apps/v1" || ref.Name != "web" ||
			ref.UID != rs.UID || ref.BlockOwnerDeletion == nil || !*ref.BlockOwnerDeletion {
			t.Errorf("pod %s: generateName %q labels %v controller %+v", p.Name, p.GenerateName, p.Labels, ref)
		}
	}
	if got := e.get("web"); got.Status.ObservedGeneration != 1 || got.Status.FullyLabeledReplicas != 3 {
		t.Errorf("status %+v", got.Status)
	}
	e.eventually("three Created pod events", 0, func() bool {
		msgs := e.events("web", "SuccessfulCreate")
		return len(msgs) == 3 && strings.HasPrefix(msgs[0], "Created pod: web-")
	})

	e.scale("web", 5)
	e.settled("web", 5)
	e.scale("web", 1)
	e.settled("web", 1)
	if got := e.get("web"); got.Status.ObservedGeneration != got.Generation || got.Generation != 3 {
		t.Errorf("generation %d, observed %d", got.Generation, got.Status.ObservedGeneration)
	}
	e.eventually("four Deleted pod events", 0, func() bool { return len(e.events("web", "SuccessfulDelete")) == 4 })
	e.scale("web", 0)
	e.settled("web", 0)
}

// TestScaleDownRanking deletes the pods that cost least first: unscheduled, then pending, then
// not ready; the ready, running pod stays.
func TestScaleDownRanking(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	e.create(newReplicaSet("web", 4))
	pods := e.settled("web", 4)
	unscheduled, pending, notReady, ready := pods[0].Name, pods[1].Name, pods[2].Name, pods[3].Name
	e.setPod(unscheduled, "", core.PodPending, false)
	e.setPod(pending, "node-1", core.PodPending, false)
	e.setPod(notReady, "node-1", core.PodRunning, false)
	e.setPod(ready, "node-2", core.PodRunning, true)
	e.eventually("one ready pod counted", 0, func() bool { return e.get("web").Status.ReadyReplicas == 1 })

	e.scale("web", 3)
	if left := podNames(e.settled("web", 3)); slices.Contains(left, unscheduled) {
		t.Fatalf("the unscheduled pod survived: %v", left)
	}
	e.scale("web", 2)
	if left := podNames(e.settled("web", 2)); slices.Contains(left, pending) {
		t.Fatalf("the pending pod survived: %v", left)
	}
	e.scale("web", 1)
	if left := podNames(e.settled("web", 1)); !slices.Equal(left, []string{ready}) {
		t.Fatalf("left %v, want the ready pod %s", left, ready)
	}
}

func TestAdoptAndRelease(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	orphan, err := e.pods.Create(e.ctx, &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "orphan", Labels: map[string]string{"app": "web"}},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	managertest.WaitCached[*core.Pod](t, e.mgr, ns, "orphan") // else the controller may not see it yet
	web := e.create(newReplicaSet("web", 2))
	pods := e.settled("web", 2)
	if !slices.Contains(podNames(pods), orphan.Name) {
		t.Fatalf("the orphan was not adopted: %v", podNames(pods))
	}

	// A ReplicaSet whose selector also matches web's pods never takes them.
	other := newReplicaSet("other", 3)
	other.Spec.Selector = &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{
		{Key: "app", Operator: meta.LabelSelectorOpIn, Values: []string{"web", "other"}}}}
	e.create(other)
	e.settled("other", 3)
	for _, p := range e.activePods("web") {
		if !meta.IsControlledBy(p, web) {
			t.Fatalf("pod %s changed owner", p.Name)
		}
	}

	// Relabeling an owned pod releases it, and a replacement is created.
	if _, err := client.GuaranteedUpdate(e.ctx, e.pods, ns, "orphan", func(p *core.Pod) error {
		p.Labels = map[string]string{"app": "elsewhere"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.eventually("the relabeled pod released", 0, func() bool {
		p, err := e.pods.Get(e.ctx, ns, "orphan")
		return err == nil && len(p.OwnerReferences) == 0
	})
	if slices.Contains(podNames(e.settled("web", 2)), "orphan") {
		t.Fatal("the released pod is still counted")
	}
}

func TestDeletedPodIsReplaced(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	e.create(newReplicaSet("web", 2))
	pods := e.settled("web", 2)
	if _, err := e.pods.Delete(e.ctx, ns, pods[0].Name); err != nil {
		t.Fatal(err)
	}
	e.eventually("a replacement", 0, func() bool {
		now := e.activePods("web")
		return len(now) == 2 && !slices.Contains(podNames(now), pods[0].Name)
	})
}

// TestTerminatingPodIsReplacedAtOnce: a pod that starts a graceful deletion stops counting at
// once; it shows in terminatingReplicas until it is gone.
func TestTerminatingPodIsReplacedAtOnce(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	rs := newReplicaSet("web", 2)
	rs.Spec.Template.Finalizers = []string{"example.com/hold"} // keeps deleted pods around
	e.create(rs)
	pods := e.settled("web", 2)
	if _, err := e.pods.Delete(e.ctx, ns, pods[0].Name); err != nil {
		t.Fatal(err)
	}
	e.eventually("a replacement while the old pod terminates", 0, func() bool {
		got := e.get("web").Status
		return len(e.activePods("web")) == 2 && got.TerminatingReplicas != nil && *got.TerminatingReplicas == 1 && got.Replicas == 2
	})
}

// TestCreateFailure: creations refused by a quota-like admission hook fail the first pod of a
// batch, give the ReplicaSet a ReplicaFailure condition and Warning events, and are retried
// with back-off until the quota is lifted.
func TestCreateFailure(t *testing.T) {
	var (
		mu               sync.Mutex // guards allowed and created
		allowed, created = 3, 0
	)
	quota := store.NewForbidden(scheme.GroupResource{Resource: "pods"}, "web", "exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3")
	e := newEnv(t, replicaset.Options{}, func(_ context.Context, a store.Attributes) error {
		if a.Operation != store.OpCreate || a.Kind.GVK != scheme.PodGVK {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if created >= allowed {
			return quota
		}
		created++
		return nil
	})
	_ = e.create(newReplicaSet("web", 10))
	var failure *apps.ReplicaSetCondition
	e.eventually("ReplicaFailure", 0, func() bool {
		for _, c := range e.get("web").Status.Conditions {
			if c.Type == apps.ReplicaSetReplicaFailure {
				failure = &c
				return true
			}
		}
		return false
	})
	if failure.Reason != apps.FailedCreateReason || failure.Status != meta.ConditionTrue || !strings.Contains(failure.Message, "exceeded quota") {
		t.Errorf("condition %+v", failure)
	}
	if n := len(e.activePods("web")); n != 3 {
		t.Errorf("%d pods under a quota of 3", n)
	}
	e.eventually("FailedCreate events", 0, func() bool {
		msgs := e.events("web", "FailedCreate")
		return len(msgs) > 0 && strings.HasPrefix(msgs[0], "Error creating: ")
	})

	mu.Lock()
	allowed = 1000
	mu.Unlock()
	e.eventually("all pods once the quota is lifted", 50*time.Millisecond, func() bool {
		rs := e.get("web")
		return len(e.activePods("web")) == 10 && rs.Status.Replicas == 10 && len(rs.Status.Conditions) == 0
	})
}

// TestNeverOvershoots watches every pod event while a ReplicaSet scales up in many syncs
// (each pod event wakes it): expectations keep it from creating pods the cache does not show
// yet, so the active pods never exceed spec.replicas.
func TestNeverOvershoots(t *testing.T) {
	e := newEnv(t, replicaset.Options{BurstReplicas: 7}, nil)
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	w, err := e.pods.Watch(ctx, store.WatchOptions{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		peak int
	)
	var wg sync.WaitGroup
	wg.Go(func() {
		active := map[meta.UID]bool{}
		for ev := range w.ResultChan() {
			p := ev.Object
			if ev.Type == store.Deleted || !core.IsPodActive(p) {
				delete(active, p.UID)
			} else {
				active[p.UID] = true
			}
			mu.Lock()
			peak = max(peak, len(active))
			mu.Unlock()
		}
	})
	e.create(newReplicaSet("web", 40))
	e.settled("web", 40)
	e.scale("web", 25)
	e.settled("web", 25)
	e.scale("web", 45)
	e.settled("web", 45)
	cancel()
	wg.Wait()
	if peak > 45 {
		t.Fatalf("%d active pods at once for 45 replicas", peak)
	}
}

func TestMinReadySeconds(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	rs := newReplicaSet("web", 2)
	rs.Spec.MinReadySeconds = 10
	e.create(rs)
	pods := e.settled("web", 2)
	for _, p := range pods {
		e.setPod(p.Name, "node-1", core.PodRunning, true)
	}
	e.eventually("ready, not available", 0, func() bool {
		s := e.get("web").Status
		return s.ReadyReplicas == 2 && s.AvailableReplicas == 0
	})
	e.Clock.Step(5 * time.Second)
	if s := e.get("web").Status; s.AvailableReplicas != 0 {
		t.Fatalf("available after 5s of a 10s minReadySeconds: %+v", s)
	}
	e.eventually("available after minReadySeconds", time.Second, func() bool { return e.get("web").Status.AvailableReplicas == 2 })
	if e.Clock.Now().Before(pods[0].CreationTimestamp.Add(10 * time.Second)) {
		t.Fatal("available too early")
	}
}

// TestDeletingReplicaSet: a ReplicaSet being deleted (held by a finalizer) neither creates
// nor deletes pods, but still reports them.
func TestDeletingReplicaSet(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	rs := newReplicaSet("web", 2)
	rs.Finalizers = []string{"example.com/hold"}
	e.create(rs)
	pods := e.settled("web", 2)
	if _, err := e.rss.Delete(e.ctx, ns, "web"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pods.Delete(e.ctx, ns, pods[0].Name); err != nil {
		t.Fatal(err)
	}
	e.eventually("status of one pod", 0, func() bool { return e.get("web").Status.Replicas == 1 })
	e.scale("web", 0)
	e.eventually("the generation observed", 0, func() bool {
		rs := e.get("web")
		return rs.Status.ObservedGeneration == rs.Generation
	})
	if n := len(e.activePods("web")); n != 1 {
		t.Fatalf("%d pods: a deleting ReplicaSet created or deleted pods", n)
	}
}

// TestSelectorIsolation: two ReplicaSets with disjoint selectors each own only their pods.
func TestSelectorIsolation(t *testing.T) {
	e := newEnv(t, replicaset.Options{}, nil)
	a, b := e.create(newReplicaSet("a", 2)), e.create(newReplicaSet("b", 3))
	e.settled("a", 2)
	e.settled("b", 3)
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: ns, LabelSelector: selectorOf(a)})
	if err != nil || len(l.Items) != 2 {
		t.Fatalf("pods of a: %v, %v", l, err)
	}
	for _, p := range l.Items {
		if !meta.IsControlledBy(p, a) || meta.IsControlledBy(p, b) {
			t.Errorf("pod %s is not a's", p.Name)
		}
	}
}
