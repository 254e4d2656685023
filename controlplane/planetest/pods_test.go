package planetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
)

// TestPodIsScheduledAndRuns checks the plane's wiring end to end: a bare pod is bound by the
// scheduler to one of the default simulated nodes and run to Running and Ready by its kubelet,
// all on the fake clock.
func TestPodIsScheduledAndRuns(t *testing.T) {
	p := planetest.Start(t)
	ctx := context.Background()
	nodes := client.For[*core.Node](p.Client())
	p.Eventually(func() bool {
		l, err := nodes.List(ctx, store.ListOptions{})
		if err != nil || len(l.Items) != 3 {
			return false
		}
		for _, n := range l.Items {
			if !core.IsNodeReady(n) || n.Status.Allocatable.Cpu().Cmp(resource.MustParse("4")) != 0 {
				return false
			}
		}
		return true
	}, planetest.Message("3 Ready nodes with 4 CPUs"))

	pods := client.For[*core.Pod](p.Client())
	pod := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "web", Image: "nginx:1.27"}}},
	}
	if _, err := pods.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	p.Eventually(func() bool {
		got, err := pods.Get(ctx, "default", "web")
		return err == nil && got.Spec.NodeName != "" && got.Status.Phase == core.PodRunning && core.IsPodReady(got)
	}, p.Step(time.Second), planetest.Message("pod web scheduled, Running and Ready"))
}
