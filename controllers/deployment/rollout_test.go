package deployment_test

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/deployment"
)

func TestTenReplicasBecomeAvailable(t *testing.T) {
	p := startPlane(t, planeOptions{})
	p.create(newDeployment("web", 10, "nginx:1.27"))
	d := p.waitComplete("web")

	rss := p.replicaSets("web")
	if len(rss) != 1 {
		t.Fatalf("%d ReplicaSets, want 1", len(rss))
	}
	hash := deployment.ComputeHash(&d.Spec.Template, nil)
	rs := rss["web-"+hash]
	if rs == nil {
		t.Fatalf("no ReplicaSet web-%s: %v", hash, rss)
	}
	if rs.Labels[apps.DefaultDeploymentUniqueLabelKey] != hash || rs.Spec.Selector.MatchLabels[apps.DefaultDeploymentUniqueLabelKey] != hash ||
		rs.Spec.Template.Labels[apps.DefaultDeploymentUniqueLabelKey] != hash {
		t.Errorf("pod-template-hash missing: labels %v selector %v template %v", rs.Labels, rs.Spec.Selector, rs.Spec.Template.Labels)
	}
	if rs.Annotations[apps.RevisionAnnotation] != "1" || d.Annotations[apps.RevisionAnnotation] != "1" ||
		rs.Annotations[apps.DesiredReplicasAnnotation] != "10" || rs.Annotations[apps.MaxReplicasAnnotation] != "13" {
		t.Errorf("annotations: rs %v deployment %v", rs.Annotations, d.Annotations)
	}
	for _, pod := range p.activePods("web") {
		if pod.Labels[apps.DefaultDeploymentUniqueLabelKey] != hash || !meta.IsControlledBy(pod, rs) || !strings.HasPrefix(pod.Name, rs.Name+"-") {
			t.Errorf("pod %s: labels %v", pod.Name, pod.Labels)
		}
	}
	if got := conditionReason(d, apps.DeploymentProgressing); got != apps.NewRSAvailableReason {
		t.Errorf("Progressing reason %q", got)
	}
	if c := condition(d, apps.DeploymentProgressing); c == nil || c.Message != `ReplicaSet "`+rs.Name+`" has successfully progressed.` {
		t.Errorf("Progressing condition %+v", c)
	}
	if d.Status.ObservedGeneration != d.Generation {
		t.Errorf("observedGeneration %d, generation %d", d.Status.ObservedGeneration, d.Generation)
	}
	p.eventually("the scaling event", func() bool {
		msgs := p.events("web", "ScalingReplicaSet")
		return len(msgs) == 1 && msgs[0] == "Scaled up replica set "+rs.Name+" to 10"
	})
}

// TestRollingUpdateInvariants rolls a new template out over ten replicas while a checker
// watches every pod event: never more than replicas + maxSurge active pods, never fewer than
// replicas − maxUnavailable available ones.
func TestRollingUpdateInvariants(t *testing.T) {
	tests := []struct {
		name               string
		surge, unavailable string
		wantSurge, wantU   int32
	}{
		{"defaults 25%/25%", "25%", "25%", 3, 2},
		{"surge only", "2", "0", 2, 0},
		{"unavailable only", "0", "30%", 0, 3},
		{"rounding 10%/10%", "10%", "10%", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startPlane(t, planeOptions{})
			p.create(withStrategy(newDeployment("web", 10, "nginx:1.27"), tt.surge, tt.unavailable))
			p.waitComplete("web")
			c := watchPods(t, p, "web")
			c.arm(10, tt.wantSurge, tt.wantU, 0)
			p.update("web", setImage("nginx:1.28"))
			d := p.waitComplete("web")
			events, peak, low := c.report()
			t.Logf("%d pod events; peak %d active pods, low %d available", events, peak, low)
			if tt.wantSurge > 0 && peak <= 10 {
				t.Errorf("peak %d active pods: the surge was never used", peak)
			}
			if d.Annotations[apps.RevisionAnnotation] != "2" {
				t.Errorf("revision %q, want 2", d.Annotations[apps.RevisionAnnotation])
			}
		})
	}
}

// TestRollingUpdateWithFaults runs the same rollout with one write in ten failing (half of
// them conflicts, half transient errors) for every component: it still converges, with the
// invariants intact at every pod event.
func TestRollingUpdateWithFaults(t *testing.T) {
	p := startPlane(t, planeOptions{faultRate: 0.10, quiet: true})
	p.create(newDeployment("web", 10, "nginx:1.27"))
	p.waitComplete("web")
	c := watchPods(t, p, "web")
	c.arm(10, 3, 2, 0)
	p.update("web", setImage("nginx:1.28"))
	p.waitComplete("web")
	events, peak, low := c.report()
	f := p.faults.Counts()
	t.Logf("%d pod events; peak %d active pods, low %d available; faults: %d conflicts, %d transient errors, %d writes passed",
		events, peak, low, f.Conflicts, f.Transients, f.Passed)
	if f.Conflicts+f.Transients == 0 {
		t.Fatal("no fault was injected")
	}
}
