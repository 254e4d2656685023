package job_test

import (
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controlplane"
)

// BenchmarkIndexedJob10k runs an Indexed Job of 10,000 completions with parallelism 500 on
// 100 simulated nodes to completion, stepping the fake clock one second at a time once the
// plane has settled. It reports the real time per Job, the simulated time it took, the
// memory allocated and the heap in use at the end (store, caches and all).
//
//	go test -run '^$' -bench IndexedJob10k -benchtime 1x ./controllers/job/
func BenchmarkIndexedJob10k(b *testing.B) {
	const completions, parallelism, nodes = 10000, 500, 100
	for b.Loop() {
		b.StopTimer()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := newEnv(b, func(c *controlplane.Config) {
			c.Nodes.Count = nodes
			c.Logger = logr.FromSlogHandler(slog.DiscardHandler)
		})
		e.create(newJob("big", func(j *batch.Job) {
			j.Spec.Completions, j.Spec.Parallelism = new(int32(completions)), new(int32(parallelism))
			j.Spec.CompletionMode = new(batch.IndexedCompletion)
		}))
		start, simStart := time.Now(), e.Clock.Now()
		b.StartTimer()
		maxActive := int32(0)
		for {
			j := e.get("big")
			maxActive = max(maxActive, j.Status.Active)
			if job.IsFinished(j) {
				if j.Status.Succeeded != completions || hasCondition(j, batch.JobComplete) == nil {
					b.Fatalf("finished with succeeded %d, conditions %+v", j.Status.Succeeded, j.Status.Conditions)
				}
				break
			}
			if e.Clock.Since(simStart) > 2*time.Hour {
				b.Fatalf("not finished after 2 simulated hours: %+v", j.Status)
			}
			e.settle()
			e.Clock.Step(time.Second)
		}
		b.StopTimer()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(time.Since(start).Seconds(), "real-s/job")
		b.ReportMetric(e.Clock.Since(simStart).Seconds(), "sim-s/job")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MiB/job")
		b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(maxActive), "max-active")
		b.StartTimer()
	}
}
