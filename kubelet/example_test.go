package kubelet_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// A Host with one simulated node runs a pod; a fake clock moves it from ContainerCreating to
// Running.
func Example() {
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	dir, err := os.MkdirTemp("", "kubelet-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch, Clock: clk})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	c := client.NewLocal(st, sch)
	factory := informer.NewFactory(c, informer.FactoryOptions{Scheme: sch, Clock: clk})
	defer factory.Shutdown()

	host, err := kubelet.NewHost(c, factory, kubelet.Options{Runtime: sim.New(sim.Options{Clock: clk}), Clock: clk})
	if err != nil {
		panic(err)
	}
	if err := host.AddNode(kubelet.NodeConfig{Name: "node-1"}); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- host.Start(ctx) }()
	defer func() { cancel(); <-done }()

	pods := client.For[*core.Pod](c)
	w, err := pods.Watch(ctx, store.WatchOptions{Namespace: "default"})
	if err != nil {
		panic(err)
	}
	defer w.Stop()
	_, err = pods.Create(ctx, &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: core.PodSpec{
			NodeName:   "node-1",
			Containers: []core.Container{{Name: "nginx", Image: "nginx:1.27"}},
		},
	})
	if err != nil {
		panic(err)
	}
	for ev := range w.ResultChan() {
		p := ev.Object
		if len(p.Status.ContainerStatuses) == 0 {
			continue
		}
		s := p.Status.ContainerStatuses[0]
		switch {
		case s.State.Waiting != nil:
			fmt.Println(p.Status.Phase, s.State.Waiting.Reason, p.Status.PodIP)
			clk.Step(time.Second) // the simulated image pull takes a second
		case s.State.Running != nil:
			fmt.Println(p.Status.Phase, "ready:", core.IsPodReady(p))
			return
		}
	}
	// Output:
	// Pending ContainerCreating 10.128.0.2
	// Running ready: true
}
