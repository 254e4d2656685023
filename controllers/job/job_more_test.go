package job_test

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// TestSuspendResume: a Job created suspended has no pods and no startTime; resuming starts
// it; suspending a running Job deletes its pods; resuming again resets startTime.
func TestSuspendResume(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("paused", func(j *batch.Job) {
		j.Spec.Suspend = new(true)
		j.Spec.Parallelism, j.Spec.Completions = new(int32(2)), new(int32(2))
	}, withAnnotations(sim.AnnotationRunFor, "1h")))
	j := e.waitJob("paused", 0, "suspended", func(j *batch.Job) bool { return hasCondition(j, batch.JobSuspended) != nil })
	if c := hasCondition(j, batch.JobSuspended); c.Reason != batch.JobReasonSuspended || c.Message != "Job suspended" {
		t.Errorf("Suspended = %+v", c)
	}
	if j.Status.StartTime != nil || len(e.podsOf(j)) != 0 {
		t.Fatalf("suspended job: startTime %v, %d pods", j.Status.StartTime, len(e.podsOf(j)))
	}

	setSuspend := func(v bool) {
		t.Helper()
		if _, err := client.GuaranteedUpdate(e.ctx, e.jobs, "default", "paused", func(j *batch.Job) error {
			j.Spec.Suspend = new(v)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	setSuspend(false)
	j = e.waitJob("paused", 500*time.Millisecond, "running", func(j *batch.Job) bool { return j.Status.Active == 2 && j.Status.Ready != nil && *j.Status.Ready == 2 })
	c := job.FindCondition(j.Status.Conditions, batch.JobSuspended)
	if c == nil || c.Status != meta.ConditionFalse || c.Reason != batch.JobReasonResumed || c.Message != "Job resumed" {
		t.Errorf("Suspended after resume = %+v", c)
	}
	firstStart := j.Status.StartTime
	if firstStart == nil {
		t.Fatal("no startTime after resume")
	}

	e.Clock.Step(time.Minute)
	setSuspend(true)
	j = e.waitJob("paused", 500*time.Millisecond, "suspended with its pods gone", func(j *batch.Job) bool {
		return hasCondition(j, batch.JobSuspended) != nil && j.Status.Active == 0 && len(e.podsOf(j)) == 0
	})
	if j.Status.Failed != 0 {
		t.Errorf("suspending counted %d failures", j.Status.Failed)
	}

	e.Clock.Step(time.Minute)
	setSuspend(false)
	j = e.waitJob("paused", 500*time.Millisecond, "running again", func(j *batch.Job) bool { return j.Status.Active == 2 })
	if !j.Status.StartTime.After(firstStart.Time) {
		t.Errorf("startTime %v after the second resume, want later than %v", j.Status.StartTime, firstStart)
	}
}

// TestBackoffLimitPerIndex: each index may fail once more; the Job fails with FailedIndexes
// once every index failed, each index having run twice.
func TestBackoffLimitPerIndex(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("perindex", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(3)), new(int32(3))
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
		j.Spec.BackoffLimitPerIndex = new(int32(1))
	}, withAnnotations(sim.AnnotationCrash, "true")))
	j := e.waitJob("perindex", 500*time.Millisecond, "failed", func(j *batch.Job) bool { return hasCondition(j, batch.JobFailed) != nil })
	if c := hasCondition(j, batch.JobFailed); c.Reason != batch.JobReasonFailedIndexes {
		t.Errorf("Failed reason %q, want %s", c.Reason, batch.JobReasonFailedIndexes)
	}
	if j.Status.FailedIndexes == nil || *j.Status.FailedIndexes != "0-2" || j.Status.Failed != 6 {
		t.Errorf("failedIndexes %v, failed %d; want 0-2, 6", j.Status.FailedIndexes, j.Status.Failed)
	}
	counts := map[int][]string{}
	for _, p := range e.podsOf(j) {
		ix := job.CompletionIndex(p)
		counts[ix] = append(counts[ix], p.Annotations[batch.JobIndexFailureCountAnnotation])
	}
	for ix := range 3 {
		if got := counts[ix]; len(got) != 2 || got[0] != "0" || got[1] != "1" {
			t.Errorf("index %d: failure count annotations %v, want [0 1]", ix, got)
		}
	}
}

// TestMaxFailedIndexes: with maxFailedIndexes 0 the first failed index fails the Job.
func TestMaxFailedIndexes(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("maxfailed", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(4)), new(int32(1))
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
		j.Spec.BackoffLimitPerIndex = new(int32(0))
		j.Spec.MaxFailedIndexes = new(int32(0))
	}, withAnnotations(sim.AnnotationCrash, "true")))
	j := e.waitJob("maxfailed", 500*time.Millisecond, "failed", func(j *batch.Job) bool { return hasCondition(j, batch.JobFailed) != nil })
	if c := hasCondition(j, batch.JobFailed); c.Reason != batch.JobReasonMaxFailedIndexesExceeded {
		t.Errorf("Failed reason %q, want %s", c.Reason, batch.JobReasonMaxFailedIndexesExceeded)
	}
	if *j.Status.FailedIndexes != "0" || len(e.podsOf(j)) != 1 {
		t.Errorf("failedIndexes %q, %d pods; want 0, 1", *j.Status.FailedIndexes, len(e.podsOf(j)))
	}
}

// TestSuccessPolicy: an Indexed Job whose success policy asks for 2 succeeded indexes
// completes then, terminating the rest.
func TestSuccessPolicy(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("leader", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(5)), new(int32(2))
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
		j.Spec.SuccessPolicy = &batch.SuccessPolicy{Rules: []batch.SuccessPolicyRule{
			{SucceededIndexes: new("4")},
			{SucceededCount: new(int32(2))},
		}}
	}))
	j := e.waitJob("leader", 500*time.Millisecond, "complete", func(j *batch.Job) bool { return hasCondition(j, batch.JobComplete) != nil })
	c := hasCondition(j, batch.JobSuccessCriteriaMet)
	if c == nil || c.Reason != batch.JobReasonSuccessPolicy || c.Message != "Matched rules at index 1" {
		t.Errorf("SuccessCriteriaMet = %+v", c)
	}
	if j.Status.CompletedIndexes != "0,1" || j.Status.Succeeded != 2 {
		t.Errorf("completedIndexes %q, succeeded %d", j.Status.CompletedIndexes, j.Status.Succeeded)
	}
}

// TestOnFailureRestarts: with restartPolicy OnFailure the restarts of running pods count
// toward backoffLimit.
func TestOnFailureRestarts(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("restarts", func(j *batch.Job) {
		j.Spec.BackoffLimit = new(int32(2))
		j.Spec.Template.Spec.RestartPolicy = core.RestartPolicyOnFailure
	}, withAnnotations(sim.AnnotationCrash, "true")))
	j := e.waitJob("restarts", time.Second, "failed", func(j *batch.Job) bool { return hasCondition(j, batch.JobFailed) != nil })
	if c := hasCondition(j, batch.JobFailed); c.Reason != batch.JobReasonBackoffLimitExceeded {
		t.Errorf("Failed reason %q", c.Reason)
	}
	// One pod, restarted in place until the limit, then deleted and counted as failed.
	if j.Status.Failed != 1 || len(e.podsOf(j)) != 0 {
		t.Errorf("failed %d, %d pods left; want 1, 0", j.Status.Failed, len(e.podsOf(j)))
	}
}

// TestDeletedJobReleasesPods: deleting a running Job (without the garbage collector) leaves
// its pods without the tracking finalizer, so that they can go.
func TestDeletedJobReleasesPods(t *testing.T) {
	e := newEnv(t, nil)
	j := e.create(newJob("gone", func(j *batch.Job) { j.Spec.Parallelism = new(int32(2)) },
		withAnnotations(sim.AnnotationRunFor, "1h")))
	e.waitJob("gone", 500*time.Millisecond, "running", func(j *batch.Job) bool { return j.Status.Active == 2 })
	if _, err := e.jobs.Delete(e.ctx, "default", "gone", client.PropagationPolicy(meta.DeletePropagationBackground)); err != nil {
		t.Fatal(err)
	}
	e.Eventually(func() bool {
		pods := e.podsOf(j)
		for _, p := range pods {
			if job.HasTrackingFinalizer(p) {
				return false
			}
		}
		return len(pods) == 2
	}, e.Step(100*time.Millisecond))
}

// TestAdoptsOrphans: an orphan pod matching a Job's selector is adopted with the tracking
// finalizer and counts as one of its active pods.
func TestAdoptsOrphans(t *testing.T) {
	e := newEnv(t, func(c *controlplane.Config) { c.Nodes.Disabled = true })
	sel := map[string]string{"app": "adopter"}
	orphan := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "stray", Labels: sel},
		Spec:       newJob("x").Spec.Template.Spec,
	}
	if _, err := e.pods.Create(e.ctx, orphan); err != nil {
		t.Fatal(err)
	}
	// The controller adopts what its pod cache holds: a Job that came first would create a
	// pod of its own, as in Kubernetes. Wait for the cache (bounded, real concurrency).
	managertest.WaitCached[*core.Pod](t, e.Manager(), "default", "stray")
	e.create(newJob("adopter", func(j *batch.Job) {
		j.Spec.ManualSelector = new(true)
		j.Spec.Selector = &meta.LabelSelector{MatchLabels: sel}
		j.Spec.Template.Labels = sel
	}))
	j := e.waitJob("adopter", 500*time.Millisecond, "one active pod", func(j *batch.Job) bool { return j.Status.Active == 1 })
	p, err := e.pods.Get(e.ctx, "default", "stray")
	if err != nil {
		t.Fatal(err)
	}
	if !meta.IsControlledBy(p, j) || !job.HasTrackingFinalizer(p) {
		t.Errorf("stray pod: owners %+v, finalizers %v", p.OwnerReferences, p.Finalizers)
	}
	if n := len(e.podsOf(j)); n != 1 {
		t.Errorf("%d pods, want only the adopted one", n)
	}
}
