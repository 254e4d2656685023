package job_test

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newJob is the package's newJob (newjob_test.go), shared with the internal tests.
var newJob = job.NewJob

// env is a test control plane running the Job controller.
type env struct {
	*planetest.Plane
	t    testing.TB
	ctx  context.Context
	jobs *client.Typed[*batch.Job]
	pods *client.Typed[*core.Pod]
	// faulty is the manager of startFaultyController, when it runs the Job controller.
	faulty *manager.Manager
}

// managers returns the managers whose controllers settle waits for.
func (e *env) managers() []*manager.Manager {
	if e.faulty != nil {
		return []*manager.Manager{e.Manager(), e.faulty}
	}
	return []*manager.Manager{e.Manager()}
}

// newEnv starts a plane with simulated nodes and the Job controller, and none of the plane's
// own controllers (no garbage collector: a deleted Job's pods stay). edit changes the plane's
// configuration (node count, batch run time, ...).
func newEnv(t testing.TB, edit func(*controlplane.Config)) *env {
	t.Helper()
	opts := []planetest.Option{planetest.WithConfig(func(c *controlplane.Config) { c.Controllers.Disabled = true })}
	if edit != nil {
		opts = append(opts, planetest.WithConfig(edit))
	}
	p := planetest.Start(t, opts...)
	if err := job.Add(p.Manager(), job.Options{}); err != nil {
		t.Fatal(err)
	}
	return envOn(t, p)
}

// envOn is the env of plane p, whatever runs on it.
func envOn(t testing.TB, p *planetest.Plane) *env {
	return &env{Plane: p, t: t, ctx: context.Background(),
		jobs: client.For[*batch.Job](p.Client()), pods: client.For[*core.Pod](p.Client())}
}

// withAnnotations sets pod template annotations (the simulated runtime's behaviour).
func withAnnotations(kv ...string) func(*batch.Job) {
	return func(j *batch.Job) {
		if j.Spec.Template.Annotations == nil {
			j.Spec.Template.Annotations = map[string]string{}
		}
		for i := 0; i+1 < len(kv); i += 2 {
			j.Spec.Template.Annotations[kv[i]] = kv[i+1]
		}
	}
}

func (e *env) create(j *batch.Job) *batch.Job {
	e.t.Helper()
	out, err := e.jobs.Create(e.ctx, j)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) get(name string) *batch.Job {
	e.t.Helper()
	j, err := e.jobs.Get(e.ctx, "default", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return j
}

// podsOf returns the pods the Job controls, sorted by creation then name.
func (e *env) podsOf(j *batch.Job) []*core.Pod {
	e.t.Helper()
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: j.Namespace})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*core.Pod
	for _, p := range l.Items {
		if meta.IsControlledBy(p, j) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *core.Pod) int {
		if c := a.CreationTimestamp.Compare(b.CreationTimestamp.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// waitJob steps the clock by step between polls until cond holds for the Job.
func (e *env) waitJob(name string, step time.Duration, what string, cond func(*batch.Job) bool) *batch.Job {
	e.t.Helper()
	var last *batch.Job
	e.Eventually(func() bool {
		j, err := e.jobs.Get(e.ctx, "default", name)
		if err != nil {
			return false
		}
		last = j
		return cond(j)
	}, e.Step(step), planetest.Message("job %s: %s", name, what), planetest.Within(30*time.Second))
	return last
}

// finished reports whether the Job has the terminal condition t True.
func hasCondition(j *batch.Job, t batch.JobConditionType) *batch.JobCondition {
	c := job.FindCondition(j.Status.Conditions, t)
	if c == nil || c.Status != meta.ConditionTrue {
		return nil
	}
	return c
}

// settle waits, in real time, until nothing has been written for a while: the components
// have reacted to the last step of the clock (see managertest.Settle).
func (e *env) settle() {
	e.t.Helper()
	managertest.Settle(e.t, e.Client(), e.managers()...)
}

// advanceUntil moves the fake clock forward one due timer at a time, letting the plane settle
// after each, until cond holds or the clock has moved by limit. Time never jumps over a
// timer, so what happens at an instant happens exactly then.
func (e *env) advanceUntil(limit time.Duration, what string, cond func() bool) {
	e.t.Helper()
	end := e.Clock.Now().Add(limit)
	for {
		e.settle()
		if cond() {
			return
		}
		now := e.Clock.Now()
		if !now.Before(end) {
			e.t.Fatalf("%s: not met by %v", what, now)
		}
		next, ok := e.Clock.NextDue()
		if !ok || next.After(end) {
			next = end
		}
		if !next.After(now) {
			next = now.Add(time.Millisecond)
		}
		e.Clock.SetTime(next)
	}
}

// podRecorder follows a Job's pods through a watch: the most pods active at once (not
// finished, not terminating) and the last state of every pod, deleted ones included.
type podRecorder struct {
	mu     sync.Mutex
	last   map[meta.UID]*core.Pod
	active map[meta.UID]bool
	max    int
	stop   func()
	done   chan struct{}
}

func (e *env) recordPods(jobName string) *podRecorder {
	e.t.Helper()
	w, err := e.pods.Watch(e.ctx, store.WatchOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	r := &podRecorder{last: map[meta.UID]*core.Pod{}, active: map[meta.UID]bool{}, stop: w.Stop, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for ev := range w.ResultChan() {
			p := ev.Object
			if p == nil || p.Labels[batch.JobNameLabel] != jobName {
				continue
			}
			r.mu.Lock()
			r.last[p.UID] = p
			if ev.Type == store.Deleted {
				delete(r.active, p.UID)
			} else {
				r.active[p.UID] = core.IsPodActive(p)
			}
			n := 0
			for _, a := range r.active {
				if a {
					n++
				}
			}
			r.max = max(r.max, n)
			r.mu.Unlock()
		}
	}()
	e.t.Cleanup(r.close)
	return r
}

func (r *podRecorder) close() {
	r.stop()
	<-r.done
}

func (r *podRecorder) maxActive() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.max
}

// phases counts the pods by the last phase seen.
func (r *podRecorder) phases() map[core.PodPhase]int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[core.PodPhase]int32{}
	for _, p := range r.last {
		out[p.Status.Phase]++
	}
	return out
}
