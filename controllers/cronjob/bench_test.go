package cronjob_test

import (
	"fmt"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/informer"
)

// Benchmark1000CronJobsOneHour runs 1,000 CronJobs scheduled "* * * * *" through one
// simulated hour: each minute the clock moves to the run and the benchmark waits until every
// CronJob has created its Job and recorded it (60,000 Jobs in all; no Job controller runs
// them, so they stay active). It reports the real time per simulated hour, the slowest
// minute, the memory allocated and the heap in use at the end.
//
//	go test -run '^$' -bench 1000CronJobs -benchtime 1x ./controllers/cronjob/
func Benchmark1000CronJobsOneHour(b *testing.B) {
	const cronJobs, minutes = 1000, 60
	for b.Loop() {
		b.StopTimer()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := newEnv(b, midnight, planetest.WithLogger(logr.FromSlogHandler(slog.DiscardHandler)))
		for i := range cronJobs {
			e.create(newCronJob(fmt.Sprintf("cj-%04d", i), "* * * * *"))
		}
		lister := informer.For[*batch.CronJob](e.Manager().Informers()).Lister()
		e.settle()
		start := time.Now()
		var slowest time.Duration
		b.StartTimer()
		for m := 1; m <= minutes; m++ {
			run := midnight.Add(time.Duration(m) * time.Minute)
			minuteStart := time.Now()
			e.Clock.SetTime(run.Add(cronjob.NextScheduleDelta))
			want := meta.NewTime(run)
			e.Eventually(func() bool {
				for _, cj := range lister.List(nil) {
					if !cj.Status.LastScheduleTime.Equal(&want) {
						return false
					}
				}
				return true
			}, e.tick(), planetest.Within(5*time.Minute), planetest.Interval(5*time.Millisecond),
				planetest.Message("every CronJob ran at minute %d", m))
			slowest = max(slowest, time.Since(minuteStart))
		}
		b.StopTimer()
		if n := len(informer.For[*batch.Job](e.Manager().Informers()).Lister().List(nil)); n != cronJobs*minutes {
			b.Fatalf("%d Jobs, want %d", n, cronJobs*minutes)
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(time.Since(start).Seconds(), "real-s/sim-hour")
		b.ReportMetric(slowest.Seconds(), "slowest-minute-s")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MiB")
		b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MiB")
		b.StartTimer()
	}
}
