package deployment

import (
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
)

// This file is the RollingUpdate strategy (../shared/spec/deployment.md §2, §6): the
// arithmetic as pure functions, then rolloutRolling, which applies it.

// ResolveFenceposts resolves maxSurge and maxUnavailable against desired replicas, as
// Kubernetes does in one step: a surge percentage rounds up, an unavailability percentage rounds
// down (nil counts as 0), and if both come out 0 — which validation forbids as literal values
// but rounding can produce — maxUnavailable is 1, so that the rollout can progress without
// surge (a quota might forbid it).
func ResolveFenceposts(maxSurge, maxUnavailable *intstr.IntOrString, desired int32) (surge, unavailable int32, err error) {
	zero := intstr.FromInt(0)
	ms, mu := intstr.ValueOrDefault(maxSurge, zero), intstr.ValueOrDefault(maxUnavailable, zero)
	s, err := intstr.ScaledValue(&ms, int(desired), true)
	if err != nil {
		return 0, 0, err
	}
	u, err := intstr.ScaledValue(&mu, int(desired), false)
	if err != nil {
		return 0, 0, err
	}
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u), nil
}

// isRollingUpdate reports whether d rolls out with the RollingUpdate strategy.
func isRollingUpdate(d *apps.Deployment) bool {
	return d.Spec.Strategy.Type == apps.RollingUpdateDeploymentStrategyType
}

// MaxSurge returns how many pods d may run above its replicas during a rollout: 0 for
// Recreate.
func MaxSurge(d *apps.Deployment) int32 {
	if !isRollingUpdate(d) || d.Spec.Strategy.RollingUpdate == nil {
		return 0
	}
	ru := d.Spec.Strategy.RollingUpdate
	surge, _, _ := ResolveFenceposts(ru.MaxSurge, ru.MaxUnavailable, desiredReplicas(d)) // validation rejects bad values
	return surge
}

// MaxUnavailable returns how many of d's replicas may be unavailable during a rollout: 0 for
// Recreate or 0 replicas, and never more than the replicas.
func MaxUnavailable(d *apps.Deployment) int32 {
	if !isRollingUpdate(d) || d.Spec.Strategy.RollingUpdate == nil || desiredReplicas(d) == 0 {
		return 0
	}
	ru := d.Spec.Strategy.RollingUpdate
	_, unavailable, _ := ResolveFenceposts(ru.MaxSurge, ru.MaxUnavailable, desiredReplicas(d))
	return min(unavailable, desiredReplicas(d))
}

// NewRSNewReplicas returns the replicas the new ReplicaSet should have now. RollingUpdate:
// grow it by what the surge leaves (replicas + maxSurge − the replicas of every ReplicaSet),
// never beyond the Deployment's replicas, and not at all when the surge is used up. Recreate:
// the Deployment's replicas. allRSs include newRS.
func NewRSNewReplicas(d *apps.Deployment, allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) int32 {
	if !isRollingUpdate(d) {
		return desiredReplicas(d)
	}
	maxTotal := desiredReplicas(d) + MaxSurge(d)
	current := specReplicas(allRSs)
	if current >= maxTotal {
		return replicasOf(newRS)
	}
	grow := min(maxTotal-current, desiredReplicas(d)-replicasOf(newRS))
	return replicasOf(newRS) + grow
}

// maxScaledDown returns how many replicas the old ReplicaSets may lose at most: every
// replica, less the minimum available, less the new ReplicaSet's pods not available yet
// (those would not replace anything). allRSs include newRS.
func maxScaledDown(d *apps.Deployment, allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) int32 {
	minAvailable := desiredReplicas(d) - MaxUnavailable(d)
	newUnavailable := replicasOf(newRS) - newRS.Status.AvailableReplicas
	return specReplicas(allRSs) - minAvailable - newUnavailable
}

// newReplicaSetTarget returns the size the new ReplicaSet should be scaled to now: the
// Deployment's replicas if it has more (down at once), else NewRSNewReplicas.
func newReplicaSetTarget(d *apps.Deployment, allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) int32 {
	if have, want := replicasOf(newRS), desiredReplicas(d); have >= want {
		return want
	}
	return NewRSNewReplicas(d, allRSs, newRS)
}

// planOldScaleDown returns the two phases of scaling the active old ReplicaSets down:
// cleanup removes their unavailable replicas within maxScaledDown; scaleDown then removes
// available ones while more than the minimum are available, computed on the sizes the
// cleanup leaves. Either may be empty.
func planOldScaleDown(d *apps.Deployment, allRSs, oldRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) (cleanup, scaleDown []rsScale) {
	if specReplicas(oldRSs) == 0 {
		return nil, nil // nothing left to scale down
	}
	budget := maxScaledDown(d, allRSs, newRS)
	if budget <= 0 {
		return nil, nil
	}
	// Unhealthy replicas first: otherwise they would block the rollout (kubernetes#16737).
	cleanup, _ = planCleanupUnhealthy(oldRSs, budget)
	after := make([]*apps.ReplicaSet, len(oldRSs))
	for i, rs := range oldRSs {
		after[i] = rs
		for _, step := range cleanup {
			if step.rs == rs {
				c := *rs // shallow: only spec.replicas differs
				c.Spec.Replicas = new(step.to)
				after[i] = &c
			}
		}
	}
	return cleanup, planScaleDownOld(d, withNew(after, newRS), after)
}

// rsScale is one ReplicaSet scaled to a new size.
type rsScale struct {
	rs   *apps.ReplicaSet
	to   int32
	note string // "up" or "down", for the event
}

// planCleanupUnhealthy returns how to scale down the unavailable replicas of the old
// ReplicaSets, oldest first, at most budget in all: each loses min(what is left of the budget,
// spec − available). Removing replicas that are not available costs no availability; the
// ReplicaSet controller deletes the unready pods first.
func planCleanupUnhealthy(oldRSs []*apps.ReplicaSet, budget int32) ([]rsScale, int32) {
	var plan []rsScale
	var total int32
	for _, rs := range slices.SortedFunc(slices.Values(oldRSs), byCreation) {
		if total >= budget {
			break
		}
		spec := replicasOf(rs)
		if spec == 0 || spec == rs.Status.AvailableReplicas {
			continue
		}
		n := min(budget-total, spec-rs.Status.AvailableReplicas)
		if n <= 0 {
			continue // more available than wanted: the ReplicaSet is scaling down already
		}
		plan = append(plan, rsScale{rs: rs, to: spec - n, note: "down"})
		total += n
	}
	return plan, total
}

// planScaleDownOld returns how to scale down the old ReplicaSets, oldest first, by what the
// available replicas of all ReplicaSets exceed the minimum available. oldRSs carry the sizes
// after planCleanupUnhealthy; allRSs are oldRSs and the new ReplicaSet.
func planScaleDownOld(d *apps.Deployment, allRSs, oldRSs []*apps.ReplicaSet) []rsScale {
	minAvailable := desiredReplicas(d) - MaxUnavailable(d)
	available := statusSum(allRSs, availReplicas)
	if available <= minAvailable {
		return nil
	}
	budget := available - minAvailable
	var plan []rsScale
	var total int32
	for _, rs := range slices.SortedFunc(slices.Values(oldRSs), byCreation) {
		if total >= budget {
			break
		}
		spec := replicasOf(rs)
		if spec == 0 {
			continue
		}
		n := min(spec, budget-total)
		plan = append(plan, rsScale{rs: rs, to: spec - n, note: "down"})
		total += n
	}
	return plan
}

// rolloutRolling implements RollingUpdate (spec §6): get or create the new ReplicaSet, scale it
// up within the surge, else scale the old ones down within maxUnavailable, then report status;
// once the rollout is complete, clean up old ReplicaSets beyond revisionHistoryLimit.
func (s *syncer) rolloutRolling() error {
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(true)
	if err != nil {
		return err
	}
	allRSs := withNew(oldRSs, newRS)

	// skiff waits until every ReplicaSet has carried out its last scale-down before the next
	// step: see "Differences from Kubernetes" in the package documentation.
	if rs := pendingScaleDown(allRSs); rs != nil {
		s.log.V(1).Info("Waiting for a ReplicaSet to scale down", "replicaSet", rs.Name,
			"replicas", replicasOf(rs), "current", rs.Status.Replicas)
		return s.syncRolloutStatus(allRSs, newRS)
	}

	scaledUp, err := s.reconcileNewReplicaSet(allRSs, newRS)
	if err != nil {
		return err
	}
	if scaledUp {
		return s.syncRolloutStatus(allRSs, newRS)
	}
	scaledDown, err := s.reconcileOldReplicaSets(allRSs, filterActive(oldRSs), newRS)
	if err != nil {
		return err
	}
	if scaledDown {
		return s.syncRolloutStatus(allRSs, newRS)
	}
	if DeploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanupDeployment(oldRSs); err != nil {
			return err
		}
	}
	return s.syncRolloutStatus(allRSs, newRS)
}

// pendingScaleDown returns a ReplicaSet whose status still counts more pods than its spec
// asks for — one whose last scale-down the ReplicaSet controller has not yet carried out or
// reported — or nil.
func pendingScaleDown(rss []*apps.ReplicaSet) *apps.ReplicaSet {
	for _, rs := range rss {
		if rs.Status.Replicas > replicasOf(rs) {
			return rs
		}
	}
	return nil
}

// reconcileNewReplicaSet scales the new ReplicaSet towards the Deployment's replicas: down
// at once if it has more, up within the surge otherwise. It reports whether it scaled.
func (s *syncer) reconcileNewReplicaSet(allRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) (bool, error) {
	scaled, _, err := s.scaleReplicaSetAndRecordEvent(newRS, newReplicaSetTarget(s.d, allRSs, newRS))
	return scaled, err
}

// reconcileOldReplicaSets scales the active old ReplicaSets down as far as availability
// allows: first their unavailable replicas, then available ones while more than the minimum
// are available. It reports whether it scaled.
func (s *syncer) reconcileOldReplicaSets(allRSs, oldRSs []*apps.ReplicaSet, newRS *apps.ReplicaSet) (bool, error) {
	cleanup, scaleDown := planOldScaleDown(s.d, allRSs, oldRSs, newRS)
	written := map[*apps.ReplicaSet]*apps.ReplicaSet{} // by planned object: as last written
	scaled := false
	for _, step := range cleanup {
		done, updated, err := s.scaleReplicaSetAndRecordEvent(step.rs, step.to)
		if err != nil {
			return false, err
		}
		scaled = scaled || done
		written[step.rs] = updated
	}
	for _, step := range scaleDown {
		rs := step.rs
		for planned, updated := range written {
			if planned.UID == rs.UID {
				rs = updated // the second write of a ReplicaSet starts from the first's result
			}
		}
		done, _, err := s.scaleReplicaSetAndRecordEvent(rs, step.to)
		if err != nil {
			return false, err
		}
		scaled = scaled || done
	}
	return scaled, nil
}
