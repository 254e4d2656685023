package planetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/podgc"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
)

// TestDeletedNodePodsAreCollectedAndReplaced: a machine switched off and its Node deleted
// leaves pods bound to a node that no longer exists; the pod garbage collector force-deletes
// them after its quarantine, and the ReplicaSet controller replaces them on the other nodes.
func TestDeletedNodePodsAreCollectedAndReplaced(t *testing.T) {
	p := planetest.Start(t)
	ctx := context.Background()
	replicas := int32(4)
	if _, err := client.For[*apps.Deployment](p.Client()).Create(ctx, &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}); err != nil {
		t.Fatal(err)
	}
	pods := client.For[*core.Pod](p.Client())
	byNode := func() (ready map[string]int, all map[string]int) {
		ready, all = map[string]int{}, map[string]int{}
		l, err := pods.List(ctx, store.ListOptions{Namespace: "default"})
		if err != nil {
			return nil, nil
		}
		for _, pod := range l.Items {
			all[pod.Spec.NodeName]++
			if pod.DeletionTimestamp == nil && core.IsPodReady(pod) {
				ready[pod.Spec.NodeName]++
			}
		}
		return ready, all
	}
	sum := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	var ready map[string]int
	p.Eventually(func() bool { ready, _ = byNode(); return sum(ready) == 4 }, p.Step(time.Second), planetest.Message("4 ready pods"))
	var gone string
	for name := range ready {
		gone = name
		break
	}
	if err := p.Kubelets().RemoveNode(gone); err != nil {
		t.Fatal(err)
	}
	if _, err := client.For[*core.Node](p.Client()).Delete(ctx, "", gone); err != nil {
		t.Fatal(err)
	}
	start := p.Clock.Now()
	p.Eventually(func() bool {
		ready, all := byNode()
		return all[gone] == 0 && sum(ready) == 4
	}, planetest.Stepping(p.Clock, 5*time.Second), planetest.Within(30*time.Second),
		planetest.Message("the pods of the deleted node %s collected and replaced", gone))
	if waited := p.Clock.Since(start); waited < podgc.DefaultQuarantine {
		t.Fatalf("pods collected after %v, before the %v quarantine", waited, podgc.DefaultQuarantine)
	}
}
