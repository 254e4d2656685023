package daemonset_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/daemonset"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/store"
)

// Add the controller to a running plane of three nodes (here on a fake clock, with its
// built-in controllers off), then create a DaemonSet: each node gets one pod, bound to it.
func ExampleAdd() {
	dir, err := os.MkdirTemp("", "daemonset-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := controlplane.Start(context.Background(), controlplane.Config{
		DataDir: dir, Clock: clk, Logger: logr.FromSlogHandler(slog.DiscardHandler),
		Nodes:       controlplane.NodesConfig{Count: 3},
		Controllers: controlplane.ControllersConfig{Disabled: true},
	})
	if err != nil {
		panic(err)
	}
	defer p.Stop()
	if err := daemonset.Add(p.Manager(), daemonset.Options{}); err != nil {
		panic(err)
	}

	ctx := context.Background()
	dss := client.For[*apps.DaemonSet](p.Client())
	if _, err := dss.Create(ctx, newDS("agent")); err != nil {
		panic(err)
	}
	// Move the fake clock until every pod runs. The controllers work on goroutines of their
	// own, so this polls, bounded by a minute of real time; time in the plane is the fake clock.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if ds, err := dss.Get(ctx, "default", "agent"); err == nil && ds.Status.NumberAvailable == 3 {
			break
		}
		if st := p.Kubelets().Stats(); st.Queued == 0 && st.Syncing == 0 {
			clk.Step(time.Second)
		}
	}

	pods, _ := client.For[*core.Pod](p.Client()).List(ctx, store.ListOptions{Namespace: "default"})
	sort.Slice(pods.Items, func(i, j int) bool { return pods.Items[i].Spec.NodeName < pods.Items[j].Spec.NodeName })
	for _, pod := range pods.Items {
		fmt.Println(pod.Spec.NodeName, pod.Status.Phase, pod.Labels[apps.DaemonSetTemplateGenerationKey])
	}
	ds, _ := dss.Get(ctx, "default", "agent")
	fmt.Println("desired", ds.Status.DesiredNumberScheduled, "available", ds.Status.NumberAvailable)
	// Output:
	// node-1 Running 1
	// node-2 Running 1
	// node-3 Running 1
	// desired 3 available 3
}
