package statefulset_test

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
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/statefulset"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/store"
)

// Add the controller to a running plane (here on a fake clock, with its built-in controllers
// off), then create a StatefulSet: its pods get stable names and claims.
func ExampleAdd() {
	dir, err := os.MkdirTemp("", "statefulset-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := controlplane.Start(context.Background(), controlplane.Config{
		DataDir: dir, Clock: clk, Logger: logr.FromSlogHandler(slog.DiscardHandler),
		Controllers: controlplane.ControllersConfig{Disabled: true},
	})
	if err != nil {
		panic(err)
	}
	defer p.Stop()
	if err := statefulset.Add(p.Manager(), statefulset.Options{}); err != nil {
		panic(err)
	}

	ctx := context.Background()
	sets := client.For[*apps.StatefulSet](p.Client())
	if _, err := sets.Create(ctx, newSet("web", 2)); err != nil {
		panic(err)
	}
	// Move the fake clock until both pods run (one at a time: OrderedReady). The controllers
	// work on goroutines of their own, so this polls, bounded by a minute of real time.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if s, err := sets.Get(ctx, "default", "web"); err == nil && s.Status.ReadyReplicas == 2 {
			break
		}
		if st := p.Kubelets().Stats(); st.Queued == 0 && st.Syncing == 0 {
			clk.Step(time.Second)
		}
	}

	pods, _ := client.For[*core.Pod](p.Client()).List(ctx, store.ListOptions{Namespace: "default"})
	sort.Slice(pods.Items, func(i, j int) bool { return pods.Items[i].Name < pods.Items[j].Name })
	for _, pod := range pods.Items {
		fmt.Println(pod.Name, pod.Spec.Hostname+"."+pod.Spec.Subdomain, pod.Spec.Volumes[0].PersistentVolumeClaim.ClaimName, meta.GetControllerOf(pod).Name)
	}
	// Output:
	// web-0 web-0.web-svc data-web-0 web
	// web-1 web-1.web-svc data-web-1 web
}
