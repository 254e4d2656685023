package deployment

import (
	"math"
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
)

// This file is proportional scaling (../shared/spec/deployment.md §8): what a change of
// replicas does to a Deployment whose rollout is under way, or paused. Scaling only the new
// ReplicaSet up, or only the old ones down, would hasten the rollout and risk more unavailable
// replicas should the new template be broken; instead every active ReplicaSet grows or shrinks
// in proportion to its size.

// scalePlan is what a scaling event does: the ReplicaSets to write, in order. refresh marks the
// proportional case, where every active ReplicaSet is written even at an unchanged size, to
// refresh its desired-replicas and max-replicas annotations.
type scalePlan struct {
	steps   []rsScale
	refresh bool
}

// planScale returns what a scaling event does to d's ReplicaSets:
//
//  1. With at most one active ReplicaSet (none: the new one, else the newest old one), that one
//     gets all the replicas.
//  2. With a saturated new ReplicaSet (all replicas, by spec, annotation and availability),
//     the old active ones go to 0.
//  3. RollingUpdate with several active ones: allowed = replicas + maxSurge (0 for 0 replicas)
//     is shared out. toAdd = allowed − Σ spec.replicas; the ReplicaSets, largest first (newer
//     first among equals when adding, older first when removing), each take
//     round(spec × allowed / its max-replicas annotation) − spec, bounded by what is left of
//     toAdd; the first takes any leftover, never going below 0.
//
// Recreate with several active ReplicaSets does nothing: the rollout will settle it.
func planScale(d *apps.Deployment, newRS *apps.ReplicaSet, oldRSs []*apps.ReplicaSet) scalePlan {
	want := desiredReplicas(d)
	if rs := findActiveOrLatest(newRS, oldRSs); rs != nil {
		if replicasOf(rs) == want {
			return scalePlan{}
		}
		return scalePlan{steps: []rsScale{{rs: rs, to: want, note: direction(replicasOf(rs), want)}}}
	}
	if isSaturated(d, newRS) {
		var steps []rsScale
		for _, old := range filterActive(oldRSs) {
			steps = append(steps, rsScale{rs: old, to: 0, note: "down"})
		}
		return scalePlan{steps: steps}
	}
	if !isRollingUpdate(d) {
		return scalePlan{}
	}
	all := filterActive(withNew(oldRSs, newRS))
	var allowed int32
	if want > 0 {
		allowed = want + MaxSurge(d)
	}
	toAdd := allowed - specReplicas(all)
	note := ""
	switch {
	case toAdd > 0:
		slices.SortStableFunc(all, bySizeNewer)
		note = "up"
	case toAdd < 0:
		slices.SortStableFunc(all, bySizeOlder)
		note = "down"
	}
	sizes := make([]int32, len(all))
	var added int32
	for i, rs := range all {
		sizes[i] = replicasOf(rs)
		if toAdd != 0 {
			p := proportion(rs, d, toAdd, added)
			sizes[i] += p
			added += p
		}
	}
	if toAdd != 0 && len(all) > 0 {
		sizes[0] = max(sizes[0]+toAdd-added, 0) // the leftover goes to the largest
	}
	plan := scalePlan{refresh: true}
	for i, rs := range all {
		plan.steps = append(plan.steps, rsScale{rs: rs, to: sizes[i], note: note})
	}
	return plan
}

// direction names a change of size for the event.
func direction(from, to int32) string {
	if from < to {
		return "up"
	}
	return "down"
}

// proportion returns the replicas rs gains (or loses, when negative) of the toAdd to share,
// added of which are already given out: its fraction, capped so that the total never passes
// toAdd.
func proportion(rs *apps.ReplicaSet, d *apps.Deployment, toAdd, added int32) int32 {
	if rs == nil || replicasOf(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	fraction := replicaSetFraction(rs, d)
	left := toAdd - added
	if toAdd > 0 {
		return min(fraction, left)
	}
	return max(fraction, left)
}

// replicaSetFraction returns how many replicas rs should gain (or lose) so that it keeps its
// share: round(spec × (replicas + maxSurge) / max-replicas) − spec, the max-replicas annotation
// being the Deployment's replicas + maxSurge when rs was last scaled (or the Deployment's
// status.replicas without it). Scaling to 0 takes everything.
func replicaSetFraction(rs *apps.ReplicaSet, d *apps.Deployment) int32 {
	spec := replicasOf(rs)
	if desiredReplicas(d) == 0 {
		return -spec
	}
	deploymentReplicas := desiredReplicas(d) + MaxSurge(d)
	annotated, ok := intAnnotation(rs, apps.MaxReplicasAnnotation)
	if !ok {
		annotated = d.Status.Replicas
	}
	if annotated == 0 {
		return 0 // never scale up from nothing proportionally
	}
	size := float64(spec) * float64(deploymentReplicas) / float64(annotated)
	return int32(math.Round(size)) - spec
}

// scale carries out a scaling event (planScale), stopping at the first failed write.
func (s *syncer) scale(newRS *apps.ReplicaSet, oldRSs []*apps.ReplicaSet) error {
	plan := planScale(s.d, newRS, oldRSs)
	for _, step := range plan.steps {
		var err error
		if plan.refresh {
			_, _, err = s.scaleReplicaSet(step.rs, step.to, step.note)
		} else {
			_, _, err = s.scaleReplicaSetAndRecordEvent(step.rs, step.to)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
