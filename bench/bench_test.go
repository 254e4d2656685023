// Package bench compares skiff's workqueue with client-go's on the same work. It is a separate
// module so that client-go stays out of skiff's own go.mod.
package bench

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/skiff-dev/skiff/workqueue"
	cgworkqueue "k8s.io/client-go/util/workqueue"
)

// queue is the part of both queues the benchmarks drive.
type queue interface {
	Add(item string)
	Get() (item string, shutdown bool)
	Done(item string)
	AddRateLimited(item string)
	Forget(item string)
	ShutDown()
}

// impls builds a fresh queue of each implementation, both with their default controller rate
// limiter and no metrics.
var impls = []struct {
	name string
	new  func() queue
}{
	{"skiff", func() queue {
		return workqueue.New(workqueue.Options[string]{})
	}},
	{"client-go", func() queue {
		return cgworkqueue.NewTypedRateLimitingQueue(cgworkqueue.DefaultTypedControllerRateLimiter[string]())
	}},
}

// keys are distinct "namespace/name" strings, made once so that no benchmark measures fmt.
var keys = func() []string {
	ks := make([]string, 1<<20)
	for i := range ks {
		ks[i] = fmt.Sprintf("namespace-%d/object-%07d", i%50, i)
	}
	return ks
}()

// run adds b.N items, split between producers, picking keys[i % distinct], while consumers
// Get and Done until the queue is shut down after the last add and drained. ns/op is per add.
func run(b *testing.B, newQueue func() queue, producers, consumers, distinct int) {
	q := newQueue()
	var processed atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for range consumers {
		wg.Go(func() {
			n := int64(0)
			for {
				item, shutdown := q.Get()
				if shutdown {
					processed.Add(n)
					return
				}
				q.Done(item)
				n++
			}
		})
	}
	var pwg sync.WaitGroup
	for p := range producers {
		pwg.Go(func() {
			for i := p; i < b.N; i += producers {
				q.Add(keys[i%distinct])
			}
		})
	}
	pwg.Wait()
	q.ShutDown()
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(processed.Load())/float64(b.N), "gets/op")
}

// BenchmarkQueue: (a) one producer and one consumer, unique keys; (b) four of each, unique keys;
// (c) adds over 100 hot keys (four producers, four consumers): most adds are de-duplicated.
func BenchmarkQueue(b *testing.B) {
	cases := []struct {
		name                string
		producers, consumer int
		distinct            int
	}{
		{"a=1P1C", 1, 1, len(keys)},
		{"b=4P4C", 4, 4, len(keys)},
		{"c=hot100", 4, 4, 100},
	}
	for _, c := range cases {
		for _, impl := range impls {
			b.Run(c.name+"/impl="+impl.name, func(b *testing.B) {
				run(b, impl.new, c.producers, c.consumer, c.distinct)
			})
		}
	}
}

// BenchmarkRateLimited is (d): one AddRateLimited and one Forget per op, cycling over 1000 keys,
// with the default controller rate limiter (so after the first 100 the token bucket delays
// every item, and they wait in the queue's delay heap).
func BenchmarkRateLimited(b *testing.B) {
	for _, impl := range impls {
		b.Run("d=ratelimited/impl="+impl.name, func(b *testing.B) {
			q := impl.new()
			defer q.ShutDown()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				k := keys[i%1000]
				q.AddRateLimited(k)
				q.Forget(k)
			}
		})
	}
}
