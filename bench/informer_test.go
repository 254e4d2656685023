package bench

// Informer benchmarks: skiff's informer package against client-go's SharedIndexInformer on
// the same pods (both decoded from one JSON document), measuring the informers rather than
// their backends. See README.md, "Informers".

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	cginformers "k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
)

const (
	syncPods    = 10_000 // (a), (c): pods already stored when the informer starts
	eventCount  = 10_000 // (b): events pushed through the pipeline
	eventTarget = 1_000  // (b): distinct pods the events are about
)

// podJSON is a typical running pod of a ReplicaSet: the same document is decoded into
// skiff's core.Pod and client-go's v1.Pod, so that both informers cache identical content.
const podJSON = `{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {
    "name": "web-%[1]d", "namespace": "ns-%[2]d", "uid": "6a1b0c44-0000-4000-8000-%012[1]d",
    "resourceVersion": "%[3]d", "generation": 1, "creationTimestamp": "2026-11-24T10:00:00Z",
    "labels": {"app": "web", "pod-template-hash": "5d8f7c9b6"},
    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d8f7c9b6",
      "uid": "0b1c2d3e-0000-4000-8000-000000000001", "controller": true, "blockOwnerDeletion": true}]
  },
  "spec": {
    "containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}],
      "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
      "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}],
    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
    "serviceAccountName": "default", "nodeName": "node-%[4]d", "schedulerName": "default-scheduler",
    "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
  },
  "status": {
    "phase": "Running", "hostIP": "10.0.0.%[4]d", "podIP": "10.244.%[4]d.%[5]d", "podIPs": [{"ip": "10.244.%[4]d.%[5]d"}],
    "startTime": "2026-11-24T10:00:01Z", "qosClass": "Burstable",
    "conditions": [
      {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": "2026-11-24T10:00:02Z"},
      {"type": "Initialized", "status": "True", "lastTransitionTime": "2026-11-24T10:00:01Z"},
      {"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-24T10:00:03Z"},
      {"type": "ContainersReady", "status": "True", "lastTransitionTime": "2026-11-24T10:00:03Z"},
      {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-24T10:00:00Z"}],
    "containerStatuses": [{"name": "web", "ready": true, "started": true, "restartCount": 0,
      "image": "docker.io/library/nginx:1.27", "imageID": "docker.io/library/nginx@sha256:0123456789abcdef",
      "containerID": "containerd://%064[1]d", "state": {"running": {"startedAt": "2026-11-24T10:00:02Z"}}}]
  }
}`

// podDoc renders pod i at resourceVersion rv.
func podDoc(i, rv int) []byte {
	return fmt.Appendf(nil, podJSON, i, i%10, rv, i%100, i%250)
}

func skiffPod(i, rv int) *core.Pod {
	p := &core.Pod{}
	if err := json.Unmarshal(podDoc(i, rv), p); err != nil {
		panic(err)
	}
	return p
}

func clientGoPod(i, rv int) *v1.Pod {
	p := &v1.Pod{}
	if err := json.Unmarshal(podDoc(i, rv), p); err != nil {
		panic(err)
	}
	return p
}

// counter is a handler that counts notifications and closes done at the target.
type counter struct {
	n      atomic.Int64
	target int64
	done   chan struct{}
}

func newCounter(target int) *counter {
	return &counter{target: int64(target), done: make(chan struct{})}
}

func (c *counter) hit() {
	if c.n.Add(1) == c.target {
		close(c.done)
	}
}

// skiff side: handler methods.
func (c *counter) OnAdd(*core.Pod, bool)    { c.hit() }
func (c *counter) OnUpdate(_, _ *core.Pod)  { c.hit() }
func (c *counter) OnDelete(*core.Pod, bool) { c.hit() }
func (c *counter) cgHandler() cache.ResourceEventHandler {
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { c.hit() },
		UpdateFunc: func(_, _ any) { c.hit() },
		DeleteFunc: func(any) { c.hit() },
	}
}

// memSource is skiff's in-memory backend: an informer.Source whose List returns deep
// copies of its pods (as a store, and client-go's fake object tracker, do) or, with shared
// set, the pods themselves; and whose Watch streams from a channel that may be pre-filled.
type memSource struct {
	pods   []*core.Pod
	shared bool
	rev    uint64
	events chan store.Event // nil: watches stay silent
}

func (s *memSource) List(_ context.Context, _ scheme.GroupVersionKind, _ store.ListOptions) (*store.ListResult, error) {
	items := make([]meta.Object, len(s.pods))
	for i, p := range s.pods {
		if s.shared {
			items[i] = p
		} else {
			items[i] = p.DeepCopy()
		}
	}
	return &store.ListResult{Items: items, ResourceVersion: s.rev}, nil
}

func (s *memSource) Watch(ctx context.Context, _ scheme.GroupVersionKind, _ store.WatchOptions) (store.Watcher, error) {
	ch := s.events
	if ch == nil {
		ch = make(chan store.Event)
	}
	return &memWatcher{ch: ch}, nil
}

type memWatcher struct{ ch chan store.Event }

func (w *memWatcher) ResultChan() <-chan store.Event { return w.ch }
func (w *memWatcher) Stop()                          {}

var (
	storedOnce sync.Once
	skiffPods  []*core.Pod
	cgClient   *fake.Clientset
)

// stored builds, once, the 10,000 pods of (a) and (c) on both sides. fake.NewClientset
// manages some hundreds of creates per second: this takes a while, outside every timer.
func stored() ([]*core.Pod, *fake.Clientset) {
	storedOnce.Do(func() {
		objs := make([]k8sruntime.Object, syncPods)
		skiffPods = make([]*core.Pod, syncPods)
		for i := range syncPods {
			skiffPods[i] = skiffPod(i, i+1)
			objs[i] = clientGoPod(i, i+1)
		}
		cgClient = fake.NewClientset(objs...)
	})
	return skiffPods, cgClient
}

// BenchmarkInformerSync is (a): the time from Start until a handler has seen every OnAdd of
// 10,000 stored pods. ns/op is per sync of all 10,000.
func BenchmarkInformerSync(b *testing.B) {
	pods, client := stored()
	b.Run("impl=skiff", func(b *testing.B) {
		src := &memSource{pods: pods, rev: uint64(len(pods))}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			f := informer.NewFactory(src, informer.FactoryOptions{MutationCheck: informer.MutationCheckOff})
			c := newCounter(syncPods)
			if _, err := informer.For[*core.Pod](f).AddHandler(c); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			b.StartTimer()
			f.Start(ctx)
			<-c.done
			b.StopTimer()
			cancel()
			f.Shutdown()
			b.StartTimer()
		}
		b.ReportMetric(float64(syncPods)/(b.Elapsed().Seconds()/float64(b.N)), "pods/s")
	})
	b.Run("impl=client-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			f := cginformers.NewSharedInformerFactory(client, 0)
			c := newCounter(syncPods)
			if _, err := f.Core().V1().Pods().Informer().AddEventHandler(c.cgHandler()); err != nil {
				b.Fatal(err)
			}
			stop := make(chan struct{})
			b.StartTimer()
			f.Start(stop)
			<-c.done
			b.StopTimer()
			close(stop)
			f.Shutdown()
			b.StartTimer()
		}
		b.ReportMetric(float64(syncPods)/(b.Elapsed().Seconds()/float64(b.N)), "pods/s")
	})
}

// BenchmarkInformerSyncOnly is (a) without the backends: both informers list the same
// 10,000 ready-made pods (no copies, no fake clientset), so that the time is the informers'
// own: list handling, cache, indexes and handler delivery. ns/op is per sync of all 10,000.
func BenchmarkInformerSyncOnly(b *testing.B) {
	pods, _ := stored()
	b.Run("impl=skiff", func(b *testing.B) {
		src := &memSource{pods: pods, shared: true, rev: uint64(len(pods))}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			f := informer.NewFactory(src, informer.FactoryOptions{MutationCheck: informer.MutationCheckOff})
			c := newCounter(syncPods)
			if _, err := informer.For[*core.Pod](f).AddHandler(c); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			b.StartTimer()
			f.Start(ctx)
			<-c.done
			b.StopTimer()
			cancel()
			f.Shutdown()
			b.StartTimer()
		}
		b.ReportMetric(float64(syncPods)/(b.Elapsed().Seconds()/float64(b.N)), "pods/s")
	})
	b.Run("impl=client-go", func(b *testing.B) {
		list := &v1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: fmt.Sprint(syncPods)}}
		for i := range syncPods {
			list.Items = append(list.Items, *clientGoPod(i, i+1))
		}
		lw := noWatchList{&cache.ListWatch{
			ListWithContextFunc:  func(context.Context, metav1.ListOptions) (k8sruntime.Object, error) { return list, nil },
			WatchFuncWithContext: func(context.Context, metav1.ListOptions) (watch.Interface, error) { return watch.NewFake(), nil },
		}}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			inf := cache.NewSharedIndexInformer(lw, &v1.Pod{}, 0,
				cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
			c := newCounter(syncPods)
			if _, err := inf.AddEventHandler(c.cgHandler()); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			b.StartTimer()
			go func() { inf.RunWithContext(ctx); close(done) }()
			<-c.done
			b.StopTimer()
			cancel()
			<-done
			b.StartTimer()
		}
		b.ReportMetric(float64(syncPods)/(b.Elapsed().Seconds()/float64(b.N)), "pods/s")
	})
}

// pipelineEvents returns the events of (b) for both sides: eventTarget pods added, then
// modified in turn, each event with its own object and revision.
var pipelineEvents = sync.OnceValues(func() ([]*core.Pod, []*v1.Pod) {
	sk := make([]*core.Pod, eventCount)
	cg := make([]*v1.Pod, eventCount)
	for i := range eventCount {
		sk[i] = skiffPod(i%eventTarget, i+2)
		cg[i] = clientGoPod(i%eventTarget, i+2)
	}
	return sk, cg
})

// noWatchList is a ListWatch that tells client-go's reflector to list then watch, as the
// skiff informer does, rather than try a streaming watch-list on a source without one.
type noWatchList struct{ *cache.ListWatch }

func (noWatchList) IsWatchListSemanticsUnSupported() bool { return true }

// BenchmarkInformerPipeline is (b): 10,000 events from a pre-filled watch through
// list-watch, cache and two handlers. ns/op is per event; events/s is the throughput.
func BenchmarkInformerPipeline(b *testing.B) {
	sk, cg := pipelineEvents()
	b.Run("impl=skiff", func(b *testing.B) {
		b.ReportAllocs()
		var elapsed float64
		for b.Loop() {
			b.StopTimer()
			events := make(chan store.Event, eventCount)
			for i, p := range sk {
				typ := store.Modified
				if i < eventTarget {
					typ = store.Added
				}
				events <- store.Event{Type: typ, Object: p, Revision: uint64(i + 2)}
			}
			src := &memSource{rev: 1, events: events}
			inf := informer.New(informer.FromSource[*core.Pod](src, scheme.PodGVK, informer.Selection{}),
				informer.Options[*core.Pod]{MutationCheck: informer.MutationCheckOff})
			h1, h2 := newCounter(eventCount), newCounter(eventCount)
			_, _ = inf.AddHandler(h1)
			_, _ = inf.AddHandler(h2)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			b.StartTimer()
			go func() { _ = inf.Run(ctx); close(done) }()
			<-h1.done
			<-h2.done
			b.StopTimer()
			cancel()
			<-done
			b.StartTimer()
		}
		elapsed = b.Elapsed().Seconds()
		b.ReportMetric(float64(eventCount)*float64(b.N)/elapsed, "events/s")
	})
	b.Run("impl=client-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			w := watch.NewFakeWithChanSize(eventCount, false)
			for i, p := range cg {
				if i < eventTarget {
					w.Add(p)
				} else {
					w.Modify(p)
				}
			}
			var watched atomic.Bool
			lw := noWatchList{&cache.ListWatch{
				ListWithContextFunc: func(context.Context, metav1.ListOptions) (k8sruntime.Object, error) {
					return &v1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: "1"}}, nil
				},
				WatchFuncWithContext: func(context.Context, metav1.ListOptions) (watch.Interface, error) {
					if watched.Swap(true) {
						return watch.NewFake(), nil // later watches stay silent
					}
					return w, nil
				},
			}}
			inf := cache.NewSharedIndexInformer(lw, &v1.Pod{}, 0,
				cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
			h1, h2 := newCounter(eventCount), newCounter(eventCount)
			_, _ = inf.AddEventHandler(h1.cgHandler())
			_, _ = inf.AddEventHandler(h2.cgHandler())
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			b.StartTimer()
			go func() { inf.RunWithContext(ctx); close(done) }()
			<-h1.done
			<-h2.done
			b.StopTimer()
			cancel()
			<-done
			b.StartTimer()
		}
		b.ReportMetric(float64(eventCount)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}

// heapAlloc returns the live heap after a full collection.
func heapAlloc() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkInformerMemory is (c): heap bytes per cached pod, the growth of the live heap
// from before an informer starts to after it has synced 10,000 pods (and its handler has
// drained), both measured after GC. Reported as B/pod; ns/op is meaningless here.
func BenchmarkInformerMemory(b *testing.B) {
	pods, client := stored()
	b.Run("impl=skiff", func(b *testing.B) {
		src := &memSource{pods: pods, rev: uint64(len(pods))}
		var total float64
		for b.Loop() {
			before := heapAlloc()
			f := informer.NewFactory(src, informer.FactoryOptions{MutationCheck: informer.MutationCheckOff})
			c := newCounter(syncPods)
			inf := informer.For[*core.Pod](f)
			if _, err := inf.AddHandler(c); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			f.Start(ctx)
			<-c.done
			after := heapAlloc()
			total += float64(after) - float64(before)
			if inf.Indexer().Len() != syncPods {
				b.Fatal("not all pods cached")
			}
			cancel()
			f.Shutdown()
		}
		b.ReportMetric(total/float64(b.N)/syncPods, "B/pod")
	})
	b.Run("impl=client-go", func(b *testing.B) {
		var total float64
		for b.Loop() {
			before := heapAlloc()
			f := cginformers.NewSharedInformerFactory(client, 0)
			c := newCounter(syncPods)
			inf := f.Core().V1().Pods().Informer()
			if _, err := inf.AddEventHandler(c.cgHandler()); err != nil {
				b.Fatal(err)
			}
			stop := make(chan struct{})
			f.Start(stop)
			<-c.done
			after := heapAlloc()
			total += float64(after) - float64(before)
			if len(inf.GetIndexer().ListKeys()) != syncPods {
				b.Fatal("not all pods cached")
			}
			close(stop)
			f.Shutdown()
		}
		b.ReportMetric(total/float64(b.N)/syncPods, "B/pod")
	})
}
