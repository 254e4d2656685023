package job

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// manageJob makes the number of active pods what the Job wants (job.md §4, "manageJob"): it
// deletes every active pod of a suspended Job; otherwise it deletes the surplus (and, for an
// Indexed Job, repeated and invalid indexes) or creates the missing pods once the pod
// failure back-off allows — deletions or creations, never both in one sync. It returns the
// number of active pods after its writes.
func (r *Reconciler) manageJob(ctx context.Context, s *jobSync) (int32, error) {
	j := s.job
	active := int32(len(s.active))
	if isSuspended(j) {
		return r.deleteSurplus(ctx, s, activePodsForRemoval(j, s.active, int(active)))
	}
	parallelism := *j.Spec.Parallelism
	var wantActive int32
	switch {
	case j.Spec.Completions == nil && s.succeeded > 0:
		wantActive = active // work queue after a success: let the rest finish
	case j.Spec.Completions == nil:
		wantActive = parallelism
	default:
		wantActive = min(max(*j.Spec.Completions-s.succeeded, 0), parallelism)
	}
	rm := activePodsForRemoval(j, s.active, int(max(active-wantActive, 0)))
	if len(rm) > 0 {
		return r.deleteSurplus(ctx, s, rm[:min(len(rm), maxPodCreateDeletePerSync)])
	}

	var terminating int32
	if onlyReplaceFailedPods(j) {
		terminating = s.terminating
	}
	diff := wantActive - terminating - active
	if diff <= 0 {
		return active, nil
	}
	if !hasBackoffLimitPerIndex(j) {
		rec := s.newBackoff
		if wait := remainingBackoff(r.clock.Now(), r.opts.PodFailureBackOff, r.opts.MaxPodFailureBackOff, rec.failuresAfterLastSuccess, rec.lastFailureTime); wait > 0 {
			s.requeue(max(wait, syncBatchPeriod))
			return active, nil
		}
	}
	diff = min(diff, maxPodCreateDeletePerSync)
	var indexes []int
	if isIndexed(j) {
		indexes = firstPendingIndexes(s.takenIndexes(), int(diff), int(*j.Spec.Completions))
		if hasBackoffLimitPerIndex(j) {
			wait := r.indexesDueNow(&indexes, s.delayedDeletion)
			if len(indexes) == 0 && wait > 0 {
				s.requeue(max(wait, syncBatchPeriod))
				return active, nil
			}
		}
		diff = int32(len(indexes))
		if diff == 0 {
			return active, nil
		}
	}
	created, err := r.createPods(ctx, s, int(diff), indexes)
	return active + int32(created), err
}

// takenIndexes returns the indexes no new pod may take: succeeded, active, failed for good,
// and, when only failed pods are replaced, those of terminating pods.
func (s *jobSync) takenIndexes() orderedIntervals {
	taken := s.succeededIndexes.withIndexes(indexSet(s.active))
	if onlyReplaceFailedPods(s.job) {
		var terminating []*core.Pod
		for _, p := range s.pods {
			if isTerminating(p) {
				terminating = append(terminating, p)
			}
		}
		taken = taken.withIndexes(indexSet(terminating))
	}
	return taken.merge(s.failedIndexes)
}

// indexesDueNow keeps in *indexes those whose own back-off (backoffLimitPerIndex) has passed;
// when none has, it returns the shortest wait.
func (r *Reconciler) indexesDueNow(indexes *[]int, delayed map[int]*core.Pod) (wait time.Duration) {
	now := r.clock.Now()
	var due []int
	for _, ix := range *indexes {
		var d time.Duration
		if p := delayed[ix]; p != nil {
			counted, ignored := indexFailureCounts(p)
			d = remainingBackoff(now, r.opts.PodFailureBackOff, r.opts.MaxPodFailureBackOff, counted+ignored+1, finishedTime(p))
		}
		switch {
		case d == 0:
			due = append(due, ix)
		case wait == 0 || d < wait:
			wait = d
		}
	}
	*indexes = due
	if len(due) > 0 {
		return 0
	}
	return wait
}

// deleteSurplus deletes pods the Job no longer wants, removing their tracking finalizer first
// so that they are never counted as failures. It returns the number of active pods left.
func (r *Reconciler) deleteSurplus(ctx context.Context, s *jobSync, pods []*core.Pod) (int32, error) {
	active := int32(len(s.active))
	if len(pods) == 0 {
		return active, nil
	}
	uids := make([]meta.UID, len(pods))
	for i, p := range pods {
		uids[i] = p.UID
	}
	r.exp.ExpectDeletions(s.key, uids)
	var deleted, deletedReady atomic.Int32
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Go(func() {
			err := r.releaseActivePod(ctx, p)
			if err == nil {
				err = r.podControl.DeletePod(ctx, p.Namespace, p.Name, s.job)
			}
			if err != nil {
				r.exp.DeletionObserved(s.key, p.UID) // no deletion will be seen
				switch {
				case errors.Is(err, errPodFinished):
					return // it finished meanwhile: kept, and counted by the tracking
				case !store.IsNotFound(err):
					errs[i] = err
					return
				}
			}
			deleted.Add(1)
			if core.IsPodReady(p) {
				deletedReady.Add(1)
			}
		})
	}
	wg.Wait()
	s.terminating += deleted.Load()
	s.ready -= deletedReady.Load()
	return active - deleted.Load(), errors.Join(errs...)
}

// deleteActivePods deletes every active pod of a Job that is finishing, keeping their
// finalizers (the tracking counts and then removes them). It returns how many ready and how
// many pods in all it deleted.
func (r *Reconciler) deleteActivePods(ctx context.Context, j *batch.Job, pods []*core.Pod) (ready, deleted int32, err error) {
	var nDeleted, nReady atomic.Int32
	errs := make([]error, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Go(func() {
			if err := r.podControl.DeletePod(ctx, j.Namespace, p.Name, j); err != nil && !store.IsNotFound(err) {
				errs[i] = err
				return
			}
			nDeleted.Add(1)
			if core.IsPodReady(p) {
				nReady.Add(1)
			}
		})
	}
	wg.Wait()
	return nReady.Load(), nDeleted.Load(), errors.Join(errs...)
}

// errPodFinished stops the release of a pod that finished since the cache showed it active.
var errPodFinished = errors.New("job: the pod has finished")

// releaseActivePod removes the tracking finalizer of a pod about to be deleted as surplus,
// so that it never counts as a failure — unless the stored pod has finished meanwhile
// (errPodFinished): its result is then kept for the tracking to count.
func (r *Reconciler) releaseActivePod(ctx context.Context, pod *core.Pod) error {
	if !hasTrackingFinalizer(pod) {
		return nil
	}
	_, err := client.GuaranteedUpdate(ctx, r.pods, pod.Namespace, pod.Name, func(p *core.Pod) error {
		switch {
		case p.UID != pod.UID:
			return store.NewNotFound(r.pods.Kind().GroupResource(), pod.Name)
		case core.IsPodTerminal(p):
			return errPodFinished
		}
		meta.RemoveFinalizer(p, batch.JobTrackingFinalizer)
		return nil
	})
	return err
}

// createPods creates n pods (with indexes, for an Indexed Job) in slow-start batches,
// expecting their creation first. It returns how many were created; creations that failed
// or were skipped after a failing batch are given back to the expectations.
func (r *Reconciler) createPods(ctx context.Context, s *jobSync, n int, indexes []int) (int, error) {
	j := s.job
	r.exp.ExpectCreations(s.key, n)
	template := j.Spec.Template.DeepCopy()
	if isIndexed(j) {
		addCompletionIndexEnv(template)
	}
	if !slices.Contains(template.Finalizers, batch.JobTrackingFinalizer) {
		template.Finalizers = append(template.Finalizers, batch.JobTrackingFinalizer)
	}
	ref := controllerref.NewControllerRef(j, scheme.JobGVK)
	var next, attempted atomic.Int32
	created, err := podcontrol.SlowStartBatch(n, podcontrol.SlowStartInitialBatchSize, func() error {
		k := int(next.Add(1)) - 1
		attempted.Add(1)
		t, generateName := template, podcontrol.PodNamePrefix(j.Name)
		if k < len(indexes) {
			ix := indexes[k]
			t = template.DeepCopy()
			setCompletionIndex(t, j.Name, ix)
			generateName = podGenerateNameWithIndex(j.Name, ix)
			if hasBackoffLimitPerIndex(j) {
				counted, ignored := replacementFailureCounts(j, s.delayedDeletion[ix])
				t.Annotations[batch.JobIndexFailureCountAnnotation] = strconv.Itoa(int(counted))
				if ignored > 0 {
					t.Annotations[batch.JobIndexIgnoredFailureCountAnnotation] = strconv.Itoa(int(ignored))
				}
			}
		}
		if err := r.createPod(ctx, j, t, generateName, ref); err != nil {
			r.exp.CreationObserved(s.key) // this creation will never be seen
			if podcontrol.IsNamespaceTerminating(err) {
				return nil // every further creation fails too; nothing to retry
			}
			return err
		}
		return nil
	})
	if skipped := n - int(attempted.Load()); skipped > 0 {
		r.exp.CreationsSkipped(s.key, skipped)
	}
	return created, err
}

// createPod creates a pod of Job j from template with the given generateName, recording
// SuccessfulCreate or FailedCreate on the Job as podcontrol.PodControl does.
func (r *Reconciler) createPod(ctx context.Context, j *batch.Job, template *core.PodTemplateSpec, generateName string, ref meta.OwnerReference) error {
	pod := podcontrol.PodFromTemplate(template, j.Name, &ref)
	pod.GenerateName = generateName
	pod.Namespace = j.Namespace
	created, err := r.pods.Create(ctx, pod)
	if err != nil {
		if !podcontrol.IsNamespaceTerminating(err) {
			r.recorder.Eventf(j, core.EventTypeWarning, podcontrol.FailedCreateReason, "Error creating: %v", err)
		}
		return fmt.Errorf("creating pod: %w", err)
	}
	r.recorder.Eventf(j, core.EventTypeNormal, podcontrol.SuccessfulCreateReason, "Created pod: %v", created.Name)
	return nil
}
