package replicaset

import (
	"context"
	"reflect"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
)

// statusUpdateRetries is how many times a failed status write is retried, on a fresh read,
// before the sync fails and is requeued.
const statusUpdateRetries = 1

// calculateStatus returns the status of rs with its owned active pods, its terminating pods
// and the outcome of the sync's manage step, at now (../shared/spec/replicaset.md §5). The
// result shares nothing with rs's cached status that the caller could modify through it.
func calculateStatus(rs *apps.ReplicaSet, active, terminating []*core.Pod, manageErr error, now time.Time) apps.ReplicaSetStatus {
	st := *rs.Status.DeepCopy()
	template := labels.SelectorFromSet(rs.Spec.Template.Labels)
	var fullyLabeled, ready, available int32
	for _, p := range active {
		if template.Matches(labels.Set(p.Labels)) {
			fullyLabeled++
		}
		if isReady, isAvailable := readiness(p, rs.Spec.MinReadySeconds, now); isReady {
			ready++
			if isAvailable {
				available++
			}
		}
	}
	failure := getCondition(st.Conditions, apps.ReplicaSetReplicaFailure)
	switch {
	case manageErr != nil && failure == nil:
		reason := ""
		if diff := len(active) - int(replicas(rs)); diff < 0 {
			reason = apps.FailedCreateReason
		} else if diff > 0 {
			reason = apps.FailedDeleteReason
		}
		st.Conditions = append(st.Conditions, apps.ReplicaSetCondition{
			Type:               apps.ReplicaSetReplicaFailure,
			Status:             meta.ConditionTrue,
			LastTransitionTime: meta.NewTime(now),
			Reason:             reason,
			Message:            manageErr.Error(),
		})
	case manageErr == nil && failure != nil:
		st.Conditions = removeCondition(st.Conditions, apps.ReplicaSetReplicaFailure)
	}
	st.Replicas = int32(len(active))
	st.FullyLabeledReplicas = fullyLabeled
	st.ReadyReplicas = ready
	st.AvailableReplicas = available
	st.TerminatingReplicas = new(int32(len(terminating)))
	return st
}

// readiness reports whether p is ready and whether it is available — ready for longer than
// minReadySeconds at now — as core.IsPodReady and core.IsPodAvailable do, reading the Ready
// condition once.
func readiness(p *core.Pod, minReadySeconds int32, now time.Time) (ready, available bool) {
	c := core.GetPodReadyCondition(&p.Status)
	if c == nil || c.Status != core.ConditionTrue {
		return false, false
	}
	if minReadySeconds == 0 {
		return true, true
	}
	minReady := time.Duration(minReadySeconds) * time.Second
	return true, !c.LastTransitionTime.IsZero() && c.LastTransitionTime.Add(minReady).Before(now)
}

// updateStatus writes status to rs's status subresource, with observedGeneration set to the
// generation the sync acted on, unless nothing changed. A failed write is retried once on a
// fresh read (keeping that observedGeneration). It returns the ReplicaSet as written (rs
// itself when unchanged), never modifying rs.
func (r *Reconciler) updateStatus(ctx context.Context, rs *apps.ReplicaSet, status apps.ReplicaSetStatus) (*apps.ReplicaSet, error) {
	cur := rs.Status
	if cur.Replicas == status.Replicas && cur.FullyLabeledReplicas == status.FullyLabeledReplicas &&
		cur.ReadyReplicas == status.ReadyReplicas && cur.AvailableReplicas == status.AvailableReplicas &&
		equalInt32Ptr(cur.TerminatingReplicas, status.TerminatingReplicas) &&
		rs.Generation == cur.ObservedGeneration && reflect.DeepEqual(cur.Conditions, status.Conditions) {
		return rs, nil
	}
	// The generation acted on: a retry must not claim a newer spec was seen.
	status.ObservedGeneration = rs.Generation
	target := rs.DeepCopy()
	for i := 0; ; i++ {
		target.Status = status
		updated, err := r.rss.UpdateStatus(ctx, target)
		if err == nil {
			return updated, nil
		}
		if i >= statusUpdateRetries {
			return nil, err
		}
		if target, err = r.rss.Get(ctx, rs.Namespace, rs.Name); err != nil {
			return nil, err
		}
	}
}

func equalInt32Ptr(a, b *int32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// getCondition returns the condition of type t, or nil.
func getCondition(conds []apps.ReplicaSetCondition, t apps.ReplicaSetConditionType) *apps.ReplicaSetCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// removeCondition returns conds without type t, in a new slice.
func removeCondition(conds []apps.ReplicaSetCondition, t apps.ReplicaSetConditionType) []apps.ReplicaSetCondition {
	var out []apps.ReplicaSetCondition
	for _, c := range conds {
		if c.Type != t {
			out = append(out, c)
		}
	}
	return out
}
