package deployment_test

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/deployment"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// TestRecreateNeverMixes rolls out a Recreate Deployment whose pods take their whole grace
// period to stop: the new ReplicaSet gets pods only once every old pod is gone, which a
// checker verifies at every pod event.
func TestRecreateNeverMixes(t *testing.T) {
	p := startPlane(t, planeOptions{})
	d := newDeployment("web", 5, "nginx:1.27")
	d.Spec.Strategy = apps.DeploymentStrategy{Type: apps.RecreateDeploymentStrategyType}
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = new(int64(5))
	d.Spec.Template.Annotations = map[string]string{sim.AnnotationIgnoreSIGTERM: "true"}
	p.create(d)
	p.waitComplete("web")

	next := p.get("web").Spec.Template.DeepCopy()
	next.Spec.Containers[0].Image = "nginx:1.28"
	c := watchPods(t, p, "web")
	c.armNoMixing(deployment.ComputeHash(next, nil))
	p.update("web", setImage("nginx:1.28"))
	p.eventually("old pods terminating, the new ReplicaSet not yet scaled", func() bool {
		d := p.get("web")
		return d.Status.Replicas == 0 && d.Status.TerminatingReplicas != nil && *d.Status.TerminatingReplicas == 5
	})
	if n := len(p.replicaSets("web")); n != 1 {
		t.Fatalf("%d ReplicaSets while old pods terminate: the new one was created too early", n)
	}
	p.eventuallyStep("web rolled out", 100*time.Millisecond, func() bool { return p.complete("web") })
	events, _, _ := c.report()
	t.Logf("%d pod events, old and new never together", events)
	if msgs := p.events("web", "ScalingReplicaSet"); len(msgs) != 3 {
		t.Errorf("scaling events %q, want up (create), down, up (create)", msgs)
	}
}

// TestPauseAndResume pauses a Deployment in the middle of a rollout: the rollout stops where
// it is, even as new pods become ready, while the Deployment still scales; resuming finishes
// it.
func TestPauseAndResume(t *testing.T) {
	p := startPlane(t, planeOptions{})
	p.create(newDeployment("web", 10, "nginx:1.27"))
	p.waitComplete("web")

	// New pods become ready one minute after they start, so the rollout stops after its
	// first step until the clock moves.
	p.update("web", func(d *apps.Deployment) {
		d.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
		d.Spec.Template.Annotations = map[string]string{sim.AnnotationReadyAfter: "1m"}
	})
	newName := ""
	p.eventuallyStep("first rollout step", 0, func() bool {
		d := p.get("web")
		for name, rs := range p.replicaSets("web") {
			if deployment.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) && *rs.Spec.Replicas == 5 {
				newName = name
			}
		}
		return newName != "" && d.Status.Replicas == 13
	})
	p.update("web", func(d *apps.Deployment) { d.Spec.Paused = true })
	p.eventuallyStep("Progressing=Unknown DeploymentPaused", 0, func() bool {
		c := condition(p.get("web"), apps.DeploymentProgressing)
		return c != nil && c.Status == meta.ConditionUnknown && c.Reason == apps.PausedDeployReason
	})
	sizes := func() map[string]int32 {
		out := map[string]int32{}
		for name, rs := range p.replicaSets("web") {
			out[name] = *rs.Spec.Replicas
		}
		return out
	}
	before := sizes()
	p.eventuallyStep("new pods ready while paused", time.Second, func() bool {
		d := p.get("web")
		return d.Status.AvailableReplicas == 13 && d.Status.ObservedGeneration == d.Generation
	})
	if after := sizes(); !equalSizes(before, after) {
		t.Fatalf("the rollout moved while paused: %v -> %v", before, after)
	}

	// Scaling still works while paused, proportionally: 13 at max 13 -> 20 + 5 surge.
	p.update("web", func(d *apps.Deployment) { d.Spec.Replicas = new(int32(20)) })
	p.eventuallyStep("scaled while paused", 0, func() bool {
		total := int32(0)
		for _, n := range sizes() {
			total += n
		}
		return total == 25
	})
	if got := sizes()[newName]; got != 10 {
		t.Errorf("new ReplicaSet scaled to %d, want round(5×25/13) = 10", got)
	}

	p.update("web", func(d *apps.Deployment) { d.Spec.Paused = false })
	p.eventuallyStep("web rolled out", time.Second, func() bool { return p.complete("web") })
	if got := sizes(); got[newName] != 20 {
		t.Fatalf("sizes %v after resuming", got)
	}
}

func equalSizes(a, b map[string]int32) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestProportionalScalingMidRollout scales a Deployment whose rollout is stuck (the new pods
// never become ready): every active ReplicaSet grows in proportion to its size, with
// Kubernetes' numbers.
func TestProportionalScalingMidRollout(t *testing.T) {
	p := startPlane(t, planeOptions{quiet: true})
	p.create(newDeployment("web", 10, "nginx:1.27"))
	p.waitComplete("web")
	p.update("web", setImage("nginx"+sim.ImageDoesNotExistSuffix))
	// 10 replicas, surge 3, unavailable 2: new 3 then 5, old 8; then stuck.
	var oldName, newName string
	p.eventually("the rollout stuck at old 8 / new 5", func() bool {
		d := p.get("web")
		oldName, newName = "", ""
		for name, rs := range p.replicaSets("web") {
			switch {
			case deployment.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) && *rs.Spec.Replicas == 5:
				newName = name
			case *rs.Spec.Replicas == 8 && rs.Status.Replicas == 8:
				oldName = name
			}
		}
		return oldName != "" && newName != "" && d.Status.Replicas == 13
	})
	p.update("web", func(d *apps.Deployment) { d.Spec.Replicas = new(int32(20)) })
	// allowed 20+5 = 25, to add 12 over max-replicas 13: old round(8×25/13)=15, new round(5×25/13)=10.
	p.eventually("proportional scaling", func() bool {
		rss := p.replicaSets("web")
		return *rss[oldName].Spec.Replicas == 15 && *rss[newName].Spec.Replicas == 10
	})
	rss := p.replicaSets("web")
	for _, rs := range rss {
		if rs.Annotations[apps.DesiredReplicasAnnotation] != "20" || rs.Annotations[apps.MaxReplicasAnnotation] != "25" {
			t.Errorf("%s annotations %v", rs.Name, rs.Annotations)
		}
	}
}
