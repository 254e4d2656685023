package job

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// trackJobStatusAndRemoveFinalizers counts finished pods with the finalizer protocol
// (job.md §3) and finishes the Job when it can (§4 step 6):
//
//  1. the newly finished pods go into status.uncountedTerminatedPods (Indexed successes into
//     completedIndexes), with the interim FailureTarget or SuccessCriteriaMet condition, and
//     the status is written;
//  2. their tracking finalizers are removed;
//  3. the pods whose finalizer is gone leave the uncounted lists for the succeeded and failed
//     counters;
//  4. once nothing is uncounted and no pod is terminating, the terminal Failed or Complete
//     condition is added (with completionTime on success) and the status written.
//
// At most maxUncountedPods pods are counted per sync; the status write re-queues the Job for
// the rest. needsFlush says that the status changed already.
func (r *Reconciler) trackJobStatusAndRemoveFinalizers(ctx context.Context, s *jobSync, needsFlush bool) error {
	j := s.job
	indexed := isIndexed(j)
	if indexed {
		s.pods = sortedByIndex(s.pods) // indexes are counted in order
	}
	withFinalizer := make(map[meta.UID]struct{}, len(s.pods))
	for _, p := range s.pods {
		if _, removing := s.expectedRmFinalizers[p.UID]; hasTrackingFinalizer(p) && !removing {
			withFinalizer[p.UID] = struct{}{}
		}
	}
	if countUncountedWithoutFinalizer(&j.Status, withFinalizer) {
		needsFlush = true
	}
	uncounted := j.Status.UncountedTerminatedPods
	var toRemove []*core.Pod
	var newSucceededIndexes []int
	reachedMax := false
	for _, p := range s.pods {
		if _, removing := s.expectedRmFinalizers[p.UID]; !hasTrackingFinalizer(p) || removing {
			continue // counted in an earlier sync
		}
		failed := isPodFailed(p, j)
		if !s.canRemoveFinalizer(p, failed) {
			continue
		}
		toRemove = append(toRemove, p)
		_, inUncountedFailed := s.uncountedFailed[p.UID]
		switch {
		case p.Status.Phase == core.PodSucceeded && !inUncountedFailed:
			if indexed {
				// The completion index is enough to never count a success twice.
				if ix := validIndex(p, int(*j.Spec.Completions)); ix != unknownCompletionIndex && !s.prevSucceededIndexes.has(ix) {
					newSucceededIndexes = append(newSucceededIndexes, ix)
					needsFlush = true
				}
			} else if _, ok := s.uncountedSucceeded[p.UID]; !ok {
				uncounted.Succeeded = append(uncounted.Succeeded, p.UID)
				needsFlush = true
			}
		case failed || (s.finishedCondition != nil && s.finishedCondition.Type != batch.JobSuccessCriteriaMet):
			// A Job that is failing counts every pod that did not succeed as failed.
			if !inUncountedFailed && (!indexed || validIndex(p, int(*j.Spec.Completions)) != unknownCompletionIndex) &&
				matchPodFailurePolicy(j.Spec.PodFailurePolicy, p).count {
				uncounted.Failed = append(uncounted.Failed, p.UID)
				needsFlush = true
			}
		}
		if len(newSucceededIndexes)+len(uncounted.Succeeded)+len(uncounted.Failed) >= maxUncountedPods {
			reachedMax = true // the status write re-queues the Job for the rest
			break
		}
	}
	if indexed {
		slices.Sort(newSucceededIndexes)
		s.succeededIndexes = s.succeededIndexes.withIndexes(slices.Compact(newSucceededIndexes))
		if str := s.succeededIndexes.String(); str != j.Status.CompletedIndexes {
			j.Status.CompletedIndexes = str
			needsFlush = true
		}
		j.Status.Succeeded = int32(s.succeededIndexes.total())
		var failedStr *string
		if hasBackoffLimitPerIndex(j) {
			failedStr = new(s.failedIndexes.String())
		}
		if !stringPtrEqual(j.Status.FailedIndexes, failedStr) {
			j.Status.FailedIndexes = failedStr
			needsFlush = true
		}
	}
	now := r.clock.Now()
	if c := s.finishedCondition; c != nil {
		switch c.Type {
		case batch.JobFailureTarget:
			// Recorded before the finalizers go, so that the reason survives a restart.
			j.Status.Conditions = append(j.Status.Conditions, *c)
			needsFlush = true
			s.finishedCondition = newCondition(batch.JobFailed, meta.ConditionTrue, c.Reason, c.Message, now)
		case batch.JobSuccessCriteriaMet:
			if findCondition(j.Status.Conditions, batch.JobSuccessCriteriaMet) == nil {
				j.Status.Conditions = append(j.Status.Conditions, *c)
				needsFlush = true
			}
			s.finishedCondition = newCondition(batch.JobComplete, meta.ConditionTrue, c.Reason, c.Message, now)
		}
	}
	needsFlush, err := r.flushUncountedAndRemoveFinalizers(ctx, s, toRemove, withFinalizer, needsFlush)
	if err != nil {
		return err
	}
	finished := !reachedMax && r.enactJobFinished(s, now)
	if finished {
		needsFlush = true
	}
	if !needsFlush {
		return nil
	}
	if err := r.updateStatus(ctx, s); err != nil {
		return fmt.Errorf("removing uncounted pods from status: %w", err)
	}
	if finished {
		r.recordJobFinished(s.job, s.finishedCondition)
	}
	return nil
}

// sortedByIndex returns a copy of pods sorted by completion index (unknown first), each
// index parsed once.
func sortedByIndex(pods []*core.Pod) []*core.Pod {
	type keyed struct {
		ix  int
		pod *core.Pod
	}
	ks := make([]keyed, len(pods))
	for i, p := range pods {
		ks[i] = keyed{completionIndex(p), p}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return a.ix - b.ix })
	out := make([]*core.Pod, len(pods))
	for i, k := range ks {
		out[i] = k.pod
	}
	return out
}

// canRemoveFinalizer reports whether the pod's result can be counted now: the Job is
// deleting or finishing, the pod succeeded, or it failed — except the failed pod of a
// backoffLimitPerIndex index whose replacement must first inherit its failure count.
func (s *jobSync) canRemoveFinalizer(p *core.Pod, failed bool) bool {
	if s.job.DeletionTimestamp != nil || s.finishedCondition != nil || p.Status.Phase == core.PodSucceeded {
		return true
	}
	if !failed {
		return false
	}
	if hasBackoffLimitPerIndex(s.job) {
		if d, ok := s.delayedDeletion[completionIndex(p)]; ok && d.UID == p.UID {
			return false
		}
	}
	return true
}

// flushUncountedAndRemoveFinalizers writes the status if it changed (step 1), removes the
// finalizers of toRemove (step 2) and moves the pods whose finalizer is gone to the counters
// (step 3), writing again if some removals failed. It returns whether the status still has
// changes to write.
func (r *Reconciler) flushUncountedAndRemoveFinalizers(ctx context.Context, s *jobSync, toRemove []*core.Pod, withFinalizer map[meta.UID]struct{}, needsFlush bool) (bool, error) {
	if needsFlush {
		if err := r.updateStatus(ctx, s); err != nil {
			return needsFlush, fmt.Errorf("adding uncounted pods to status: %w", err)
		}
		r.backoff.update(s.key, s.newBackoff)
		needsFlush = false
	}
	var rmErr error
	if len(toRemove) > 0 {
		var removed []bool
		removed, rmErr = r.removeTrackingFinalizers(ctx, s.key, toRemove)
		for i, p := range toRemove {
			if removed[i] {
				delete(withFinalizer, p.UID)
			}
		}
	}
	if countUncountedWithoutFinalizer(&s.job.Status, withFinalizer) {
		needsFlush = true
	}
	if rmErr != nil && needsFlush {
		if err := r.updateStatus(ctx, s); err != nil {
			return needsFlush, fmt.Errorf("removing uncounted pods from status: %w", err)
		}
	}
	return needsFlush, rmErr
}

// removeTrackingFinalizers removes the tracking finalizer of pods concurrently, expecting each
// removal first. removed[i] tells whether pods[i]'s finalizer is gone (a pod that is gone
// counts as removed).
func (r *Reconciler) removeTrackingFinalizers(ctx context.Context, key reconcile.Request, pods []*core.Pod) ([]bool, error) {
	uids := make([]meta.UID, len(pods))
	for i, p := range pods {
		uids[i] = p.UID
	}
	r.finalizers.expectRemovals(key, uids)
	removed := make([]bool, len(pods))
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Go(func() {
			if err := r.removeTrackingFinalizer(ctx, p); err != nil {
				// No update will show the finalizer removed: stop expecting one.
				r.finalizers.removalObserved(key, p.UID)
				if !store.IsNotFound(err) {
					errs[i] = fmt.Errorf("removing tracking finalizer: %w", err)
					return
				}
			}
			removed[i] = true
		})
	}
	wg.Wait()
	return removed, errors.Join(errs...)
}

// countUncountedWithoutFinalizer moves the uncounted pods whose finalizer is gone (those not
// in withFinalizer) to the succeeded and failed counters. It reports a change.
func countUncountedWithoutFinalizer(st *batch.JobStatus, withFinalizer map[meta.UID]struct{}) bool {
	u := st.UncountedTerminatedPods
	keep := func(uids []meta.UID) []meta.UID {
		var out []meta.UID
		for _, uid := range uids {
			if _, ok := withFinalizer[uid]; ok {
				out = append(out, uid)
			}
		}
		return out
	}
	changed := false
	if kept := keep(u.Succeeded); len(kept) != len(u.Succeeded) {
		st.Succeeded += int32(len(u.Succeeded) - len(kept))
		u.Succeeded = kept
		changed = true
	}
	if kept := keep(u.Failed); len(kept) != len(u.Failed) {
		st.Failed += int32(len(u.Failed) - len(kept))
		u.Failed = kept
		changed = true
	}
	return changed
}

// enactJobFinished adds the terminal condition once nothing is uncounted and no pod is
// terminating, with completionTime for a success. It reports whether it did.
func (r *Reconciler) enactJobFinished(s *jobSync, now time.Time) bool {
	c := s.finishedCondition
	if c == nil {
		return false
	}
	j := s.job
	if u := j.Status.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		return false
	}
	if s.terminating > 0 {
		return false
	}
	j.Status.Conditions, _ = ensureCondition(j.Status.Conditions, c.Type, c.Status, c.Reason, c.Message, now)
	if c.Type == batch.JobComplete {
		j.Status.CompletionTime = new(meta.NewTime(now))
	}
	return true
}

// recordJobFinished records the events of a Job that just finished.
func (r *Reconciler) recordJobFinished(j *batch.Job, c *batch.JobCondition) {
	if c.Type == batch.JobComplete {
		if j.Spec.Completions != nil && j.Status.Succeeded > *j.Spec.Completions {
			r.recorder.Event(j, core.EventTypeWarning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached")
		}
		r.recorder.Event(j, core.EventTypeNormal, "Completed", "Job completed")
		return
	}
	r.recorder.Event(j, core.EventTypeWarning, c.Reason, c.Message)
}

// updateStatus writes s.job's status and continues with what was stored.
func (r *Reconciler) updateStatus(ctx context.Context, s *jobSync) error {
	out, err := r.jobs.UpdateStatus(ctx, s.job)
	if err != nil {
		return err
	}
	s.job = out
	if out.Status.UncountedTerminatedPods == nil {
		out.Status.UncountedTerminatedPods = &batch.UncountedTerminatedPods{}
	}
	return nil
}

// newCondition returns a condition whose probe and transition times are now.
func newCondition(t batch.JobConditionType, status meta.ConditionStatus, reason, message string, now time.Time) *batch.JobCondition {
	mt := meta.NewTime(now)
	return &batch.JobCondition{Type: t, Status: status, LastProbeTime: mt, LastTransitionTime: mt, Reason: reason, Message: message}
}

// findCondition returns the condition of type t, or nil. The result points into conds.
func findCondition(conds []batch.JobCondition, t batch.JobConditionType) *batch.JobCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// ensureCondition sets the condition of type t to the given status, reason and message,
// stamping it with now when anything changes. A condition that does not exist is added only
// if its status is not False (going from nothing to False means nothing). It reports a
// change.
func ensureCondition(conds []batch.JobCondition, t batch.JobConditionType, status meta.ConditionStatus, reason, message string, now time.Time) ([]batch.JobCondition, bool) {
	if c := findCondition(conds, t); c != nil {
		if c.Status == status && c.Reason == reason && c.Message == message {
			return conds, false
		}
		*c = *newCondition(t, status, reason, message, now)
		return conds, true
	}
	if status == meta.ConditionFalse {
		return conds, false
	}
	return append(conds, *newCondition(t, status, reason, message, now)), true
}

// isFinished reports whether the Job has a True Complete or Failed condition.
func isFinished(j *batch.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == meta.ConditionTrue {
			return true
		}
	}
	return false
}

// managedByOther reports whether spec.managedBy hands the Job to another controller.
func managedByOther(j *batch.Job) bool {
	return j.Spec.ManagedBy != nil && *j.Spec.ManagedBy != batch.JobControllerName
}

func stringPtrEqual(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
