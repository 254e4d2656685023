package kubelet_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// BenchmarkScale runs 1,000 simulated nodes in one Host on the real clock, creates 30,000
// pods bound to them directly (spec.nodeName set, no scheduler) and measures the time from
// the first create until every pod is Running and Ready, the heap once they are (store,
// informer caches, kubelet and runtime state included), and the store writes the kubelet
// made per pod. SKIFF_BENCH_NODES and SKIFF_BENCH_PODS change the sizes, e.g.
//
//	SKIFF_BENCH_PODS=100000 go test ./kubelet -run '^$' -bench Scale -benchtime 1x
func BenchmarkScale(b *testing.B) {
	nodes, pods := envInt(b, "SKIFF_BENCH_NODES", 1000), envInt(b, "SKIFF_BENCH_PODS", 30000)
	for _, startup := range []time.Duration{-1, time.Second} {
		name := fmt.Sprintf("nodes=%d,pods=%d,startup=%s", nodes, pods, max(startup, 0))
		b.Run(name, func(b *testing.B) {
			for range b.N {
				runScale(b, nodes, pods, startup)
			}
		})
	}
}

// writeHeapProfile writes the live heap, for a look at what the objects cost.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

func envInt(b *testing.B, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		return n
	}
	return def
}

func runScale(b *testing.B, nodes, pods int, startup time.Duration) {
	b.StopTimer()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(b.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := client.NewLocal(st, sch)
	f := informer.NewFactory(c, informer.FactoryOptions{Scheme: sch, MutationCheck: informer.MutationCheckOff,
		Transform: informer.DropManagedFields[meta.Object]})
	defer f.Shutdown()
	rt := sim.New(sim.Options{StartupDelay: startup})
	h, err := kubelet.NewHost(c, f, kubelet.Options{Runtime: rt, Clock: clock.Real{}, Workers: envInt(b, "SKIFF_BENCH_WORKERS", 64)})
	if err != nil {
		b.Fatal(err)
	}

	// Count pods as they become Running and Ready, once each.
	var running atomic.Int64
	allRunning := make(chan struct{})
	var seen sync.Map
	_, err = informer.For[*core.Pod](f).AddHandler(informer.HandlerFuncs[*core.Pod]{
		UpdateFunc: func(_, p *core.Pod) {
			if p.Status.Phase == core.PodRunning && core.IsPodReady(p) {
				if _, dup := seen.LoadOrStore(p.UID, struct{}{}); !dup && running.Add(1) == int64(pods) {
					close(allRunning)
				}
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Start(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	regStart := time.Now()
	for i := range nodes {
		if err := h.AddNode(kubelet.NodeConfig{Name: fmt.Sprintf("node-%04d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	nodeLister := informer.For[*core.Node](f).Indexer()
	for nodeLister.Len() < nodes {
		wait := time.NewTimer(10 * time.Millisecond)
		<-wait.C
	}
	registration := time.Since(regStart)

	before := st.Stats()
	writesBefore := before.Writes
	podClient := client.For[*core.Pod](c)
	start := time.Now()
	b.StartTimer()
	var wg sync.WaitGroup
	const creators = 64
	for w := range creators {
		wg.Go(func() {
			for i := w; i < pods; i += creators {
				p := &core.Pod{
					ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("pod-%06d", i)},
					Spec: core.PodSpec{
						NodeName:   fmt.Sprintf("node-%04d", i%nodes),
						Containers: []core.Container{{Name: "app", Image: "nginx:1.27"}},
					},
				}
				if _, err := podClient.Create(ctx, p); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	created := time.Since(start)
	select {
	case <-allRunning:
	case <-time.After(10 * time.Minute):
		b.Fatalf("only %d of %d pods Running after 10 minutes", running.Load(), pods)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	after := st.Stats()
	writes := after.Writes - writesBefore
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if path := os.Getenv("SKIFF_BENCH_HEAPPROFILE"); path != "" {
		writeHeapProfile(b, path)
	}
	b.ReportMetric(elapsed.Seconds(), "s-to-running")
	b.ReportMetric(created.Seconds(), "s-to-create")
	b.ReportMetric(registration.Seconds(), "s-to-register")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(writes-uint64(pods))/float64(pods), "kubelet-writes/pod")
	b.ReportMetric(float64(pods)/elapsed.Seconds(), "pods/s")
	b.ReportMetric(float64(writes)/float64(after.Commits-before.Commits), "writes/commit")
	b.StartTimer()
}
