package controller_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/storetest"
)

// benchObjects is how many objects feed the controller in BenchmarkReconcile.
const benchObjects = 10000

// BenchmarkReconcile measures a no-op reconciler fed by 10,000 ConfigMaps through an
// informer and the work queue: each iteration starts an informer and a controller on a store
// holding the objects, and stops once every object has been reconciled. It reports
// reconciles/s (list, cache, handler, queue and worker included).
func BenchmarkReconcile(b *testing.B) {
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(b.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fill(b, st, benchObjects)
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				elapsed += reconcileAll(b, st, sch, workers)
			}
			b.ReportMetric(float64(benchObjects*b.N)/elapsed.Seconds(), "reconciles/s")
		})
	}
}

// fill creates n ConfigMaps, many at a time so that they share commits.
func fill(b *testing.B, st store.Store, n int) {
	b.Helper()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 64 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				cm := storetest.ConfigMap("default", fmt.Sprintf("cm-%05d", i), map[string]string{"k": "v"})
				if _, err := st.Create(context.Background(), cm, store.CreateOptions{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// reconcileAll runs an informer and a controller until every object has been reconciled
// once, and returns how long that took.
func reconcileAll(b *testing.B, st store.Store, sch *scheme.Scheme, workers int) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	f := informer.NewFactory(st, informer.FactoryOptions{Scheme: sch, Logger: discard, MutationCheck: informer.MutationCheckOff})
	var n atomic.Int64
	all := make(chan struct{})
	c, err := controller.New("bench", reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
		if n.Add(1) == benchObjects {
			close(all)
		}
		return reconcile.Result{}, nil
	}), controller.Options{MaxConcurrentReconciles: workers, Logger: discard})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Watch(controller.Kind(informer.For[*core.ConfigMap](f), controller.EnqueueObject[*core.ConfigMap]{})); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	f.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Start(ctx) }()
	<-all
	elapsed := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	f.Shutdown()
	return elapsed
}
