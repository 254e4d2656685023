package planetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
)

// TestLostNodePodsAreReplacedElsewhere runs the whole plane: a Deployment's pods are spread
// over three simulated nodes; one node stops sending heartbeats; after the 40 s grace period
// the node lifecycle controller taints it unreachable, after the pods' default 300 s
// toleration it evicts them, and the ReplicaSet controller replaces them on the other nodes.
func TestLostNodePodsAreReplacedElsewhere(t *testing.T) {
	p := planetest.Start(t)
	ctx := context.Background()
	replicas := int32(3)
	dep := &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}
	if _, err := client.For[*apps.Deployment](p.Client()).Create(ctx, dep); err != nil {
		t.Fatal(err)
	}
	pods := client.For[*core.Pod](p.Client())
	running := func(exclude string) (n int, nodes map[string]int) {
		l, err := pods.List(ctx, store.ListOptions{Namespace: "default"})
		if err != nil {
			return 0, nil
		}
		nodes = map[string]int{}
		for _, pod := range l.Items {
			if pod.DeletionTimestamp == nil && pod.Spec.NodeName != exclude && core.IsPodReady(pod) {
				n++
				nodes[pod.Spec.NodeName]++
			}
		}
		return n, nodes
	}
	var nodes map[string]int
	p.Eventually(func() bool {
		var n int
		n, nodes = running("")
		return n == 3
	}, p.Step(time.Second), planetest.Message("3 ready pods"))

	var lost string
	for name := range nodes {
		lost = name
		break
	}
	if err := p.Kubelets().StopHeartbeats(lost); err != nil {
		t.Fatal(err)
	}
	start := p.Clock.Now()
	p.Eventually(func() bool {
		n, _ := running(lost)
		return n == 3
	}, planetest.Stepping(p.Clock, 5*time.Second), planetest.Within(30*time.Second),
		planetest.Message("3 ready pods off the lost node %s", lost))
	if waited := p.Clock.Since(start); waited < 300*time.Second {
		t.Fatalf("pods replaced after %v, before the 300 s default toleration ran out", waited)
	}
}
