package job_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// TestFixedCompletionCount: completions 5, parallelism 2 never runs more than 2 pods at once
// and completes with succeeded 5.
func TestFixedCompletionCount(t *testing.T) {
	e := newEnv(t, nil)
	tr := e.recordPods("five")
	e.create(newJob("five", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(5)), new(int32(2))
	}))
	j := e.waitJob("five", 500*time.Millisecond, "complete", func(j *batch.Job) bool { return hasCondition(j, batch.JobComplete) != nil })
	if j.Status.Succeeded != 5 || j.Status.Failed != 0 || j.Status.Active != 0 {
		t.Errorf("status = succeeded %d, failed %d, active %d; want 5, 0, 0", j.Status.Succeeded, j.Status.Failed, j.Status.Active)
	}
	if c := hasCondition(j, batch.JobSuccessCriteriaMet); c == nil || c.Reason != batch.JobReasonCompletionsReached {
		t.Errorf("SuccessCriteriaMet = %+v, want True with reason %s", c, batch.JobReasonCompletionsReached)
	}
	if c := hasCondition(j, batch.JobComplete); c.Reason != batch.JobReasonCompletionsReached {
		t.Errorf("Complete reason = %q", c.Reason)
	}
	if j.Status.CompletionTime == nil || j.Status.StartTime == nil || j.Status.CompletionTime.Before(j.Status.StartTime) {
		t.Errorf("startTime %v, completionTime %v", j.Status.StartTime, j.Status.CompletionTime)
	}
	if u := j.Status.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		t.Errorf("uncounted pods left: %+v", u)
	}
	pods := e.podsOf(j)
	if len(pods) != 5 {
		t.Errorf("%d pods, want 5", len(pods))
	}
	for _, p := range pods {
		if p.Status.Phase != core.PodSucceeded || job.HasTrackingFinalizer(p) {
			t.Errorf("pod %s: phase %s, finalizers %v", p.Name, p.Status.Phase, p.Finalizers)
		}
	}
	if n := tr.maxActive(); n != 2 {
		t.Errorf("at most %d pods active at once, want 2", n)
	}
}

// TestIndexedJob: every index completes exactly once, with its annotation, label, hostname
// and environment variable.
func TestIndexedJob(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("idx", func(j *batch.Job) {
		j.Spec.Completions, j.Spec.Parallelism = new(int32(6)), new(int32(4))
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
	}))
	j := e.waitJob("idx", 500*time.Millisecond, "complete", func(j *batch.Job) bool { return hasCondition(j, batch.JobComplete) != nil })
	if j.Status.CompletedIndexes != "0-5" || j.Status.Succeeded != 6 {
		t.Errorf("completedIndexes %q, succeeded %d; want 0-5, 6", j.Status.CompletedIndexes, j.Status.Succeeded)
	}
	seen := map[int]int{}
	for _, p := range e.podsOf(j) {
		ix := job.CompletionIndex(p)
		seen[ix]++
		v := strconv.Itoa(ix)
		if p.Labels[batch.JobCompletionIndexAnnotation] != v || p.Spec.Hostname != "idx-"+v {
			t.Errorf("pod %s: label %q, hostname %q", p.Name, p.Labels[batch.JobCompletionIndexAnnotation], p.Spec.Hostname)
		}
		if want := fmt.Sprintf("idx-%d-", ix); p.GenerateName != want {
			t.Errorf("pod %s: generateName %q, want %q", p.Name, p.GenerateName, want)
		}
		env := p.Spec.Containers[0].Env
		if len(env) != 1 || env[0].Name != job.CompletionIndexEnvName || env[0].ValueFrom == nil ||
			env[0].ValueFrom.FieldRef.FieldPath != "metadata.labels['batch.kubernetes.io/job-completion-index']" {
			t.Errorf("pod %s: env %+v", p.Name, env)
		}
	}
	for ix := range 6 {
		if seen[ix] != 1 {
			t.Errorf("index %d ran %d times, want once", ix, seen[ix])
		}
	}
}

// TestWorkQueue: without completions, the Job completes once a pod succeeded and the others
// stopped.
func TestWorkQueue(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("queue", func(j *batch.Job) { j.Spec.Parallelism = new(int32(3)) }))
	j := e.waitJob("queue", 500*time.Millisecond, "complete", func(j *batch.Job) bool { return hasCondition(j, batch.JobComplete) != nil })
	if j.Status.Succeeded != 3 || j.Status.Active != 0 {
		t.Errorf("succeeded %d, active %d; want 3, 0", j.Status.Succeeded, j.Status.Active)
	}
	if n := len(e.podsOf(j)); n != 3 {
		t.Errorf("%d pods, want 3 (no pod after the first success)", n)
	}
}

// TestBackoffLimit: with backoffLimit 2 the Job fails with BackoffLimitExceeded after exactly
// three failures, replacements waiting 10 s and then 20 s after the previous failure.
func TestBackoffLimit(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("crash", func(j *batch.Job) { j.Spec.BackoffLimit = new(int32(2)) },
		withAnnotations(sim.AnnotationCrash, "true")))
	var j *batch.Job
	e.advanceUntil(5*time.Minute, "job failed", func() bool {
		j = e.get("crash")
		return hasCondition(j, batch.JobFailed) != nil
	})
	if c := hasCondition(j, batch.JobFailed); c.Reason != batch.JobReasonBackoffLimitExceeded || c.Message != "Job has reached the specified backoff limit" {
		t.Errorf("Failed condition %+v", c)
	}
	if c := hasCondition(j, batch.JobFailureTarget); c == nil || c.Reason != batch.JobReasonBackoffLimitExceeded {
		t.Errorf("FailureTarget condition %+v", c)
	}
	if j.Status.Failed != 3 || j.Status.Succeeded != 0 || j.Status.Active != 0 || j.Status.CompletionTime != nil {
		t.Errorf("status: failed %d, succeeded %d, active %d, completionTime %v", j.Status.Failed, j.Status.Succeeded, j.Status.Active, j.Status.CompletionTime)
	}
	pods := e.podsOf(j)
	if len(pods) != 3 {
		t.Fatalf("%d pods, want 3", len(pods))
	}
	for i, want := range []time.Duration{10 * time.Second, 20 * time.Second} {
		failedAt := job.FinishedTime(pods[i])
		if gap := pods[i+1].CreationTimestamp.Sub(failedAt); gap != want {
			t.Errorf("pod %d created %v after pod %d failed, want %v", i+1, gap, i, want)
		}
	}
}

// TestPodFailurePolicyFailJob: a FailJob rule on exit code 42 fails the Job at the first
// such failure, whatever backoffLimit says.
func TestPodFailurePolicyFailJob(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("fortytwo", func(j *batch.Job) {
		j.Spec.BackoffLimit = new(int32(6))
		j.Spec.PodFailurePolicy = &batch.PodFailurePolicy{Rules: []batch.PodFailurePolicyRule{
			{Action: batch.PodFailurePolicyActionIgnore, OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: []int32{7}}},
			{Action: batch.PodFailurePolicyActionFailJob, OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: []int32{42}}},
		}}
	}, withAnnotations(sim.AnnotationRunFor, "2s", sim.AnnotationExitCode, "42")))
	j := e.waitJob("fortytwo", 500*time.Millisecond, "failed", func(j *batch.Job) bool { return hasCondition(j, batch.JobFailed) != nil })
	c := hasCondition(j, batch.JobFailed)
	pods := e.podsOf(j)
	if len(pods) != 1 {
		t.Fatalf("%d pods, want 1", len(pods))
	}
	want := fmt.Sprintf("Container main for pod default/%s failed with exit code 42 matching FailJob rule at index 1", pods[0].Name)
	if c.Reason != batch.JobReasonPodFailurePolicy || c.Message != want {
		t.Errorf("Failed = %s %q, want %s %q", c.Reason, c.Message, batch.JobReasonPodFailurePolicy, want)
	}
	if j.Status.Failed != 1 {
		t.Errorf("failed = %d, want 1", j.Status.Failed)
	}
}

// TestPodFailurePolicyIgnoreDisruption: a pod failed by a disruption (DisruptionTarget
// condition) is not counted and is replaced; the Job then completes with backoffLimit 0.
func TestPodFailurePolicyIgnoreDisruption(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("disrupted", func(j *batch.Job) {
		j.Spec.BackoffLimit = new(int32(0))
		j.Spec.PodFailurePolicy = &batch.PodFailurePolicy{Rules: []batch.PodFailurePolicyRule{{
			Action:          batch.PodFailurePolicyActionIgnore,
			OnPodConditions: []batch.PodFailurePolicyOnPodConditionsPattern{{Type: core.DisruptionTarget, Status: meta.ConditionTrue}},
		}}}
	}, withAnnotations(sim.AnnotationRunFor, "30s")))
	var first *core.Pod
	e.Eventually(func() bool {
		j, err := e.jobs.Get(e.ctx, "default", "disrupted")
		if err != nil {
			return false
		}
		for _, p := range e.podsOf(j) {
			if p.Status.Phase == core.PodRunning {
				first = p
				return true
			}
		}
		return false
	}, e.Step(500*time.Millisecond))
	// Evict it as the system would: condition first, then a graceful delete.
	if _, err := client.GuaranteedUpdateStatus(e.ctx, e.pods, "default", first.Name, func(p *core.Pod) error {
		p.Status.Conditions = append(p.Status.Conditions, core.PodCondition{
			Type: core.DisruptionTarget, Status: meta.ConditionTrue, Reason: "EvictionByEvictionAPI",
		})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pods.Delete(e.ctx, "default", first.Name); err != nil {
		t.Fatal(err)
	}
	j := e.waitJob("disrupted", 500*time.Millisecond, "complete", func(j *batch.Job) bool { return hasCondition(j, batch.JobComplete) != nil })
	if j.Status.Failed != 0 || j.Status.Succeeded != 1 {
		t.Errorf("failed %d, succeeded %d; want 0, 1", j.Status.Failed, j.Status.Succeeded)
	}
	if n := len(e.podsOf(j)); n != 1 { // the disrupted pod is gone once its finalizer is removed
		t.Errorf("%d pods left, want 1", n)
	}
}

// TestActiveDeadline: once activeDeadlineSeconds have passed, the running pods are deleted
// and the Job fails with DeadlineExceeded.
func TestActiveDeadline(t *testing.T) {
	e := newEnv(t, nil)
	e.create(newJob("slow", func(j *batch.Job) {
		j.Spec.ActiveDeadlineSeconds = new(int64(20))
		j.Spec.Parallelism, j.Spec.Completions = new(int32(2)), new(int32(4))
	}, withAnnotations(sim.AnnotationRunFor, "1h")))
	var j *batch.Job
	e.advanceUntil(time.Minute, "job failed", func() bool {
		j = e.get("slow")
		return hasCondition(j, batch.JobFailed) != nil
	})
	c := hasCondition(j, batch.JobFailureTarget)
	if c == nil || c.Reason != batch.JobReasonDeadlineExceeded || c.Message != "Job was active longer than specified deadline" {
		t.Fatalf("FailureTarget = %+v", c)
	}
	if got := c.LastTransitionTime.Sub(j.Status.StartTime.Time); got != 20*time.Second {
		t.Errorf("the deadline fired %v after the start, want 20s", got)
	}
	if j.Status.Active != 0 || j.Status.Failed != 2 || *j.Status.Terminating != 0 {
		t.Errorf("active %d, failed %d, terminating %d", j.Status.Active, j.Status.Failed, *j.Status.Terminating)
	}
	for _, p := range e.podsOf(j) {
		if core.IsPodActive(p) || job.HasTrackingFinalizer(p) {
			t.Errorf("pod %s still active or tracked: phase %s, deleted %v", p.Name, p.Status.Phase, p.DeletionTimestamp)
		}
	}
}
