package deployment

import (
	"fmt"
	"math"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
)

// This file is the Progressing condition (../shared/spec/deployment.md §11): whether the
// current rollout moves, is complete, or has been stuck for longer than
// progressDeadlineSeconds.

// hasProgressDeadline reports whether d tracks progress: progressDeadlineSeconds set and not
// MaxInt32 (which means "never time out").
func hasProgressDeadline(d *apps.Deployment) bool {
	return d.Spec.ProgressDeadlineSeconds != nil && *d.Spec.ProgressDeadlineSeconds != math.MaxInt32
}

// hasRevisionHistoryLimit reports whether d deletes old ReplicaSets: revisionHistoryLimit set
// and not MaxInt32 (which means "keep all").
func hasRevisionHistoryLimit(d *apps.Deployment) bool {
	return d.Spec.RevisionHistoryLimit != nil && *d.Spec.RevisionHistoryLimit != math.MaxInt32
}

// DeploymentComplete reports whether a rollout is done by st: every replica updated, no other
// replica left, all of them available, and the current generation observed.
func DeploymentComplete(d *apps.Deployment, st *apps.DeploymentStatus) bool {
	want := desiredReplicas(d)
	return st.UpdatedReplicas == want && st.Replicas == want && st.AvailableReplicas == want &&
		st.ObservedGeneration >= d.Generation
}

// DeploymentProgressing reports whether st shows progress over d's current status: more
// updated, ready or available replicas, or fewer old ones.
func DeploymentProgressing(d *apps.Deployment, st *apps.DeploymentStatus) bool {
	old := &d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas ||
		st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas ||
		st.AvailableReplicas > old.AvailableReplicas
}

// DeploymentTimedOut reports whether the rollout has made no progress for longer than
// progressDeadlineSeconds at now: the Progressing condition in st was last updated before
// now − deadline (or already says ProgressDeadlineExceeded). A complete rollout, or one
// without the condition, has not timed out.
func DeploymentTimedOut(d *apps.Deployment, st *apps.DeploymentStatus, now time.Time) bool {
	if !hasProgressDeadline(d) {
		return false
	}
	c := getCondition(st, apps.DeploymentProgressing)
	if c == nil || c.Reason == apps.NewRSAvailableReason {
		return false
	}
	if c.Reason == apps.TimedOutReason {
		return true
	}
	deadline := time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second
	return c.LastUpdateTime.Add(deadline).Before(now)
}

// syncRolloutStatus writes d's status during a rollout: calculateStatus, plus the Progressing
// condition (when there is a deadline and the rollout is not already known complete) and the
// ReplicaFailure condition copied from the ReplicaSets. When nothing changed, it schedules
// the progress check at the deadline.
func (s *syncer) syncRolloutStatus(allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) error {
	now := s.clock.Now()
	st := calculateStatus(allRSs, newRS, s.d, now)
	if !hasProgressDeadline(s.d) {
		removeCondition(&st, apps.DeploymentProgressing)
	}
	cur := getCondition(&s.d.Status, apps.DeploymentProgressing)
	complete := st.Replicas == st.UpdatedReplicas && cur != nil && cur.Reason == apps.NewRSAvailableReason
	if hasProgressDeadline(s.d) && !complete {
		name := func(what string) string {
			if newRS != nil {
				return fmt.Sprintf("ReplicaSet %q %s", newRS.Name, what)
			}
			return fmt.Sprintf("Deployment %q %s", s.d.Name, what)
		}
		switch {
		case DeploymentComplete(s.d, &st):
			setCondition(&st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.NewRSAvailableReason,
				name("has successfully progressed."), now))
		case DeploymentProgressing(s.d, &st):
			// Progress refreshes lastUpdateTime even with an unchanged reason, keeping
			// lastTransitionTime while the status stays True.
			c := newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.ReplicaSetUpdatedReason,
				name("is progressing."), now)
			if cur != nil {
				if cur.Status == meta.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				removeCondition(&st, apps.DeploymentProgressing)
			}
			setCondition(&st, c)
		case DeploymentTimedOut(s.d, &st, now):
			setCondition(&st, newCondition(apps.DeploymentProgressing, meta.ConditionFalse, apps.TimedOutReason,
				name("has timed out progressing."), now))
		}
	}
	if failure, ok := replicaFailure(allRSs, newRS); ok {
		setCondition(&st, failure)
	} else {
		removeCondition(&st, apps.DeploymentReplicaFailure)
	}
	if statusEqual(&s.d.Status, &st) {
		s.requeueStuckDeployment(&st, now)
		return nil
	}
	return s.updateStatus(st)
}

// replicaFailure returns the ReplicaFailure condition of the new ReplicaSet, else of any
// ReplicaSet, as the Deployment's.
func replicaFailure(allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) (apps.DeploymentCondition, bool) {
	find := func(rs *apps.ReplicaSet) (apps.DeploymentCondition, bool) {
		for _, c := range rs.Status.Conditions {
			if c.Type == apps.ReplicaSetReplicaFailure {
				return fromReplicaSetCondition(c), true
			}
		}
		return apps.DeploymentCondition{}, false
	}
	if newRS != nil {
		if c, ok := find(newRS); ok {
			return c, true
		}
	}
	for _, rs := range allRSs {
		if rs == nil {
			continue
		}
		if c, ok := find(rs); ok {
			return c, true
		}
	}
	return apps.DeploymentCondition{}, false
}

// requeueStuckDeployment schedules a sync at the moment d's rollout would time out, if it is
// neither complete nor timed out already: nothing else would wake the controller when nothing
// happens (kubernetes#34458). Within a second of the deadline it asks for a rate-limited
// retry instead.
func (s *syncer) requeueStuckDeployment(st *apps.DeploymentStatus, now time.Time) {
	cur := getCondition(&s.d.Status, apps.DeploymentProgressing)
	if !hasProgressDeadline(s.d) || cur == nil {
		return
	}
	if DeploymentComplete(s.d, st) || cur.Reason == apps.TimedOutReason {
		return
	}
	after := cur.LastUpdateTime.Add(time.Duration(*s.d.Spec.ProgressDeadlineSeconds) * time.Second).Sub(now)
	if after < time.Second {
		s.requeueNow = true
		return
	}
	// A second more, so that the deadline has passed when the sync runs.
	s.requeueAfter = after + time.Second
}
