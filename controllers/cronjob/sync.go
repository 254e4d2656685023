package cronjob

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// Reconciler syncs one CronJob: see the package documentation for the algorithm. Add builds
// it; it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	opts      Options
	cronJobs  *client.Typed[*batch.CronJob]
	jobs      *client.Typed[*batch.Job]
	cjLister  informer.Lister[*batch.CronJob]
	jobLister informer.Lister[*batch.Job]
	recorder  controller.EventRecorder
	clock     clock.Clock
}

// Reconcile syncs the CronJob req names (../shared/spec/cronjob.md §3): it reconciles the
// active list with the Jobs, starts the most recent missed run when it is due, trims the
// history, writes the status if it changed and requeues the CronJob for its next run.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cached, err := r.cjLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	jobs := r.jobsOf(cached)
	cj := cached.DeepCopy()
	cj, requeueAfter, updateStatus, err := r.syncCronJob(ctx, cj, jobs)
	if err != nil {
		if updateStatus {
			if _, uerr := r.cronJobs.UpdateStatus(ctx, cj); uerr != nil {
				return reconcile.Result{}, fmt.Errorf("updating status: %w", uerr)
			}
		}
		return reconcile.Result{}, err
	}
	if r.cleanupFinishedJobs(ctx, cj, jobs) {
		updateStatus = true
	}
	if updateStatus {
		if _, err := r.cronJobs.UpdateStatus(ctx, cj); err != nil {
			return reconcile.Result{}, fmt.Errorf("updating status: %w", err)
		}
	}
	if requeueAfter > 0 {
		return reconcile.Result{RequeueAfter: requeueAfter}, nil
	}
	return reconcile.Result{}, nil
}

// syncCronJob is steps 2–14 of the sync, on cj, a copy it may replace by a fresher one. It
// returns the CronJob to write, when to sync again (0: only on the next change), whether the
// status changed, and an error to retry.
func (r *Reconciler) syncCronJob(ctx context.Context, cj *batch.CronJob, jobs []*batch.Job) (*batch.CronJob, time.Duration, bool, error) {
	log := logr.FromContextOrDiscard(ctx)
	now := r.clock.Now()
	updateStatus := false

	// Step 2: the active list against the Jobs.
	children := make(map[meta.UID]bool, len(jobs))
	active := activeUIDs(cj)
	for _, j := range jobs {
		children[j.UID] = true
		found := active[j.UID]
		finished := finishedStatus(j)
		switch {
		case !found && finished == "":
			fresh, err := r.cronJobs.Get(ctx, cj.Namespace, cj.Name)
			if err != nil {
				return cj, 0, updateStatus, err
			}
			if inActive(fresh, j.UID) {
				cj, active = fresh, activeUIDs(fresh)
				continue
			}
			r.recorder.Eventf(cj, core.EventTypeWarning, "UnexpectedJob", "Saw a job that the controller did not create or forgot: %s", j.Name)
		case found && finished != "":
			removeFromActive(cj, j.UID)
			delete(active, j.UID)
			r.recorder.Eventf(cj, core.EventTypeNormal, "SawCompletedJob", "Saw completed job: %s, status: %v", j.Name, finished)
			updateStatus = true
		}
		if finished == batch.JobComplete && j.Status.CompletionTime != nil {
			if last := cj.Status.LastSuccessfulTime; last == nil || j.Status.CompletionTime.After(last.Time) {
				cj.Status.LastSuccessfulTime = j.Status.CompletionTime.DeepCopy()
				updateStatus = true
			}
		}
	}
	for _, ref := range slices.Clone(cj.Status.Active) {
		if children[ref.UID] {
			continue
		}
		// The cache may lag behind: ask the store before calling the Job missing.
		_, err := r.jobs.Get(ctx, ref.Namespace, ref.Name)
		switch {
		case store.IsNotFound(err):
			r.recorder.Eventf(cj, core.EventTypeNormal, "MissingJob", "Active job went missing: %v", ref.Name)
			removeFromActive(cj, ref.UID)
			updateStatus = true
		case err != nil:
			return cj, 0, updateStatus, err
		}
	}

	// Steps 3–6: nothing to run when deleting, suspended or unschedulable.
	if cj.DeletionTimestamp != nil {
		return cj, 0, updateStatus, nil
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil {
			r.recorder.Eventf(cj, core.EventTypeWarning, "UnknownTimeZone", "invalid timeZone: %q: %s", *tz, err)
			return cj, 0, updateStatus, nil
		}
	}
	if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
		return cj, 0, updateStatus, nil
	}
	sched, err := parseSchedule(cj, r.opts.Location)
	if err != nil {
		r.recorder.Eventf(cj, core.EventTypeWarning, "UnparseableSchedule", "unparseable schedule: %q : %s", cj.Spec.Schedule, err)
		return cj, 0, updateStatus, nil
	}
	if hasTZ(cj.Spec.Schedule) {
		r.recorder.Eventf(cj, core.EventTypeWarning, "UnsupportedSchedule",
			"CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details", cj.Spec.Schedule)
	}

	// Step 7: the most recent schedule not yet run.
	_, scheduled, m, err := mostRecentScheduleTime(cj, now, sched, true)
	if scheduled != nil && m == manyMissed {
		r.recorder.Event(cj, core.EventTypeWarning, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
		log.Info("Too many missed start times", "cronjob", cj.Name)
	}
	if err != nil {
		r.recorder.Eventf(cj, core.EventTypeWarning, "InvalidSchedule", "invalid schedule: %s : %s", cj.Spec.Schedule, err)
		return cj, 0, updateStatus, nil
	}
	next := nextScheduleTimeDuration(cj, now, sched)
	if scheduled == nil {
		return cj, next, updateStatus, nil
	}
	// Step 8: too late to start.
	if d := cj.Spec.StartingDeadlineSeconds; d != nil && scheduled.Add(time.Duration(*d)*time.Second).Before(now) {
		r.recorder.Eventf(cj, core.EventTypeWarning, "MissSchedule", "Missed scheduled time to start a job: %s", scheduled.UTC().Format(time.RFC1123Z))
		return cj, next, updateStatus, nil
	}
	// Step 9: already started.
	if inActiveByName(cj, jobName(cj.Name, *scheduled)) || cj.Status.LastScheduleTime.Equal(new(meta.NewTime(*scheduled))) {
		return cj, next, updateStatus, nil
	}
	// Steps 10–11: the concurrency policy.
	switch cj.Spec.ConcurrencyPolicy {
	case batch.ForbidConcurrent:
		if len(cj.Status.Active) > 0 {
			r.recorder.Event(cj, core.EventTypeNormal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")
			return cj, next, updateStatus, nil
		}
	case batch.ReplaceConcurrent:
		for _, ref := range slices.Clone(cj.Status.Active) {
			j, err := r.jobs.Get(ctx, ref.Namespace, ref.Name)
			if err != nil {
				r.recorder.Eventf(cj, core.EventTypeWarning, "FailedGet", "Get job: %v", err)
				return cj, 0, updateStatus, err
			}
			if !r.deleteJob(ctx, cj, j) {
				return cj, 0, updateStatus, fmt.Errorf("could not replace job %s/%s", j.Namespace, j.Name)
			}
			updateStatus = true
		}
	}

	// Steps 12–14: create the Job and record it.
	want, err := jobForSchedule(cj, *scheduled)
	if err != nil {
		return cj, 0, updateStatus, err
	}
	created, err := r.jobs.Create(ctx, want)
	switch {
	case podcontrol.IsNamespaceTerminating(err):
		return cj, 0, updateStatus, err
	case store.IsAlreadyExists(err):
		// Created before, by an earlier sync whose status write was lost, or by someone else.
		existing, err := r.jobs.Get(ctx, want.Namespace, want.Name)
		if err != nil {
			return cj, 0, updateStatus, err
		}
		if !meta.IsControlledBy(existing, cj) || inActive(cj, existing.UID) {
			return cj, 0, updateStatus, nil
		}
		created = existing
	case err != nil:
		r.recorder.Eventf(cj, core.EventTypeWarning, "FailedCreate", "Error creating job: %v", err)
		return cj, 0, updateStatus, err
	default:
		r.recorder.Eventf(cj, core.EventTypeNormal, "SuccessfulCreate", "Created job %v", created.Name)
	}
	cj.Status.Active = append(cj.Status.Active, jobRef(created))
	cj.Status.LastScheduleTime = new(meta.NewTime(*scheduled))
	return cj, nextScheduleTimeDuration(cj, now, sched), true, nil
}

// cleanupFinishedJobs deletes the oldest finished Jobs beyond the history limits (step 15):
// Complete and Failed ones separately, oldest startTime first. It reports a status change.
func (r *Reconciler) cleanupFinishedJobs(ctx context.Context, cj *batch.CronJob, jobs []*batch.Job) bool {
	if cj.Spec.SuccessfulJobsHistoryLimit == nil && cj.Spec.FailedJobsHistoryLimit == nil {
		return false
	}
	var succeeded, failed []*batch.Job
	for _, j := range jobs {
		switch finishedStatus(j) {
		case batch.JobComplete:
			succeeded = append(succeeded, j)
		case batch.JobFailed:
			failed = append(failed, j)
		}
	}
	changed := false
	if l := cj.Spec.SuccessfulJobsHistoryLimit; l != nil && r.removeOldestJobs(ctx, cj, succeeded, int(*l)) {
		changed = true
	}
	if l := cj.Spec.FailedJobsHistoryLimit; l != nil && r.removeOldestJobs(ctx, cj, failed, int(*l)) {
		changed = true
	}
	return changed
}

// removeOldestJobs deletes the oldest of jobs so that at most limit remain.
func (r *Reconciler) removeOldestJobs(ctx context.Context, cj *batch.CronJob, jobs []*batch.Job, limit int) bool {
	n := len(jobs) - limit
	if n <= 0 {
		return false
	}
	jobs = slices.Clone(jobs)
	slices.SortFunc(jobs, compareByStartTime)
	changed := false
	for _, j := range jobs[:n] {
		if r.deleteJob(ctx, cj, j) {
			changed = true
		}
	}
	return changed
}

// deleteJob deletes a Job of the CronJob with background propagation (its pods go with it
// through the garbage collector) and drops it from the active list, recording the outcome.
func (r *Reconciler) deleteJob(ctx context.Context, cj *batch.CronJob, j *batch.Job) bool {
	_, err := r.jobs.Delete(ctx, j.Namespace, j.Name, client.PropagationPolicy(meta.DeletePropagationBackground))
	if err != nil && !store.IsNotFound(err) {
		r.recorder.Eventf(cj, core.EventTypeWarning, "FailedDelete", "Deleted job: %v", err)
		return false
	}
	removeFromActive(cj, j.UID)
	r.recorder.Eventf(cj, core.EventTypeNormal, "SuccessfulDelete", "Deleted job %v", j.Name)
	return true
}
