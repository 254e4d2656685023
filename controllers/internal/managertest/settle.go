package managertest

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Bounds of Settle.
const (
	// SettleQuiet is how long, in real time, the store must go without a write.
	SettleQuiet = 25 * time.Millisecond
	// SettleWithin is how long, in real time, Settle waits for that before it fails the test.
	SettleWithin = 10 * time.Second
)

// Revision returns the store's current revision, as c sees it.
func Revision(t testing.TB, c client.Client) uint64 {
	t.Helper()
	res, err := c.List(context.Background(), scheme.NamespaceGVK, store.ListOptions{Limit: 1})
	if err != nil {
		t.Fatalf("managertest: reading the store's revision: %v", err)
	}
	return res.ResourceVersion
}

// Settle waits, in real time, until nothing has been written through c's store for
// SettleQuiet: the controllers have reacted to the last move of the fake clock. It is the
// bounded polling that real concurrency demands, and fails the test after SettleWithin.
// Work that waits on the fake clock does not count as activity: Settle never moves it.
//
// Quiet alone is a guess: on a loaded machine a reconcile can stall for longer than
// SettleQuiet between its last write and the requeue it schedules on the fake clock, and a
// test that moved the clock then would see that requeue late. Pass the managers that run
// the controllers, and Settle also waits until none of their reconciles is running and none
// of their queues holds a request (their controller_runtime_active_workers and
// workqueue_depth gauges are zero) for the whole quiet period.
func Settle(t testing.TB, c client.Client, managers ...*manager.Manager) {
	t.Helper()
	deadline := time.Now().Add(SettleWithin)
	rev, since := Revision(t, c), time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		<-tick.C
		if r := Revision(t, c); r != rev {
			rev, since = r, time.Now()
			continue
		}
		if busy(managers) {
			since = time.Now()
			continue
		}
		if time.Since(since) >= SettleQuiet {
			return
		}
	}
	t.Fatalf("managertest: the store did not settle (go %v without a write, and with no reconcile running or queued) within %v", SettleQuiet, SettleWithin)
}

// busy reports whether any of the managers has a reconcile running or a request queued.
func busy(managers []*manager.Manager) bool {
	for _, m := range managers {
		families, err := m.Registry().Gather()
		if err != nil {
			return true
		}
		for _, f := range families {
			if f.GetName() != "controller_runtime_active_workers" && f.GetName() != "workqueue_depth" {
				continue
			}
			for _, metric := range f.GetMetric() {
				if metric.GetGauge().GetValue() != 0 {
					return true
				}
			}
		}
	}
	return false
}

// WaitCached waits, in real time and bounded by SettleWithin, until mgr's shared informer of
// T holds the object namespace/name. A test that writes an object a controller must find in
// its cache before it acts (an orphan pod for a new owner to adopt) waits for it first: the
// controller would otherwise act on a cache without it, as it could in Kubernetes.
func WaitCached[T meta.Object](t testing.TB, mgr *manager.Manager, namespace, name string) {
	t.Helper()
	lister := informer.For[T](mgr.Informers()).Lister().Namespace(namespace)
	deadline := time.Now().Add(SettleWithin)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		if _, err := lister.Get(name); err == nil {
			return
		}
		<-tick.C
	}
	t.Fatalf("managertest: %s/%s did not reach the manager's cache within %v", namespace, name, SettleWithin)
}
