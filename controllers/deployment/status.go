package deployment

import (
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
)

// calculateStatus returns d's status from its ReplicaSets (../shared/spec/deployment.md §11):
// sums of the ReplicaSets' statuses, observedGeneration, collisionCount, d's conditions (a
// copy) with Available set from the minimum availability. allRSs include newRS (which may be
// nil).
func calculateStatus(allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet, d *apps.Deployment, now time.Time) apps.DeploymentStatus {
	available := statusSum(allRSs, availReplicas)
	unavailable := max(specReplicas(allRSs)-available, 0)
	st := apps.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            statusSum(allRSs, statusReplicas),
		ReadyReplicas:       statusSum(allRSs, readyReplicas),
		AvailableReplicas:   available,
		UnavailableReplicas: unavailable,
		TerminatingReplicas: terminatingReplicas(allRSs),
		CollisionCount:      d.Status.CollisionCount,
		Conditions:          slices.Clone(d.Status.Conditions),
	}
	if newRS != nil {
		st.UpdatedReplicas = newRS.Status.Replicas
	}
	if available >= desiredReplicas(d)-MaxUnavailable(d) {
		setCondition(&st, newCondition(apps.DeploymentAvailable, meta.ConditionTrue, apps.MinimumReplicasAvailable,
			"Deployment has minimum availability.", now))
	} else {
		setCondition(&st, newCondition(apps.DeploymentAvailable, meta.ConditionFalse, apps.MinimumReplicasUnavailable,
			"Deployment does not have minimum availability.", now))
	}
	return st
}

// terminatingReplicas sums the ReplicaSets' terminatingReplicas: nil as soon as one does not
// report it (its controller does not track it, or has not synced it yet).
func terminatingReplicas(rss []*apps.ReplicaSet) *int32 {
	var n int32
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		if rs.Status.TerminatingReplicas == nil {
			return nil
		}
		n += *rs.Status.TerminatingReplicas
	}
	return &n
}

// syncDeploymentStatus writes d's status computed from its ReplicaSets, if it changed.
func (s *syncer) syncDeploymentStatus(allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) error {
	st := calculateStatus(allRSs, newRS, s.d, s.clock.Now())
	if statusEqual(&s.d.Status, &st) {
		return nil
	}
	return s.updateStatus(st)
}

// statusEqual compares two Deployment statuses as the API would: times by instant.
func statusEqual(a, b *apps.DeploymentStatus) bool {
	if a.ObservedGeneration != b.ObservedGeneration || a.Replicas != b.Replicas || a.UpdatedReplicas != b.UpdatedReplicas ||
		a.ReadyReplicas != b.ReadyReplicas || a.AvailableReplicas != b.AvailableReplicas ||
		a.UnavailableReplicas != b.UnavailableReplicas || !int32PtrEqual(a.TerminatingReplicas, b.TerminatingReplicas) ||
		!int32PtrEqual(a.CollisionCount, b.CollisionCount) || len(a.Conditions) != len(b.Conditions) {
		return false
	}
	for i := range a.Conditions {
		x, y := &a.Conditions[i], &b.Conditions[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message ||
			!x.LastUpdateTime.Equal(&y.LastUpdateTime) || !x.LastTransitionTime.Equal(&y.LastTransitionTime) {
			return false
		}
	}
	return true
}

func int32PtrEqual(a, b *int32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// newCondition returns a Deployment condition updated and transitioned at now.
func newCondition(t apps.DeploymentConditionType, status meta.ConditionStatus, reason, message string, now time.Time) apps.DeploymentCondition {
	ts := meta.NewTime(now)
	return apps.DeploymentCondition{Type: t, Status: status, LastUpdateTime: ts, LastTransitionTime: ts, Reason: reason, Message: message}
}

// getCondition returns a copy of the condition of type t in st, or nil.
func getCondition(st *apps.DeploymentStatus, t apps.DeploymentConditionType) *apps.DeploymentCondition {
	for _, c := range st.Conditions {
		if c.Type == t {
			return &c
		}
	}
	return nil
}

// setCondition puts c in st (whose conditions the caller owns), as Kubernetes'
// SetDeploymentCondition: nothing changes if a condition of the type has the same status and
// reason; otherwise c replaces it, at the end of the list, keeping the old lastTransitionTime
// when the status is the same.
func setCondition(st *apps.DeploymentStatus, c apps.DeploymentCondition) {
	cur := getCondition(st, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	st.Conditions = append(withoutCondition(st.Conditions, c.Type), c)
}

// removeCondition removes the condition of type t from st.
func removeCondition(st *apps.DeploymentStatus, t apps.DeploymentConditionType) {
	st.Conditions = withoutCondition(st.Conditions, t)
}

// withoutCondition returns a new slice of the conditions not of type t (nil if none is left).
func withoutCondition(conds []apps.DeploymentCondition, t apps.DeploymentConditionType) []apps.DeploymentCondition {
	var out []apps.DeploymentCondition
	for _, c := range conds {
		if c.Type != t {
			out = append(out, c)
		}
	}
	return out
}

// fromReplicaSetCondition turns a ReplicaSet's condition into the Deployment's.
func fromReplicaSetCondition(c apps.ReplicaSetCondition) apps.DeploymentCondition {
	return apps.DeploymentCondition{
		Type:               apps.DeploymentConditionType(c.Type),
		Status:             c.Status,
		LastTransitionTime: c.LastTransitionTime,
		LastUpdateTime:     c.LastTransitionTime,
		Reason:             c.Reason,
		Message:            c.Message,
	}
}
