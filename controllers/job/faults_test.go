package job_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/store/faultstore"
)

// startFaultyController runs the Job controller in a manager of its own whose writes go
// through a fault-injecting store (conflicts and transient errors), over the plane's store.
// Stopping it is a crash or a restart of the controller.
func startFaultyController(t *testing.T, e *env, seed uint64) *managertest.Faulty {
	t.Helper()
	f := managertest.NewFaulty(t, e.Store(), e.Clock, faultstore.Options{Scheme: e.Scheme(), ConflictRate: 0.2, TransientRate: 0.1, Seed: seed})
	if err := job.Add(f.Manager, job.Options{}); err != nil {
		t.Fatal(err)
	}
	f.Start(t)
	e.faulty = f.Manager
	return f
}

// TestFaultInjection runs Jobs with a controller whose writes fail at random (20% conflicts,
// 10% transient errors), restarting the controller half-way: the Jobs still converge, and
// every pod result is counted exactly once.
func TestFaultInjection(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) { testFaultInjection(t, seed) })
	}
}

func testFaultInjection(t *testing.T, seed uint64) {
	p := planetest.Start(t, planetest.WithConfig(func(c *controlplane.Config) { c.Controllers.Disabled = true }))
	e := envOn(t, p)
	fc := startFaultyController(t, e, seed)
	recorders := map[string]*podRecorder{"ok": e.recordPods("ok"), "bad": e.recordPods("bad")}

	e.create(newJob("ok", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(30)), new(int32(6))
	}))
	e.create(newJob("idx", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(20)), new(int32(5))
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
	}))
	e.create(newJob("bad", func(j *batch.Job) {
		j.Spec.BackoffLimit = new(int32(3))
		j.Spec.Parallelism = new(int32(2))
	}, withAnnotations(sim.AnnotationCrash, "true")))

	// Let some pods run and finish, then restart the controller: it forgets its expectations
	// and back-off records, and must recount nothing.
	e.Eventually(func() bool { return e.get("ok").Status.Succeeded >= 10 }, e.Step(250*time.Millisecond), planetest.Within(30*time.Second))
	if err := fc.Stop(); err != nil {
		t.Fatalf("stopping the first controller: %v", err)
	}
	e.Clock.Step(3 * time.Second)
	fc2 := startFaultyController(t, e, seed+100)

	for _, name := range []string{"ok", "idx", "bad"} {
		e.waitJob(name, 500*time.Millisecond, "finished", job.IsFinished)
	}
	ok := e.get("ok")
	if hasCondition(ok, batch.JobComplete) == nil || ok.Status.Succeeded != 30 || ok.Status.Failed != 0 {
		t.Errorf("ok: conditions %+v, succeeded %d, failed %d", ok.Status.Conditions, ok.Status.Succeeded, ok.Status.Failed)
	}
	checkCountedOnce(t, e, recorders["ok"], ok)

	idx := e.get("idx")
	if hasCondition(idx, batch.JobComplete) == nil || idx.Status.CompletedIndexes != "0-19" || idx.Status.Succeeded != 20 {
		t.Errorf("idx: conditions %+v, completedIndexes %q, succeeded %d", idx.Status.Conditions, idx.Status.CompletedIndexes, idx.Status.Succeeded)
	}
	for _, p := range e.podsOf(idx) {
		if job.HasTrackingFinalizer(p) {
			t.Errorf("idx: pod %s still has the tracking finalizer", p.Name)
		}
	}

	bad := e.get("bad")
	if c := hasCondition(bad, batch.JobFailed); c == nil || c.Reason != batch.JobReasonBackoffLimitExceeded || bad.Status.Failed < 4 {
		t.Errorf("bad: conditions %+v, failed %d", bad.Status.Conditions, bad.Status.Failed)
	}
	checkCountedOnce(t, e, recorders["bad"], bad)

	for i, c := range []faultstore.Counts{fc.Faults.Counts(), fc2.Faults.Counts()} {
		t.Logf("controller %d: %+v", i+1, c)
		if c.Conflicts == 0 || c.Transients == 0 {
			t.Errorf("controller %d saw no faults: %+v", i+1, c)
		}
	}
}

// checkCountedOnce checks that a finished NonIndexed Job counted each of its pods exactly
// once: succeeded and failed equal the pods in each phase, and no pod keeps the finalizer.
func checkCountedOnce(t *testing.T, e *env, r *podRecorder, j *batch.Job) {
	t.Helper()
	for _, p := range e.podsOf(j) {
		if job.HasTrackingFinalizer(p) {
			t.Errorf("%s: pod %s still has the tracking finalizer", j.Name, p.Name)
		}
	}
	phases := r.phases()
	succeeded, failed := phases[core.PodSucceeded], phases[core.PodFailed]
	if n := phases[core.PodPending] + phases[core.PodRunning]; n > 0 {
		t.Errorf("%s: %d pods never finished", j.Name, n)
	}
	if succeeded != j.Status.Succeeded || failed != j.Status.Failed {
		t.Errorf("%s: status counts succeeded %d, failed %d; pods: %d succeeded, %d failed", j.Name, j.Status.Succeeded, j.Status.Failed, succeeded, failed)
	}
	if u := j.Status.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		t.Errorf("%s: uncounted pods left: %+v", j.Name, u)
	}
}
