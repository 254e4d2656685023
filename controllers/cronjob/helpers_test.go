package cronjob_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newCronJob is the package's newCronJob (newcronjob_test.go), shared with the internal
// tests.
var newCronJob = cronjob.NewCronJob

// env is a test control plane, without nodes, scheduler or the plane's own controllers,
// running the CronJob controller with schedules in UTC. No Job controller runs: tests finish
// Jobs by writing their status.
type env struct {
	*planetest.Plane
	t    testing.TB
	ctx  context.Context
	ctrl *controller.Controller
	cjs  *client.Typed[*batch.CronJob]
	jobs *client.Typed[*batch.Job]
	// faulty is the manager of a faulty CronJob controller, when one runs it.
	faulty *manager.Manager
}

// managers returns the managers whose controllers settle waits for.
func (e *env) managers() []*manager.Manager {
	if e.faulty != nil {
		return []*manager.Manager{e.Manager(), e.faulty}
	}
	return []*manager.Manager{e.Manager()}
}

func newEnv(t testing.TB, start time.Time, opts ...planetest.Option) *env {
	t.Helper()
	opts = append(planeOptions(start), opts...)
	e := envOn(t, planetest.Start(t, opts...))
	e.startController()
	return e
}

// planeOptions are the options of a plane with no nodes, scheduler or controllers, its clock
// at start.
func planeOptions(start time.Time) []planetest.Option {
	return []planetest.Option{planetest.WithStartTime(start), planetest.WithConfig(func(c *controlplane.Config) {
		c.Nodes.Disabled, c.Scheduler.Disabled, c.Controllers.Disabled = true, true, true
	})}
}

// envOn is the env of plane p, whatever runs on it.
func envOn(t testing.TB, p *planetest.Plane) *env {
	return &env{Plane: p, t: t, ctx: context.Background(),
		cjs: client.For[*batch.CronJob](p.Client()), jobs: client.For[*batch.Job](p.Client())}
}

// startController adds the controller to the plane's manager (again, after stopController:
// a restart with fresh state over the warm shared caches).
func (e *env) startController() {
	e.t.Helper()
	c, err := cronjob.AddController(e.Manager(), cronjob.Options{Location: time.UTC})
	if err != nil {
		e.t.Fatal(err)
	}
	e.ctrl = c
}

// stopController removes the controller from the manager and waits for it to stop.
func (e *env) stopController() {
	e.t.Helper()
	if err := e.Manager().Remove(e.ctrl); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) create(cj *batch.CronJob) *batch.CronJob {
	e.t.Helper()
	out, err := e.cjs.Create(e.ctx, cj)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) getCronJob(name string) *batch.CronJob {
	e.t.Helper()
	cj, err := e.cjs.Get(e.ctx, "default", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return cj
}

// jobNames returns the names of the Jobs cronjob controls, sorted.
func (e *env) jobNames(cronJobName string) []string {
	e.t.Helper()
	l, err := e.jobs.List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, j := range l.Items {
		if ref := meta.GetControllerOf(j); ref != nil && ref.Name == cronJobName {
			out = append(out, j.Name)
		}
	}
	slices.Sort(out)
	return out
}

// settle waits, in real time, until nothing has been written for a while: the controller
// has reacted to the last move of the clock (see managertest.Settle).
func (e *env) settle() {
	e.t.Helper()
	managertest.Settle(e.t, e.Client(), e.managers()...)
}

// moveTo lets the plane settle, then sets the fake clock to t (firing every timer due by
// then, in order) and lets it settle again.
func (e *env) moveTo(t time.Time) {
	e.t.Helper()
	e.settle()
	e.Clock.SetTime(t)
	e.settle()
}

// waitJobs waits until cronJobName controls exactly the Jobs named want.
func (e *env) waitJobs(cronJobName string, want ...string) {
	e.t.Helper()
	slices.Sort(want)
	e.Eventually(func() bool { return slices.Equal(e.jobNames(cronJobName), want) },
		planetest.Message("jobs of %s to be %v", cronJobName, want), e.tick())
}

// tick is the WaitOption that moves the fake clock 1 ms per poll: enough for the retries of
// a sync that lost a race (the controller's back-off starts at 5 ms), far too little to reach
// the next scheduled run.
func (e *env) tick() planetest.WaitOption { return e.Step(time.Millisecond) }

// reconciles returns how many times the CronJob controller has reconciled, from the
// manager's metrics.
func (e *env) reconciles() float64 {
	e.t.Helper()
	mfs, err := e.Manager().Registry().Gather()
	if err != nil {
		e.t.Fatal(err)
	}
	var n float64
	for _, mf := range mfs {
		if mf.GetName() != "controller_runtime_reconcile_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "controller" && l.GetValue() == cronjob.ControllerName {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return n
}

// finishJob gives a Job the status of a finished one: startTime start, and Complete (with
// completionTime) or Failed.
func (e *env) finishJob(name string, start time.Time, complete bool) {
	e.t.Helper()
	now := meta.NewTime(e.Clock.Now())
	_, err := client.GuaranteedUpdateStatus(e.ctx, e.jobs, "default", name, func(j *batch.Job) error {
		j.Status.StartTime = new(meta.NewTime(start))
		c := batch.JobCondition{Status: meta.ConditionTrue, LastTransitionTime: now, LastProbeTime: now}
		if complete {
			c.Type = batch.JobComplete
			j.Status.CompletionTime = &now
			j.Status.Conditions = append(j.Status.Conditions,
				batch.JobCondition{Type: batch.JobSuccessCriteriaMet, Status: meta.ConditionTrue, LastTransitionTime: now, LastProbeTime: now}, c)
		} else {
			c.Type = batch.JobFailed
			j.Status.Conditions = append(j.Status.Conditions,
				batch.JobCondition{Type: batch.JobFailureTarget, Status: meta.ConditionTrue, LastTransitionTime: now, LastProbeTime: now}, c)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// events returns the reasons of the events recorded about the CronJob, in order.
func (e *env) events(cronJobName string) []string {
	e.t.Helper()
	l, err := client.For[*core.Event](e.Client()).List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range l.Items {
		if ev.InvolvedObject.Kind == "CronJob" && ev.InvolvedObject.Name == cronJobName {
			out = append(out, ev.Reason)
		}
	}
	return out
}
