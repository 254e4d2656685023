package ttlafterfinished

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// DefaultWorkers is the number of Jobs processed at once (kube-controller-manager's
// --concurrent-ttl-after-finished-syncs).
const DefaultWorkers = 5

// ControllerName is the controller's name in its manager.
const ControllerName = "ttl-after-finished"

// Options configure the TTL-after-finished controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of Jobs processed concurrently. Default DefaultWorkers.
	Workers int
}

// Validate rejects a negative number of workers.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return errors.New("ttlafterfinished: invalid options: the number of workers must not be negative")
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}

// Add builds the controller and adds it to mgr, which starts it (at once if mgr is running).
// It watches Jobs through mgr's shared informers. It fails if opts do not validate or the
// controller cannot be built.
func Add(mgr controller.Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	inf := informer.For[*batch.Job](mgr.Informers())
	r := &Reconciler{jobs: client.For[*batch.Job](mgr.Client()), lister: inf.Lister(), clock: mgr.Clock()}
	ctrl, err := controller.New(ControllerName, r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", batch.GroupName, "controllerKind", "Job"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return err
	}
	pending := controller.NewPredicate(func(j *batch.Job) bool { return j.DeletionTimestamp == nil && needsCleanup(j) })
	if err := ctrl.Watch(controller.Kind(inf, controller.EnqueueObject[*batch.Job]{}, pending)); err != nil {
		return err
	}
	return mgr.Add(ctrl)
}

// Reconciler deletes one finished Job once its TTL has passed: see the package
// documentation. It is safe for concurrent use.
type Reconciler struct {
	jobs   *client.Typed[*batch.Job]
	lister informer.Lister[*batch.Job]
	clock  clock.Clock
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// Reconcile deletes the Job req names if its TTL has expired, after checking a fresh copy,
// or requeues it for when it will have.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cached, err := r.lister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if left, expired, err := r.timeLeft(cached); err != nil || !expired {
		return reconcile.Result{RequeueAfter: left}, err
	}
	// The cached TTL may be stale: decide on the stored Job.
	fresh, err := r.jobs.Get(ctx, req.Namespace, req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	left, expired, err := r.timeLeft(fresh)
	if err != nil || !expired {
		return reconcile.Result{RequeueAfter: left}, err
	}
	logr.FromContextOrDiscard(ctx).V(1).Info("Deleting the Job: its TTL after finishing has passed", "job", req.String())
	_, err = r.jobs.Delete(ctx, fresh.Namespace, fresh.Name,
		client.PropagationPolicy(meta.DeletePropagationForeground), client.PreconditionUID(fresh.UID))
	if store.IsNotFound(err) || store.IsConflict(err) {
		return reconcile.Result{}, nil // gone, or another Job took the name: it has its own events
	}
	return reconcile.Result{}, err
}

// timeLeft returns, for a Job that is not being deleted and needs cleaning up, how long until
// its TTL expires and whether it has; (0, false) for any other Job. A finished Job whose
// finish time is unknown is an error.
func (r *Reconciler) timeLeft(j *batch.Job) (time.Duration, bool, error) {
	if j.DeletionTimestamp != nil || !needsCleanup(j) {
		return 0, false, nil
	}
	finished := finishedCondition(j).LastTransitionTime
	if finished.IsZero() {
		return 0, false, reconcile.TerminalError(fmt.Errorf("unable to find the time when the Job %s/%s finished", j.Namespace, j.Name))
	}
	left := finished.Add(time.Duration(*j.Spec.TTLSecondsAfterFinished) * time.Second).Sub(r.clock.Now())
	return left, left <= 0, nil
}

// needsCleanup reports whether the Job has a TTL and has finished.
func needsCleanup(j *batch.Job) bool {
	return j.Spec.TTLSecondsAfterFinished != nil && finishedCondition(j) != nil
}

// finishedCondition returns the Job's True Complete or Failed condition, or nil.
func finishedCondition(j *batch.Job) *batch.JobCondition {
	for i, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == meta.ConditionTrue {
			return &j.Status.Conditions[i]
		}
	}
	return nil
}
