package daemonset_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
)

// BenchmarkDaemonSet1000Nodes runs a DaemonSet on 1,000 simulated nodes until every pod is
// Ready, then rolls out a new template with maxUnavailable 10%. It reports the wall time of
// both phases and the memory they took (heap growth after GC, and bytes allocated).
//
//	go test -run '^$' -bench DaemonSet1000Nodes -benchtime 1x ./controllers/daemonset/
func BenchmarkDaemonSet1000Nodes(b *testing.B) {
	const nodes = 1000
	for b.Loop() {
		b.StopTimer()
		e := startEnv(b, modes[0], nodes)
		planetest.Eventually(b, func() bool {
			l, err := e.nodes.List(e.ctx, store.ListOptions{})
			return err == nil && len(l.Items) == nodes
		}, planetest.Within(time.Minute), planetest.Message("%d nodes registered", nodes))
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		start := time.Now()
		e.create(newDS("agent", func(ds *apps.DaemonSet) {
			ds.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateDaemonSet{MaxUnavailable: new(intstr.FromString("10%"))}
		}))
		e.settle(func() bool { return e.statusIs(nodes, 1) })
		created := time.Since(start)

		start = time.Now()
		e.update("agent", func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "agent:2.0" })
		e.settle(func() bool { return e.statusIs(nodes, 2) })
		updated := time.Since(start)

		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(created.Seconds(), "create-s")
		b.ReportMetric(updated.Seconds(), "update-s")
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-MB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MB")
		b.StartTimer()
	}
}

// statusIs reports whether DaemonSet agent's status says n nodes run an available pod of
// generation gen.
func (e *env) statusIs(n int32, gen int64) bool {
	ds := e.get("agent")
	st := ds.Status
	return ds.Generation == gen && st.ObservedGeneration == gen && st.DesiredNumberScheduled == n &&
		st.NumberAvailable == n && st.UpdatedNumberScheduled == n && st.CurrentNumberScheduled == n
}

// settle waits for cond, moving the fake clock a second at a time while the kubelets are idle.
func (e *env) settle(cond func() bool) {
	e.t.Helper()
	e.p.Eventually(cond, e.p.Step(time.Second), planetest.Within(5*time.Minute), planetest.Interval(2*time.Millisecond))
}
