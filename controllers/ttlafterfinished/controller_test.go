package ttlafterfinished_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controllers/ttlafterfinished"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type env struct {
	*planetest.Plane
	t    *testing.T
	ctx  context.Context
	jobs *client.Typed[*batch.Job]
	pods *client.Typed[*core.Pod]
}

// newEnv starts a plane with its garbage collector (which carries out the foreground
// deletion) and the TTL controller, but no nodes: a Job's pods are created by the test.
func newEnv(t *testing.T) *env {
	p := planetest.Start(t, planetest.WithConfig(func(c *controlplane.Config) {
		c.Nodes.Disabled, c.Scheduler.Disabled = true, true
	}))
	if err := ttlafterfinished.Add(p.Manager(), ttlafterfinished.Options{}); err != nil && !errors.Is(err, manager.ErrDuplicateName) {
		t.Fatal(err) // ErrDuplicateName: the plane runs the controller itself
	}
	return &env{Plane: p, t: t, ctx: context.Background(), jobs: client.For[*batch.Job](p.Client()), pods: client.For[*core.Pod](p.Client())}
}

// finishedJob creates a suspended Job with ttl and two pods, then gives it a finished
// status (Complete or Failed) at the current time, as the Job controller would.
func (e *env) finishedJob(name string, ttl *int32, complete bool) *batch.Job {
	e.t.Helper()
	j, err := e.jobs.Create(e.ctx, &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: batch.JobSpec{
			Suspend:                 new(true),
			TTLSecondsAfterFinished: ttl,
			Template: core.PodTemplateSpec{Spec: core.PodSpec{
				RestartPolicy: core.RestartPolicyNever,
				Containers:    []core.Container{{Name: "main", Image: "busybox:1.36"}},
			}},
		},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	ref := meta.OwnerReference{APIVersion: batch.GroupVersion, Kind: scheme.JobGVK.Kind, Name: j.Name, UID: j.UID, Controller: new(true), BlockOwnerDeletion: new(true)}
	for range 2 {
		if _, err := e.pods.Create(e.ctx, &core.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: "default", GenerateName: name + "-", Labels: j.Spec.Template.Labels, OwnerReferences: []meta.OwnerReference{ref}},
			Spec:       j.Spec.Template.Spec,
		}); err != nil {
			e.t.Fatal(err)
		}
	}
	now := meta.NewTime(e.Clock.Now())
	j, err = client.GuaranteedUpdateStatus(e.ctx, e.jobs, "default", name, func(j *batch.Job) error {
		j.Status.StartTime = &now
		interim, final := batch.JobSuccessCriteriaMet, batch.JobComplete
		if !complete {
			interim, final = batch.JobFailureTarget, batch.JobFailed
		} else {
			j.Status.CompletionTime = &now
		}
		for _, t := range []batch.JobConditionType{interim, final} {
			j.Status.Conditions = append(j.Status.Conditions, batch.JobCondition{Type: t, Status: meta.ConditionTrue, LastProbeTime: now, LastTransitionTime: now})
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return j
}

func (e *env) exists(name string) bool {
	_, err := e.jobs.Get(e.ctx, "default", name)
	if err != nil && !store.IsNotFound(err) {
		e.t.Fatal(err)
	}
	return err == nil
}

func (e *env) podsLeft(j *batch.Job) int {
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, p := range l.Items {
		if meta.IsControlledBy(p, j) {
			n++
		}
	}
	return n
}

// TestDeletesAfterTTL: a finished Job and its pods are deleted once ttlSecondsAfterFinished
// have passed since it finished, not before.
func TestDeletesAfterTTL(t *testing.T) {
	for _, tc := range []struct {
		name     string
		complete bool
	}{{"complete", true}, {"failed", false}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			j := e.finishedJob("done", new(int32(60)), tc.complete)
			e.Clock.Step(59 * time.Second)
			// A Job with a TTL of 0 finishing now is deleted at once: once it is gone, the
			// controller has had its chance to delete "done" too early.
			e.finishedJob("marker", new(int32(0)), false)
			e.Eventually(func() bool { return !e.exists("marker") }, e.Step(time.Millisecond))
			if j2, err := e.jobs.Get(e.ctx, "default", "done"); err != nil || j2.DeletionTimestamp != nil {
				t.Fatalf("deleted before its TTL: %v, %v", j2, err)
			}
			e.Clock.Step(time.Second)
			e.Eventually(func() bool { return !e.exists("done") && e.podsLeft(j) == 0 },
				e.Step(time.Millisecond), planetest.Message("the Job and its pods deleted"))
		})
	}
}

// TestTTLZero: a TTL of 0 deletes the Job as soon as it finishes.
func TestTTLZero(t *testing.T) {
	e := newEnv(t)
	j := e.finishedJob("now", new(int32(0)), true)
	e.Eventually(func() bool { return !e.exists("now") && e.podsLeft(j) == 0 }, e.Step(time.Millisecond))
}

// TestNoTTL: finished Jobs without a TTL, and running Jobs with one, stay.
func TestNoTTL(t *testing.T) {
	e := newEnv(t)
	e.finishedJob("keep", nil, true)
	if _, err := e.jobs.Create(e.ctx, &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "running"},
		Spec: batch.JobSpec{Suspend: new(true), TTLSecondsAfterFinished: new(int32(0)), Template: core.PodTemplateSpec{Spec: core.PodSpec{
			RestartPolicy: core.RestartPolicyNever, Containers: []core.Container{{Name: "main", Image: "busybox:1.36"}},
		}}},
	}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Step(24 * time.Hour)
	// Something must happen for the check below to mean anything: a Job with a TTL that
	// finishes now is deleted, so the controller is running.
	e.finishedJob("marker", new(int32(0)), false)
	e.Eventually(func() bool { return !e.exists("marker") }, e.Step(time.Millisecond))
	if !e.exists("keep") || !e.exists("running") {
		t.Errorf("keep exists %v, running exists %v", e.exists("keep"), e.exists("running"))
	}
}

// TestTTLExtended: a TTL raised after the Job finished is honoured: the fresh copy decides.
func TestTTLExtended(t *testing.T) {
	e := newEnv(t)
	e.finishedJob("longer", new(int32(30)), true)
	if _, err := client.GuaranteedUpdate(e.ctx, e.jobs, "default", "longer", func(j *batch.Job) error {
		j.Spec.TTLSecondsAfterFinished = new(int32(120))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Step(60 * time.Second)
	e.finishedJob("marker", new(int32(0)), false)
	e.Eventually(func() bool { return !e.exists("marker") }, e.Step(time.Millisecond))
	if !e.exists("longer") {
		t.Fatal("deleted at the old TTL")
	}
	e.Clock.Step(60 * time.Second)
	e.Eventually(func() bool { return !e.exists("longer") }, e.Step(time.Millisecond))
}

// TestWithJobController runs the whole story on a plane with simulated nodes and the garbage
// collector: a Job runs its pods to completion under the Job controller, and one minute later
// the TTL controller deletes it and, through the garbage collector, its pods.
func TestWithJobController(t *testing.T) {
	p := planetest.Start(t)
	for _, add := range []func() error{
		func() error { return job.Add(p.Manager(), job.Options{}) },
		func() error { return ttlafterfinished.Add(p.Manager(), ttlafterfinished.Options{}) },
	} {
		if err := add(); err != nil && !errors.Is(err, manager.ErrDuplicateName) {
			t.Fatal(err)
		}
	}
	e := &env{Plane: p, t: t, ctx: context.Background(), jobs: client.For[*batch.Job](p.Client()), pods: client.For[*core.Pod](p.Client())}
	j, err := e.jobs.Create(e.ctx, &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "short"},
		Spec: batch.JobSpec{
			Completions: new(int32(2)), Parallelism: new(int32(2)), TTLSecondsAfterFinished: new(int32(60)),
			Template: core.PodTemplateSpec{Spec: core.PodSpec{
				RestartPolicy: core.RestartPolicyNever,
				Containers:    []core.Container{{Name: "main", Image: "busybox:1.36"}},
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var finishedAt time.Time
	e.Eventually(func() bool {
		j, err := e.jobs.Get(e.ctx, "default", "short")
		if err != nil || ttlafterfinished.FinishedCondition(j) == nil {
			return false
		}
		finishedAt = ttlafterfinished.FinishedCondition(j).LastTransitionTime.Time
		return true
	}, e.Step(100*time.Millisecond), planetest.Message("the Job finished"))
	if n := e.podsLeft(j); n != 2 {
		t.Fatalf("%d pods after the Job finished, want 2", n)
	}
	e.Eventually(func() bool { return !e.exists("short") && e.podsLeft(j) == 0 }, e.Step(100*time.Millisecond),
		planetest.Message("the Job and its pods deleted"))
	if gone := e.Clock.Now(); gone.Before(finishedAt.Add(60 * time.Second)) {
		t.Errorf("deleted at %v, before its TTL expired at %v", gone, finishedAt.Add(60*time.Second))
	}
}
