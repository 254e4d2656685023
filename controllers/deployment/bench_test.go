package deployment_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/store"
)

// BenchmarkScale scales a Deployment from 0 to 10,000 replicas on 100 simulated nodes (no
// startup or readiness delay, the real clock) until all are available, then rolls a new
// template out over all of them (25% surge, 25% unavailable) until complete. It reports both
// times, the CPU time the process spent in each (user + system, every goroutine of the plane:
// on a machine shared with other work the wall time mostly measures the others), the store
// writes per pod of each phase (everything written: pods, bindings, pod statuses, ReplicaSets,
// Deployment status, events) and the live heap at the end.
// SKIFF_BENCH_REPLICAS and SKIFF_BENCH_NODES change the sizes:
//
//	go test ./controllers/deployment -run '^$' -bench Scale -benchtime 1x
func BenchmarkScale(b *testing.B) {
	replicas, nodes := benchEnv(b, "SKIFF_BENCH_REPLICAS", 10000), benchEnv(b, "SKIFF_BENCH_NODES", 100)
	b.Run(fmt.Sprintf("replicas=%d,nodes=%d", replicas, nodes), func(b *testing.B) {
		for range b.N {
			runScale(b, int32(replicas), nodes)
		}
	})
}

func runScale(b *testing.B, replicas int32, nodes int) {
	b.StopTimer()
	p := startPlane(b, planeOptions{nodes: nodes, realClock: true, benchmark: true, noGC: true})
	stats := p.store.Stats
	p.create(newDeployment("web", 0, "nginx:1.27"))
	p.eventuallyStep("empty deployment observed", 0, func() bool {
		d := p.get("web")
		return d.Status.ObservedGeneration == d.Generation && len(p.replicaSets("web")) == 1
	})

	writes0 := stats().Writes
	b.StartTimer()
	cpu0 := cpuTime(b)
	start := time.Now()
	p.update("web", func(d *apps.Deployment) { d.Spec.Replicas = new(replicas) })
	waitBench(b, p, "all available", func(d *apps.Deployment) bool {
		return d.Status.AvailableReplicas == replicas && d.Status.UpdatedReplicas == replicas
	})
	scaleUp := time.Since(start)
	cpu1 := cpuTime(b)
	writes1 := stats().Writes

	start = time.Now()
	p.update("web", setImage("nginx:1.28"))
	waitBench(b, p, "rolled out", func(d *apps.Deployment) bool {
		st := d.Status
		return st.ObservedGeneration >= d.Generation && st.UpdatedReplicas == replicas && st.Replicas == replicas &&
			st.AvailableReplicas == replicas && conditionReason(d, apps.DeploymentProgressing) == apps.NewRSAvailableReason
	})
	rollout := time.Since(start)
	cpu2 := cpuTime(b)
	b.StopTimer()
	writes2 := stats().Writes
	b.Logf("reconciles: %s", reconcileCounts(b, p))

	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := float64(replicas)
	b.ReportMetric(scaleUp.Seconds(), "s-scale-up")
	b.ReportMetric(rollout.Seconds(), "s-rollout")
	b.ReportMetric((cpu1 - cpu0).Seconds(), "cpu-s-scale-up")
	b.ReportMetric((cpu2 - cpu1).Seconds(), "cpu-s-rollout")
	b.ReportMetric(float64(writes1-writes0)/n, "writes/pod-scale-up")
	b.ReportMetric(float64(writes2-writes1)/n, "writes/pod-rollout")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-heap")
	b.Logf("0→%d available in %v (%v CPU, %.1f writes/pod), rolling update in %v (%v CPU, %.1f writes/new pod), heap %.0f MiB, store %+v",
		replicas, scaleUp.Round(time.Millisecond), (cpu1 - cpu0).Round(time.Millisecond), float64(writes1-writes0)/n,
		rollout.Round(time.Millisecond), (cpu2 - cpu1).Round(time.Millisecond), float64(writes2-writes1)/n,
		float64(ms.HeapAlloc)/(1<<20), stats())
}

// waitBench polls the Deployment every 10 ms, in real time, until done holds (10 minutes at
// most).
func waitBench(b *testing.B, p *plane, what string, done func(*apps.Deployment) bool) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		d, err := p.deployments.Get(p.ctx, ns, "web")
		if err != nil && !store.IsNotFound(err) {
			b.Fatal(err)
		}
		if err == nil && done(d) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s: not done within 10 minutes: %+v", what, d.Status)
		}
		<-time.After(10 * time.Millisecond)
	}
}

func benchEnv(b *testing.B, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		return n
	}
	return def
}

// cpuTime returns the CPU time (user + system) the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reconcileCounts summarises the manager's controller_runtime_reconcile_total and
// workqueue_retries_total counters: where a benchmark's time goes besides CPU.
func reconcileCounts(b *testing.B, p *plane) string {
	families, err := p.mgr.Registry().Gather()
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, f := range families {
		if f.GetName() != "controller_runtime_reconcile_total" && f.GetName() != "workqueue_retries_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			if v := m.GetCounter().GetValue(); v > 0 {
				var lbls []string
				for _, l := range m.GetLabel() {
					lbls = append(lbls, l.GetValue())
				}
				out = append(out, fmt.Sprintf("%s %s=%.0f", strings.TrimPrefix(f.GetName(), "controller_runtime_"), strings.Join(lbls, "/"), v))
			}
		}
	}
	return strings.Join(out, ", ")
}
