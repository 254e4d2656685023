package statefulset_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
)

// BenchmarkParallel500 runs a 500-replica Parallel StatefulSet (one claim per pod) on 10
// simulated nodes until every pod is Running and Ready, rolls out a new template with
// maxUnavailable 10%, then scales it to zero. It reports the wall
// time of the creation and of the scale-down, and the memory the run took (heap growth after
// GC, and bytes allocated).
//
//	go test -run '^$' -bench Parallel500 -benchtime 1x ./controllers/statefulset/
func BenchmarkParallel500(b *testing.B) {
	const replicas = 500
	for b.Loop() {
		b.StopTimer()
		e := startBenchEnv(b)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		start := time.Now()
		e.create(newSet("db", replicas, func(s *apps.StatefulSet) { s.Spec.PodManagementPolicy = apps.ParallelPodManagement }))
		e.settle(func() bool {
			s := e.get("db")
			return s.Status.ReadyReplicas == replicas && s.Status.AvailableReplicas == replicas && s.Status.ObservedGeneration == s.Generation
		})
		created := time.Since(start)

		start = time.Now()
		e.update("db", func(s *apps.StatefulSet) {
			s.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateStatefulSetStrategy{MaxUnavailable: new(intstr.FromString("10%"))}
			s.Spec.Template.Spec.Containers[0].Image = "nginx:2.0"
		})
		e.settle(func() bool {
			s := e.get("db")
			st := s.Status
			return st.ObservedGeneration == s.Generation && st.UpdatedReplicas == replicas && st.ReadyReplicas == replicas &&
				st.CurrentRevision == st.UpdateRevision
		})
		updated := time.Since(start)

		start = time.Now()
		e.update("db", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(0)) })
		e.settle(func() bool { return len(e.podsOf("db")) == 0 && e.get("db").Status.Replicas == 0 })
		scaledDown := time.Since(start)

		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(created.Seconds(), "create-s")
		b.ReportMetric(updated.Seconds(), "update-s")
		b.ReportMetric(scaledDown.Seconds(), "scaledown-s")
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-MB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MB")
		b.StartTimer()
	}
}

// startBenchEnv starts a plane of 10 nodes with the controller.
func startBenchEnv(b *testing.B) *env {
	b.Helper()
	return startEnv(b, modes[0], planetest.WithConfig(func(c *controlplane.Config) { c.Nodes.Count = 10 }))
}

// settle waits for cond, moving the fake clock a second at a time while the kubelets are idle.
func (e *env) settle(cond func() bool) {
	e.t.Helper()
	e.p.Eventually(cond, e.p.Step(time.Second), planetest.Within(5*time.Minute), planetest.Interval(2*time.Millisecond))
}
