package cronjob

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// Manager is what Add needs from the manager that runs the controller. *manager.Manager
// implements it.
type Manager interface {
	controller.Manager
	// EventRecorder returns a recorder of events from component.
	EventRecorder(component string) *controller.Recorder
}

// indexByCronJob files a Job whose controller reference names a CronJob under
// "<namespace>/<cronjob name>": the Jobs a CronJob reconciles, found without listing the
// namespace.
const indexByCronJob = "batch.cronjob/owner"

// Add builds the CronJob controller and adds it to mgr, which starts it (at once if mgr is
// running). It watches CronJobs and Jobs through mgr's shared informers, adding an index of
// Jobs by owning CronJob. It fails if opts do not validate or the controller cannot be built.
func Add(mgr Manager, opts Options) error {
	_, err := add(mgr, opts)
	return err
}

// add is Add, returning the controller for the package's tests.
func add(mgr Manager, opts Options) (*controller.Controller, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	cjInf, jobInf := informer.For[*batch.CronJob](f), informer.For[*batch.Job](f)
	err := jobInf.AddIndexers(informer.Indexers[*batch.Job]{indexByCronJob: jobsByCronJobIndexFunc})
	if err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return nil, fmt.Errorf("cronjob: %w", err)
	}
	c := mgr.Client()
	r := &Reconciler{
		opts:      opts,
		cronJobs:  client.For[*batch.CronJob](c),
		jobs:      client.For[*batch.Job](c),
		cjLister:  cjInf.Lister(),
		jobLister: jobInf.Lister(),
		recorder:  opts.Recorder,
		clock:     mgr.Clock(),
	}
	ctrl, err := controller.New(ControllerName, r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", batch.GroupName, "controllerKind", "CronJob"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return nil, err
	}
	if err := ctrl.Watch(controller.Kind(cjInf, cronJobHandler{r})); err != nil {
		return nil, err
	}
	if err := ctrl.Watch(controller.Kind(jobInf, jobHandler{r})); err != nil {
		return nil, err
	}
	if err := mgr.Add(ctrl); err != nil {
		return nil, err
	}
	return ctrl, nil
}

// jobsByCronJobIndexFunc files a Job under "<namespace>/<name>" of its controlling CronJob.
func jobsByCronJobIndexFunc(j *batch.Job) []string {
	ref := meta.GetControllerOf(j)
	if ref == nil || ref.Kind != scheme.CronJobGVK.Kind {
		return nil
	}
	if g, _ := scheme.SplitAPIVersion(ref.APIVersion); g != batch.GroupName {
		return nil
	}
	return []string{j.Namespace + "/" + ref.Name}
}

// cronJobHandler turns CronJob events into requests (cronjob.md §3): a change of schedule or
// timeZone re-queues the CronJob for its next run; any other change syncs it at once.
type cronJobHandler struct{ r *Reconciler }

var _ controller.EventHandler[*batch.CronJob] = cronJobHandler{}

func (h cronJobHandler) Create(_ context.Context, cj *batch.CronJob, q controller.Queue) {
	q.Add(controller.RequestFor(cj))
}

func (h cronJobHandler) Update(_ context.Context, oldCJ, curCJ *batch.CronJob, q controller.Queue) {
	req := controller.RequestFor(curCJ)
	if oldCJ.Spec.Schedule == curCJ.Spec.Schedule && stringPtrEqual(oldCJ.Spec.TimeZone, curCJ.Spec.TimeZone) {
		q.Add(req)
		return
	}
	sched, err := parseSchedule(curCJ, h.r.opts.Location)
	if err != nil {
		h.r.recorder.Eventf(curCJ, core.EventTypeWarning, "UnparseableSchedule", "unparseable schedule for cronjob: %s", curCJ.Spec.Schedule)
		return
	}
	q.AddAfter(req, nextScheduleTimeDuration(curCJ, h.r.clock.Now(), sched))
}

func (h cronJobHandler) Delete(_ context.Context, cj *batch.CronJob, q controller.Queue) {
	q.Add(controller.RequestFor(cj))
}

// jobHandler syncs the CronJob that controls a Job whenever the Job changes (for an update
// that moved the Job to another controller, the old one too).
type jobHandler struct{ r *Reconciler }

var _ controller.EventHandler[*batch.Job] = jobHandler{}

func (h jobHandler) Create(_ context.Context, j *batch.Job, q controller.Queue) { h.queueOwner(j, q) }

func (h jobHandler) Update(_ context.Context, oldJob, curJob *batch.Job, q controller.Queue) {
	if oldJob.ResourceVersion == curJob.ResourceVersion {
		return // a resync
	}
	if o, c := meta.GetControllerOf(oldJob), meta.GetControllerOf(curJob); o != nil && (c == nil || o.UID != c.UID) {
		h.queueOwner(oldJob, q)
	}
	h.queueOwner(curJob, q)
}

func (h jobHandler) Delete(_ context.Context, j *batch.Job, q controller.Queue) { h.queueOwner(j, q) }

func (h jobHandler) queueOwner(j *batch.Job, q controller.Queue) {
	if cj, ok := controllerref.Resolve(h.r.cjLister, scheme.CronJobGVK, j.Namespace, meta.GetControllerOf(j)); ok {
		q.Add(controller.RequestFor(cj))
	}
}

// jobsOf returns the Jobs whose controller reference names the CronJob, whatever their UID
// (a CronJob re-created under the same name sees the old one's Jobs, as in Kubernetes).
func (r *Reconciler) jobsOf(cj *batch.CronJob) []*batch.Job {
	jobs, _ := r.jobLister.ByIndex(indexByCronJob, cj.Namespace+"/"+cj.Name) // the index exists (Add)
	return jobs
}

func stringPtrEqual(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

var _ reconcile.Reconciler = (*Reconciler)(nil)
