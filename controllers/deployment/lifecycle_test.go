package deployment_test

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/store"
)

// TestProgressDeadlineExceeded rolls out a template whose pods never become ready (the image
// cannot be pulled): once progressDeadlineSeconds pass without progress, Progressing turns
// False with reason ProgressDeadlineExceeded, while the old pods keep the Deployment
// Available.
func TestProgressDeadlineExceeded(t *testing.T) {
	p := startPlane(t, planeOptions{quiet: true})
	d := newDeployment("web", 4, "nginx:1.27")
	d.Spec.ProgressDeadlineSeconds = new(int32(60))
	p.create(d)
	p.waitComplete("web")
	start := p.clock.Now()
	p.update("web", setImage("nginx"+sim.ImageDoesNotExistSuffix))
	var c *apps.DeploymentCondition
	p.eventuallyStep("ProgressDeadlineExceeded", time.Second, func() bool {
		c = condition(p.get("web"), apps.DeploymentProgressing)
		return c != nil && c.Reason == apps.TimedOutReason
	})
	if elapsed := p.clock.Now().Sub(start); elapsed < 60*time.Second {
		t.Errorf("timed out after %v of a 60s deadline", elapsed)
	}
	d = p.get("web")
	var newName string
	for name, rs := range p.replicaSets("web") {
		if rs.Annotations[apps.RevisionAnnotation] == "2" {
			newName = name
		}
	}
	if c.Status != meta.ConditionFalse || c.Message != `ReplicaSet "`+newName+`" has timed out progressing.` {
		t.Errorf("Progressing %+v", c)
	}
	if got := conditionReason(d, apps.DeploymentAvailable); got != apps.MinimumReplicasAvailable {
		t.Errorf("Available reason %q", got)
	}
}

// TestDeletedPodIsReplaced: a pod of a Deployment that is deleted is replaced by its
// ReplicaSet, and the Deployment returns to full availability.
func TestDeletedPodIsReplaced(t *testing.T) {
	p := startPlane(t, planeOptions{})
	p.create(newDeployment("web", 3, "nginx:1.27"))
	p.waitComplete("web")
	victim := p.activePods("web")[0]
	if _, err := p.pods.Delete(p.ctx, ns, victim.Name); err != nil {
		t.Fatal(err)
	}
	p.eventually("a replacement, all available", func() bool {
		pods := p.activePods("web")
		return len(pods) == 3 && !slices.ContainsFunc(pods, func(pod *core.Pod) bool { return pod.UID == victim.UID }) && p.complete("web")
	})
}

// TestDeleteDeploymentRemovesEverything: deleting a Deployment (background propagation)
// makes the garbage collector delete its ReplicaSets, then their pods.
func TestDeleteDeploymentRemovesEverything(t *testing.T) {
	p := startPlane(t, planeOptions{})
	p.create(newDeployment("web", 3, "nginx:1.27"))
	p.waitComplete("web")
	p.rolloutImages("web", "nginx:1.28") // two ReplicaSets
	if _, err := p.deployments.Delete(p.ctx, ns, "web", client.PropagationPolicy(meta.DeletePropagationBackground)); err != nil {
		t.Fatal(err)
	}
	p.eventually("ReplicaSets and pods gone", func() bool {
		rss, err := p.rss.List(p.ctx, store.ListOptions{Namespace: ns})
		if err != nil || len(rss.Items) != 0 {
			return false
		}
		pods, err := p.pods.List(p.ctx, store.ListOptions{Namespace: ns})
		return err == nil && len(pods.Items) == 0
	})
}

// TestMinReadySeconds: pods count as available only minReadySeconds after they became ready,
// so the Deployment becomes Available then, on the clock.
func TestMinReadySeconds(t *testing.T) {
	p := startPlane(t, planeOptions{})
	d := newDeployment("web", 3, "nginx:1.27")
	d.Spec.MinReadySeconds = 30
	p.create(d)
	p.eventuallyStep("ready, not available", 0, func() bool {
		st := p.get("web").Status
		return st.ReadyReplicas == 3 && st.AvailableReplicas == 0
	})
	if got := conditionReason(p.get("web"), apps.DeploymentAvailable); got != apps.MinimumReplicasUnavailable {
		t.Errorf("Available reason %q before minReadySeconds", got)
	}
	start := p.clock.Now()
	p.eventuallyStep("available after minReadySeconds", time.Second, func() bool { return p.complete("web") })
	if elapsed := p.clock.Now().Sub(start); elapsed < 30*time.Second {
		t.Errorf("available after %v of a 30s minReadySeconds", elapsed)
	}
	rs := p.replicaSets("web")
	for _, r := range rs {
		if r.Spec.MinReadySeconds != 30 {
			t.Errorf("ReplicaSet %s minReadySeconds %d", r.Name, r.Spec.MinReadySeconds)
		}
	}
}
