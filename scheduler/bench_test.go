package scheduler

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// benchNodes returns n nodes of 32 cpus, 128 GiB and 110 pods, in three zones.
func benchNodes(n int) []*core.Node {
	out := make([]*core.Node, n)
	for i := range out {
		out[i] = node(fmt.Sprintf("node-%04d", i), "32", "128Gi", 110, nodeLabels("zone", fmt.Sprintf("zone-%d", i%3)))
	}
	return out
}

// benchPods returns n pods of 100m and 128 MiB, owned by n/100 ReplicaSets.
func benchPods(n int) []*core.Pod {
	out := make([]*core.Pod, n)
	for i := range out {
		out[i] = pod(fmt.Sprintf("pod-%05d", i), ownedBy(fmt.Sprintf("rs-%03d", i%max(n/100, 1))),
			requests("cpu", "100m", "memory", "128Mi"))
	}
	return out
}

// BenchmarkScheduleAlgorithm measures one scheduling attempt (PodInfo, filters, scores,
// assume) against a cache of nodes, without informers or store: the throughput of the
// scheduling loop alone. Every 10,000 pods the cache is emptied.
func BenchmarkScheduleAlgorithm(b *testing.B) {
	for _, nodes := range []int{100, 1000} {
		b.Run(fmt.Sprintf("nodes=%d", nodes), func(b *testing.B) {
			ns, pods := benchNodes(nodes), benchPods(10000)
			plugins := DefaultPlugins()
			s := &Scheduler{filters: plugins.Filters, scores: plugins.Scores, rng: rand.New(rand.NewPCG(1, 2))}
			for _, sp := range s.scores {
				n, _ := sp.Plugin.(ScoreNormalizer)
				s.normalizers = append(s.normalizers, n)
			}
			reset := func() {
				s.cache = newCache()
				for _, n := range ns {
					s.cache.setNode(n)
				}
			}
			reset()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i > 0 && i%len(pods) == 0 {
					b.StopTimer()
					reset()
					b.StartTimer()
				}
				pi := NewPodInfo(pods[i%len(pods)])
				s.cache.mu.Lock()
				name, fitErr := s.findNodeLocked(pi)
				if fitErr != nil {
					b.Fatal(fitErr)
				}
				s.cache.assumeLocked(pi, name)
				s.cache.mu.Unlock()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pods/s")
		})
	}
}

// BenchmarkSchedule measures the whole scheduler against a real store: pods and nodes are
// created first, then the timer runs from Start until the informer shows every pod bound
// with PodScheduled=True. It reports pods/s and store writes per pod.
func BenchmarkSchedule(b *testing.B) {
	for _, tc := range []struct{ nodes, pods, workers int }{
		{100, 10000, 0}, {1000, 10000, 0},
	} {
		b.Run(fmt.Sprintf("nodes=%d/pods=%d/workers=%d", tc.nodes, tc.pods, tc.workers), func(b *testing.B) {
			var elapsed time.Duration
			var writes uint64
			for range b.N {
				e, w := benchRun(b, tc.nodes, tc.pods, tc.workers)
				elapsed += e
				writes += w
			}
			b.ReportMetric(float64(b.N*tc.pods)/elapsed.Seconds(), "pods/s")
			b.ReportMetric(float64(writes)/float64(b.N*tc.pods), "writes/pod")
		})
	}
}

func benchRun(b *testing.B, nodes, pods, workers int) (time.Duration, uint64) {
	b.StopTimer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sch := testScheme()
	st, err := boltstore.Open(b.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c := client.NewLocal(st, sch)
	nodeClient, podClient := client.For[*core.Node](c), client.For[*core.Pod](c)
	for _, n := range benchNodes(nodes) {
		if _, err := nodeClient.Create(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
	all := benchPods(pods)
	var wg sync.WaitGroup
	for w := range 32 {
		wg.Go(func() {
			for i := w; i < len(all); i += 32 {
				p := all[i].DeepCopy()
				p.UID = ""
				if _, err := podClient.Create(ctx, p); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	f := informer.NewFactory(st, informer.FactoryOptions{Scheme: sch, MutationCheck: informer.MutationCheckOff})
	s := New(c, f, Options{Workers: workers})
	podInf := informer.For[*core.Pod](f)
	f.Start(ctx)
	defer f.Shutdown()
	if err := f.WaitForCacheSync(ctx); err != nil {
		b.Fatal(err)
	}
	before := st.Stats().Writes

	b.StartTimer()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- s.Start(ctx) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for bound := 0; bound < pods; {
		<-tick.C
		bound = 0
		for _, p := range podInf.Lister().List(nil) {
			if p.Spec.NodeName != "" && podScheduled(p) == core.ConditionTrue {
				bound++
			}
		}
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("%d of %d pods bound after 5 minutes", bound, pods)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	writes := st.Stats().Writes - before
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	return elapsed, writes
}
