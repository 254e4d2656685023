package boltstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Benchmarks. Run them with
//
//	go test ./store/boltstore -run '^$' -bench . -count 5
//
// and read the medians. Each reports its rate as a custom metric (creates/s, puts/s, gets/s,
// ...). BenchmarkRawBolt measures the ceiling for durable writes on this machine: the same
// encoded pods put straight into bbolt with the best batching it offers.

// benchPod returns a pod as a ReplicaSet creates it, about 1.5 KiB of JSON once stored.
func benchPod(i int) *core.Pod {
	t := true
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace: "default",
			Name:      benchPodName(i),
			Labels:    map[string]string{"app": fmt.Sprintf("web-%d", i%10), "pod-template-hash": "7d4b9c8f6d", "tier": "frontend"},
			Annotations: map[string]string{
				"prometheus.io/scrape": "true",
			},
			OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d4b9c8f6d",
				UID: "6f1c2a7e-3b5d-4c8e-9f0a-1b2c3d4e5f60", Controller: &t, BlockOwnerDeletion: &t}},
		},
		Spec: core.PodSpec{
			NodeName: fmt.Sprintf("node-%d", i%50),
			Volumes:  []core.Volume{{Name: "cache", VolumeSource: core.VolumeSource{EmptyDir: &core.EmptyDirVolumeSource{}}}},
			Containers: []core.Container{{
				Name:  "web",
				Image: "registry.example.com/team/web:1.27.3",
				Ports: []core.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: "TCP"}, {Name: "metrics", ContainerPort: 9090, Protocol: "TCP"}},
				Env: []core.EnvVar{
					{Name: "ENVIRONMENT", Value: "production"}, {Name: "REGION", Value: "eu-west-1"},
				},
				Resources: core.ResourceRequirements{
					Requests: core.ResourceList{"cpu": resource.MustParse("250m"), "memory": resource.MustParse("256Mi")},
					Limits:   core.ResourceList{"cpu": resource.MustParse("1"), "memory": resource.MustParse("512Mi")},
				},
				VolumeMounts:   []core.VolumeMount{{Name: "cache", MountPath: "/var/cache/web"}},
				ReadinessProbe: &core.Probe{ProbeHandler: core.ProbeHandler{HTTPGet: &core.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt(8080)}}, PeriodSeconds: 5},
			}},
		},
	}
}

func openBench(b *testing.B, opts Options) *Store {
	b.Helper()
	if opts.Scheme == nil {
		opts.Scheme = scheme.NewBuiltin()
	}
	s, err := Open(b.TempDir(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// TestBenchPodSize keeps the benchmark pod realistic.
func TestBenchPodSize(t *testing.T) {
	s := openTest(t, Options{})
	out, err := s.Create(context.Background(), benchPod(1), store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(out)
	if len(j) < 1300 || len(j) > 2000 {
		t.Fatalf("stored benchmark pod is %d bytes of JSON, want about 1.5 KiB", len(j))
	}
}

// benchPodName is the name of benchPod(i).
func benchPodName(i int) string { return fmt.Sprintf("web-7d4b9c8f6d-%06d", i) }

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runWriters runs n writes split over w goroutines and returns the elapsed time. Each
// goroutine passes its own benchmark pod to write, which may modify it (writers reuse the
// object they send, as a controller would).
func runWriters(b *testing.B, n, w int, write func(p *core.Pod, i int) error) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g := range w {
		wg.Go(func() {
			p := benchPod(g)
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := write(p, i); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

func BenchmarkCreate(b *testing.B) {
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := openBench(b, Options{})
			ctx := context.Background()
			commits0, commitTime0 := s.commits.Load(), s.commitTime.Load()
			cpu0 := cpuTime()
			b.ResetTimer()
			d := runWriters(b, b.N, writers, func(p *core.Pod, i int) error {
				p.Name = benchPodName(i)
				_, err := s.Create(ctx, p, store.CreateOptions{})
				return err
			})
			b.ReportMetric(float64(b.N)/d.Seconds(), "creates/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
			b.ReportMetric(float64(b.N)/float64(s.commits.Load()-commits0), "writes/txn")
			// The share of the run spent committing: near 100% the disk (sync) is the limit,
			// well below it the CPU work of preparing writes is.
			b.ReportMetric(100*float64(s.commitTime.Load()-commitTime0)/float64(d), "commit-%")
		})
	}
}

// BenchmarkCreateConfigMap is BenchmarkCreate with 64 writers and a small ConfigMap, whose
// defaulting, validation, copying and encoding cost little: it shows the store's own cost per
// write.
func BenchmarkCreateConfigMap(b *testing.B) {
	s := openBench(b, Options{})
	ctx := context.Background()
	cpu0 := cpuTime()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range 64 {
		wg.Go(func() {
			cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default"}, Data: map[string]string{"k": "v"}}
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				cm.Name = benchPodName(i)
				if _, err := s.Create(ctx, cm, store.CreateOptions{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	b.ReportMetric(float64(b.N)/d.Seconds(), "creates/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
}

// BenchmarkRawBolt is the ceiling: the records of BenchmarkCreate's pods put into a bare bbolt
// file with the same options, one db.Update per put for 1 writer, db.Batch with MaxBatchSize
// equal to the writer count for 64.
func BenchmarkRawBolt(b *testing.B) {
	sch := scheme.NewBuiltin()
	info, _ := sch.ForGVK(scheme.PodGVK)
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{
				InitialMmapSize: DefaultInitialMmapSize, NoFreelistSync: true, FreelistType: bolt.FreelistMapType, NoStatistics: true,
			})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.MaxBatchSize = writers
			if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(bucketRevs); return err }); err != nil {
				b.Fatal(err)
			}
			recs := make([][]byte, b.N)
			for i := range recs {
				p := benchPod(i)
				if err := preparePodForRaw(info, p); err != nil {
					b.Fatal(err)
				}
				_, recs[i], _ = encodePut(info, gvkString(info.GVK), p.Namespace, p.Name, p)
			}
			var seq atomic.Uint64
			put := func(tx *bolt.Tx, i int) error {
				bk := tx.Bucket(bucketRevs)
				bk.FillPercent = 1.0
				return bk.Put(revKey(seq.Add(1)), recs[i])
			}
			cpu0 := cpuTime()
			b.ResetTimer()
			d := runWriters(b, b.N, writers, func(_ *core.Pod, i int) error {
				if writers == 1 {
					return db.Update(func(tx *bolt.Tx) error { return put(tx, i) })
				}
				return db.Batch(func(tx *bolt.Tx) error { return put(tx, i) })
			})
			b.ReportMetric(float64(b.N)/d.Seconds(), "puts/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
		})
	}
}

func preparePodForRaw(info *scheme.KindInfo, p *core.Pod) error {
	p.UID = "6f1c2a7e-3b5d-4c8e-9f0a-1b2c3d4e5f61"
	p.CreationTimestamp = meta.NewTime(time.Now())
	info.Strategy.Default(p)
	info.Strategy.PrepareForCreate(p)
	p.TypeMeta = meta.TypeMeta{APIVersion: "v1", Kind: "Pod"}
	return nil
}

// fillPods creates n benchmark pods with 64 writers.
func fillPods(b *testing.B, s *Store, n int) {
	b.Helper()
	ctx := context.Background()
	runWriters(b, n, 64, func(p *core.Pod, i int) error {
		p.Name = benchPodName(i)
		p.Labels["app"] = fmt.Sprintf("web-%d", i%10)
		p.Spec.NodeName = fmt.Sprintf("node-%d", i%50)
		_, err := s.Create(ctx, p, store.CreateOptions{})
		return err
	})
}

func BenchmarkGet(b *testing.B) {
	const n = 10000
	s := openBench(b, Options{})
	fillPods(b, s, n)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			if _, err := s.Get(ctx, scheme.PodGVK, "default", benchPodName(rng.IntN(n))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "gets/s")
}

// BenchmarkGetOnly is BenchmarkGet without building the name in the loop.
func BenchmarkGetOnly(b *testing.B) {
	const n = 10000
	s := openBench(b, Options{})
	fillPods(b, s, n)
	names := make([]string, n)
	for i := range names {
		names[i] = benchPodName(i)
	}
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := rand.IntN(n)
		for pb.Next() {
			i = (i + 7919) % n
			if _, err := s.Get(ctx, scheme.PodGVK, "default", names[i]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "gets/s")
}

func BenchmarkList10k(b *testing.B) {
	const n = 10000
	s := openBench(b, Options{})
	fillPods(b, s, n)
	ctx := context.Background()
	sel, _ := labels.Parse("app=web-3,tier=frontend")
	for _, bc := range []struct {
		name string
		opts store.ListOptions
		want int
	}{
		{"selector", store.ListOptions{LabelSelector: sel}, n / 10},
		{"all", store.ListOptions{}, n},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := s.List(ctx, scheme.PodGVK, bc.opts)
				if err != nil || len(res.Items) != bc.want {
					b.Fatalf("%d items, %v", len(res.Items), err)
				}
			}
		})
	}
}

// BenchmarkWatch100 measures fan-out: 100 watchers, 5,000 creates/s for 2 seconds per
// iteration. Latency runs from the commit (the event's commit time) to the moment a watcher
// receives the event; allocs/event is every allocation of the process during the run
// (writers included) divided by the events delivered.
func BenchmarkWatch100(b *testing.B) {
	const watchers, rate, seconds = 100, 5000, 2
	for b.Loop() {
		s := openBench(b, Options{CompactMaxRevisions: 1 << 20})
		ctx := context.Background()
		from := s.CurrentRevision()
		total := rate * seconds
		recv := make([][]int64, watchers) // receive time per revision offset
		var wg sync.WaitGroup
		for w := range watchers {
			wt, err := s.Watch(ctx, scheme.PodGVK, store.WatchOptions{ResourceVersion: from})
			if err != nil {
				b.Fatal(err)
			}
			recv[w] = make([]int64, total)
			wg.Go(func() {
				defer wt.Stop()
				for got := 0; got < total; got++ {
					ev := <-wt.ResultChan()
					recv[w][ev.Revision-from-1] = time.Now().UnixNano()
				}
			})
		}
		pods := make([]*core.Pod, total)
		for i := range pods {
			pods[i] = benchPod(i)
		}
		runtime.GC()
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		var next atomic.Int64
		var wwg sync.WaitGroup
		for range 64 {
			wwg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= total {
						return
					}
					if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
						time.Sleep(d)
					}
					if _, err := s.Create(ctx, pods[i], store.CreateOptions{}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wwg.Wait()
		wg.Wait()
		runtime.ReadMemStats(&ms1)
		elapsed := time.Since(start)

		s.mu.RLock()
		commit := make([]int64, total)
		for i, e := range s.win.from(from + 1)[:total] {
			commit[i] = e.at
		}
		s.mu.RUnlock()
		lat := make([]time.Duration, 0, watchers*total)
		for w := range recv {
			for i, t := range recv[w] {
				lat = append(lat, time.Duration(t-commit[i]))
			}
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(watchers*total), "allocs/event")
		b.ReportMetric(float64(total)/elapsed.Seconds(), "writes/s")
	}
}

// BenchmarkOpen10k measures Open (loading and decoding the log) of a store holding 10,000
// pods.
func BenchmarkOpen10k(b *testing.B) {
	dir := b.TempDir()
	sch := scheme.NewBuiltin()
	s, err := Open(dir, Options{Scheme: sch})
	if err != nil {
		b.Fatal(err)
	}
	fillPods(b, s, 10000)
	s.Close()
	for b.Loop() {
		s, err := Open(dir, Options{Scheme: sch})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
