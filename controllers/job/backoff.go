package job

import (
	"slices"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/reconcile"
)

// backoffRecord is what the pod failure back-off of one Job remembers (job.md §4, "Pod
// failure back-off"): the failures since the last success and when the last one happened.
type backoffRecord struct {
	failuresAfterLastSuccess int32
	lastFailureTime          time.Time // zero: none
}

// backoffStore keeps the back-off records of every Job, in memory, as Kubernetes does (a
// restarted controller forgets them). It is safe for concurrent use.
type backoffStore struct {
	// mu guards records.
	mu      sync.Mutex
	records map[reconcile.Request]backoffRecord
}

func newBackoffStore() *backoffStore {
	return &backoffStore{records: map[reconcile.Request]backoffRecord{}}
}

// next returns the record of key once the newly finished pods are taken into account; it
// does not store it (update does, once the status that counts them is written). A success
// resets the count, but failures that finished after the last success still count.
func (s *backoffStore) next(key reconcile.Request, newSucceeded, newFailed []*core.Pod) backoffRecord {
	s.mu.Lock()
	rec := s.records[key]
	s.mu.Unlock()
	return nextBackoffRecord(rec, newSucceeded, newFailed)
}

// update stores the record of key.
func (s *backoffStore) update(key reconcile.Request, rec backoffRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[key] = rec
}

// remove forgets the record of key, for a Job that finished or was deleted.
func (s *backoffStore) remove(key reconcile.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records, key)
}

// nextBackoffRecord is the pure part of backoffStore.next.
func nextBackoffRecord(rec backoffRecord, newSucceeded, newFailed []*core.Pod) backoffRecord {
	if len(newFailed) == 0 {
		if len(newSucceeded) > 0 {
			return backoffRecord{}
		}
		return rec
	}
	failedTimes := finishedTimes(newFailed)
	if len(newSucceeded) == 0 {
		rec.failuresAfterLastSuccess += int32(len(newFailed))
		rec.lastFailureTime = failedTimes[len(failedTimes)-1]
		return rec
	}
	succeededTimes := finishedTimes(newSucceeded)
	lastSuccess := succeededTimes[len(succeededTimes)-1]
	rec = backoffRecord{}
	for i := len(failedTimes) - 1; i >= 0 && failedTimes[i].After(lastSuccess); i-- {
		if rec.lastFailureTime.IsZero() {
			rec.lastFailureTime = failedTimes[i]
		}
		rec.failuresAfterLastSuccess++
	}
	return rec
}

// finishedTimes returns the finish times of pods, sorted.
func finishedTimes(pods []*core.Pod) []time.Time {
	ts := make([]time.Time, len(pods))
	for i, p := range pods {
		ts[i] = finishedTime(p)
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}

// finishedTime estimates when a pod finished: the latest finishedAt of its containers when
// all have terminated, else when its Ready condition turned False, else its deletion
// timestamp minus its grace period, else its creation time.
func finishedTime(p *core.Pod) time.Time {
	if t, ok := containersFinishedTime(p); ok {
		return t
	}
	if c := core.GetPodReadyCondition(&p.Status); c != nil && c.Status == core.ConditionFalse && !c.LastTransitionTime.IsZero() {
		return c.LastTransitionTime.Time
	}
	if p.DeletionTimestamp != nil {
		var grace int64
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		return p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	}
	return p.CreationTimestamp.Time
}

// containersFinishedTime returns the latest finishedAt of the pod's containers, if every one
// of them has terminated with a finish time.
func containersFinishedTime(p *core.Pod) (time.Time, bool) {
	var latest time.Time
	for _, cs := range p.Status.ContainerStatuses {
		t := cs.State.Terminated
		if t == nil || t.FinishedAt.IsZero() {
			return time.Time{}, false
		}
		if t.FinishedAt.After(latest) {
			latest = t.FinishedAt.Time
		}
	}
	return latest, !latest.IsZero()
}

// backoffDelay is the pod failure back-off after failures consecutive failures: base
// doubling from the second failure on, capped at maxDelay; 0 without failures.
func backoffDelay(base, maxDelay time.Duration, failures int32) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := base
	for i := int32(1); i < failures; i++ {
		d *= 2
		if d >= maxDelay {
			return maxDelay
		}
	}
	return min(d, maxDelay)
}

// remainingBackoff returns how long, at now, new pods must still wait after failures
// failures, the last at lastFailure: 0 once the back-off has passed.
func remainingBackoff(now time.Time, base, maxDelay time.Duration, failures int32, lastFailure time.Time) time.Duration {
	d := backoffDelay(base, maxDelay, failures)
	if d == 0 {
		return 0
	}
	if elapsed := now.Sub(lastFailure); elapsed < d {
		return d - elapsed
	}
	return 0
}
