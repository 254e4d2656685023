package job

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Reconciler syncs one Job: see the package documentation for the algorithm. Add builds it;
// it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	opts       Options
	jobs       *client.Typed[*batch.Job]
	pods       *client.Typed[*core.Pod]
	jobLister  informer.Lister[*batch.Job]
	podLister  informer.Lister[*core.Pod]
	podControl *podcontrol.PodControl
	recorder   controller.EventRecorder
	clock      clock.Clock
	exp        *expectations.Expectations[reconcile.Request]
	finalizers *finalizerExpectations
	backoff    *backoffStore
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// jobSync is the state of one sync of one Job, Kubernetes' syncJobCtx.
type jobSync struct {
	key reconcile.Request
	job *batch.Job // the copy being synced; replaced by each status write's result
	// pods are the pods the Job owns after claiming; active those not finished and not
	// terminating.
	pods, active []*core.Pod
	// finishedCondition, when set, is where the Job is heading: FailureTarget or
	// SuccessCriteriaMet (then Failed or Complete once every pod has stopped).
	finishedCondition *batch.JobCondition
	// succeeded and failed count the pods counted, uncounted and newly finished.
	succeeded, failed int32
	// prevSucceededIndexes are status.completedIndexes; succeededIndexes adds the newly
	// succeeded ones. failedIndexes (backoffLimitPerIndex only) likewise.
	prevSucceededIndexes, succeededIndexes, failedIndexes orderedIntervals
	newBackoff                                            backoffRecord
	expectedRmFinalizers                                  map[meta.UID]struct{}
	uncountedSucceeded, uncountedFailed                   map[meta.UID]struct{}
	delayedDeletion                                       map[int]*core.Pod
	terminating, ready                                    int32
	requeueAfter                                          time.Duration // 0: none asked
}

// requeue asks for another sync after d, keeping the earliest request.
func (s *jobSync) requeue(d time.Duration) {
	d = max(d, time.Nanosecond)
	if s.requeueAfter == 0 || d < s.requeueAfter {
		s.requeueAfter = d
	}
}

// Reconcile syncs the Job req names (../shared/spec/job.md §4).
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	shared, err := r.jobLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		r.forget(req)
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if managedByOther(shared) {
		return reconcile.Result{}, nil
	}
	if isFinished(shared) {
		r.backoff.remove(req)
		return reconcile.Result{}, nil
	}
	if m := shared.Spec.CompletionMode; m != nil && *m != batch.NonIndexedCompletion && *m != batch.IndexedCompletion {
		r.recorder.Event(shared, core.EventTypeWarning, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown")
		return reconcile.Result{}, nil
	}
	j := shared.DeepCopy()
	if j.Status.UncountedTerminatedPods == nil {
		j.Status.UncountedTerminatedPods = &batch.UncountedTerminatedPods{}
	}

	// Checked before the pods are listed: a creation observed after the check is then seen by
	// the list, never missed by both.
	satisfied := r.exp.Satisfied(req)
	pods, err := r.podsForJob(ctx, j)
	if err != nil {
		return reconcile.Result{}, err
	}
	s := &jobSync{
		key:                  req,
		job:                  j,
		pods:                 pods,
		expectedRmFinalizers: r.finalizers.expected(req),
		uncountedSucceeded:   uidSet(j.Status.UncountedTerminatedPods.Succeeded),
		uncountedFailed:      uidSet(j.Status.UncountedTerminatedPods.Failed),
	}
	for _, p := range pods {
		switch {
		case core.IsPodActive(p):
			s.active = append(s.active, p)
			if core.IsPodReady(p) {
				s.ready++
			}
		case isTerminating(p):
			s.terminating++
		}
	}
	active := int32(len(s.active))
	newSucceeded, newFailed := s.newlyFinishedPods()
	s.succeeded = j.Status.Succeeded + int32(len(newSucceeded)) + int32(len(s.uncountedSucceeded))
	s.failed = j.Status.Failed + int32(countedFailures(j, newFailed)) + int32(len(s.uncountedFailed))

	now := r.clock.Now()
	if j.Status.StartTime == nil && !isSuspended(j) {
		j.Status.StartTime = new(meta.NewTime(now))
	}
	s.newBackoff = r.backoff.next(req, newSucceeded, newFailed)
	r.decideFinishedCondition(s, now)

	var manageErr error
	suspendChanged := false
	if s.finishedCondition != nil {
		deletedReady, deleted, err := r.deleteActivePods(ctx, j, s.active)
		if deleted != active || !satisfied {
			// Not finished yet: pods remain, or the cache may still miss some.
			s.finishedCondition = nil
		}
		active -= deleted
		s.terminating += deleted
		s.ready -= deletedReady
		manageErr = err
	} else {
		manageCalled := false
		if satisfied && j.DeletionTimestamp == nil {
			active, manageErr = r.manageJob(ctx, s)
			manageCalled = true
		}
		var complete bool
		if j.Spec.Completions == nil {
			// Work queue: any success completes the Job once every pod stopped.
			complete = s.succeeded > 0 && active == 0
		} else {
			complete = s.succeeded >= *j.Spec.Completions && active == 0
		}
		switch {
		case complete:
			s.finishedCondition = newCondition(batch.JobSuccessCriteriaMet, meta.ConditionTrue, batch.JobReasonCompletionsReached, "Reached expected number of succeeded pods", now)
		case manageCalled:
			suspendChanged = r.updateSuspendedCondition(j, now)
		}
	}

	needsStatusUpdate := suspendChanged || active != j.Status.Active ||
		!int32PtrEqual(j.Status.Ready, s.ready) || !int32PtrEqual(j.Status.Terminating, s.terminating)
	j.Status.Active = active
	j.Status.Ready = new(s.ready)
	j.Status.Terminating = new(s.terminating)
	if err := r.trackJobStatusAndRemoveFinalizers(ctx, s, needsStatusUpdate); err != nil {
		return reconcile.Result{}, fmt.Errorf("tracking status: %w", err)
	}
	if manageErr != nil {
		return reconcile.Result{}, manageErr
	}
	return reconcile.Result{RequeueAfter: s.requeueAfter}, nil
}

// decideFinishedCondition sets s.finishedCondition to where the Job is heading, first match
// wins (job.md §4 step 4), and asks for a requeue at the active deadline.
func (r *Reconciler) decideFinishedCondition(s *jobSync, now time.Time) {
	j := s.job
	if c := findCondition(j.Status.Conditions, batch.JobSuccessCriteriaMet); c != nil && c.Status == meta.ConditionTrue {
		s.finishedCondition = c.DeepCopy()
	} else if c := findCondition(j.Status.Conditions, batch.JobFailureTarget); c != nil && c.Status == meta.ConditionTrue {
		s.finishedCondition = newCondition(batch.JobFailed, meta.ConditionTrue, c.Reason, c.Message, now)
	} else if msg, ok := failJobMessage(j, s.pods); ok {
		s.finishedCondition = newCondition(batch.JobFailureTarget, meta.ConditionTrue, batch.JobReasonPodFailurePolicy, msg, now)
	}
	if s.finishedCondition == nil {
		switch {
		case s.failed > *j.Spec.BackoffLimit || pastBackoffLimitOnFailure(j, s.pods):
			s.finishedCondition = newCondition(batch.JobFailureTarget, meta.ConditionTrue, batch.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit", now)
		case r.pastActiveDeadline(j, now):
			s.finishedCondition = newCondition(batch.JobFailureTarget, meta.ConditionTrue, batch.JobReasonDeadlineExceeded, "Job was active longer than specified deadline", now)
		case j.Spec.ActiveDeadlineSeconds != nil && !isSuspended(j):
			s.requeue(time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second - now.Sub(j.Status.StartTime.Time))
		}
	}
	if !isIndexed(j) {
		return
	}
	completions := int(*j.Spec.Completions)
	s.prevSucceededIndexes, s.succeededIndexes = succeededIndexes(j, s.pods)
	s.succeeded = int32(s.succeededIndexes.total())
	if hasBackoffLimitPerIndex(j) {
		s.failedIndexes = failedIndexes(j, s.pods)
		if s.finishedCondition == nil {
			if j.Spec.MaxFailedIndexes != nil && s.failedIndexes.total() > int(*j.Spec.MaxFailedIndexes) {
				s.finishedCondition = newCondition(batch.JobFailureTarget, meta.ConditionTrue, batch.JobReasonMaxFailedIndexesExceeded, "Job has exceeded the specified maximal number of failed indexes", now)
			} else if s.failedIndexes.total() > 0 && s.failedIndexes.total()+s.succeededIndexes.total() >= completions {
				s.finishedCondition = newCondition(batch.JobFailureTarget, meta.ConditionTrue, batch.JobReasonFailedIndexes, "Job has failed indexes", now)
			}
		}
		s.delayedDeletion = podsWithDelayedDeletion(j, s.uncountedCandidates(), s.active, s.succeededIndexes, s.failedIndexes)
	}
	if s.finishedCondition == nil {
		if msg, ok := matchSuccessPolicy(j.Spec.SuccessPolicy, completions, s.succeededIndexes); ok {
			s.finishedCondition = newCondition(batch.JobSuccessCriteriaMet, meta.ConditionTrue, batch.JobReasonSuccessPolicy, msg, now)
		}
	}
}

// pastActiveDeadline reports whether a running Job has been active for its whole
// activeDeadlineSeconds.
func (r *Reconciler) pastActiveDeadline(j *batch.Job, now time.Time) bool {
	if j.Spec.ActiveDeadlineSeconds == nil || j.Status.StartTime == nil || isSuspended(j) {
		return false
	}
	return now.Sub(j.Status.StartTime.Time) >= time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second
}

// updateSuspendedCondition keeps the Suspended condition in line with spec.suspend, with its
// events; resuming restarts the active deadline (startTime = now). It reports a change.
func (r *Reconciler) updateSuspendedCondition(j *batch.Job, now time.Time) bool {
	if isSuspended(j) {
		var changed bool
		j.Status.Conditions, changed = ensureCondition(j.Status.Conditions, batch.JobSuspended, meta.ConditionTrue, batch.JobReasonSuspended, "Job suspended", now)
		if changed {
			r.recorder.Event(j, core.EventTypeNormal, "Suspended", "Job suspended")
		}
		return changed
	}
	var changed bool
	j.Status.Conditions, changed = ensureCondition(j.Status.Conditions, batch.JobSuspended, meta.ConditionFalse, batch.JobReasonResumed, "Job resumed", now)
	if changed {
		r.recorder.Event(j, core.EventTypeNormal, "Resumed", "Job resumed")
		j.Status.StartTime = new(meta.NewTime(now))
	}
	return changed
}

// podsForJob returns the pods the Job owns, claiming them (objects.md §4): owned pods that
// still match, and matching orphans adopted with the tracking finalizer. The pods are the
// cache's (or, when adopted, the updated copies): read-only.
func (r *Reconciler) podsForJob(ctx context.Context, j *batch.Job) ([]*core.Pod, error) {
	sel, err := labels.FromLabelSelector(j.Spec.Selector)
	if err != nil {
		return nil, reconcile.TerminalError(fmt.Errorf("invalid selector: %w", err))
	}
	// The indexes exist (Add): the pods the Job controls, and the orphans of its namespace.
	owned, _ := r.podLister.ByIndex(informer.IndexControllerUID, string(j.UID))
	orphans, _ := r.podLister.ByIndex(indexOrphanPods, j.Namespace)
	claimer := controllerref.NewClaimer(r.pods, controllerref.NewControllerRef(j, scheme.JobGVK), sel,
		controllerref.Options[*core.Pod]{
			Namespace: j.Namespace,
			Deleting:  j.DeletionTimestamp != nil,
			CanAdopt:  controllerref.RecheckDeletion(r.jobs, j),
			OnAdopt:   func(p *core.Pod) { meta.AddFinalizer(p, batch.JobTrackingFinalizer) },
		})
	return claimer.Claim(ctx, append(slices.Clip(owned), orphans...))
}

// newlyFinishedPods returns the pods that finished since the last sync and are counted
// nowhere yet: they carry the finalizer, are not in the uncounted lists, not awaiting a
// finalizer removal, and (Indexed) have a valid index.
func (s *jobSync) newlyFinishedPods() (succeeded, failed []*core.Pod) {
	for _, p := range s.pods {
		if !s.countable(p) {
			continue
		}
		if p.Status.Phase == core.PodSucceeded {
			if _, ok := s.uncountedSucceeded[p.UID]; !ok {
				succeeded = append(succeeded, p)
			}
		} else if isPodFailed(p, s.job) {
			if _, ok := s.uncountedFailed[p.UID]; !ok {
				failed = append(failed, p)
			}
		}
	}
	return succeeded, failed
}

// uncountedCandidates returns the pods whose result may still be counted.
func (s *jobSync) uncountedCandidates() []*core.Pod {
	var out []*core.Pod
	for _, p := range s.pods {
		if s.countable(p) {
			out = append(out, p)
		}
	}
	return out
}

// countable reports whether a pod's result has not been counted: it carries the finalizer,
// its removal is not pending, and (Indexed) its index is valid.
func (s *jobSync) countable(p *core.Pod) bool {
	if !hasTrackingFinalizer(p) {
		return false
	}
	if _, ok := s.expectedRmFinalizers[p.UID]; ok {
		return false
	}
	return !isIndexed(s.job) || validIndex(p, int(*s.job.Spec.Completions)) != unknownCompletionIndex
}

// countedFailures returns how many of the failed pods count toward backoffLimit: all but
// those the pod failure policy ignores.
func countedFailures(j *batch.Job, failed []*core.Pod) int {
	n := 0
	for _, p := range failed {
		if matchPodFailurePolicy(j.Spec.PodFailurePolicy, p).count {
			n++
		}
	}
	return n
}

// failJobMessage returns the message of the first FailJob rule a failed pod matches.
func failJobMessage(j *batch.Job, pods []*core.Pod) (string, bool) {
	if j.Spec.PodFailurePolicy == nil {
		return "", false
	}
	for _, p := range pods {
		if !isPodFailed(p, j) {
			continue
		}
		if m := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p); m.failJobMessage != "" {
			return m.failJobMessage, true
		}
	}
	return "", false
}

// succeededIndexes returns status.completedIndexes and the same with the indexes of the
// succeeded pods not counted yet.
func succeededIndexes(j *batch.Job, pods []*core.Pod) (prev, cur orderedIntervals) {
	completions := int(*j.Spec.Completions)
	prev = parseIndexes(j.Status.CompletedIndexes, completions)
	var add []int
	for _, p := range pods {
		if ix := validIndex(p, completions); ix != unknownCompletionIndex && p.Status.Phase == core.PodSucceeded && hasTrackingFinalizer(p) {
			add = append(add, ix)
		}
	}
	slices.Sort(add)
	return prev, prev.withIndexes(slices.Compact(add))
}

// failedIndexes returns status.failedIndexes with the indexes failed by pods not counted yet.
func failedIndexes(j *batch.Job, pods []*core.Pod) orderedIntervals {
	completions := int(*j.Spec.Completions)
	var prev orderedIntervals
	if j.Status.FailedIndexes != nil {
		prev = parseIndexes(*j.Status.FailedIndexes, completions)
	}
	var add []int
	for _, p := range pods {
		if ix := validIndex(p, completions); ix != unknownCompletionIndex && hasTrackingFinalizer(p) && isIndexFailed(j, p) {
			add = append(add, ix)
		}
	}
	slices.Sort(add)
	return prev.withIndexes(slices.Compact(add))
}

func uidSet(uids []meta.UID) map[meta.UID]struct{} {
	out := make(map[meta.UID]struct{}, len(uids))
	for _, u := range uids {
		out[u] = struct{}{}
	}
	return out
}

func int32PtrEqual(p *int32, v int32) bool { return p != nil && *p == v }
