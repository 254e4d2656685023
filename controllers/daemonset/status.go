package daemonset

import (
	"context"
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
)

// computeStatus counts v's nodes (../shared/spec/daemonset.md §7): desired are the nodes that
// should run the pod; of those, current have a daemon pod, ready and available count the
// oldest pod's readiness and availability, updated whether it runs the current template;
// misscheduled are the nodes that should not run the pod but have one. The counters are
// written into a copy of v.ds's status, with observedGeneration raised to the DaemonSet's
// generation when observed is set and collisionCount set to collisions.
func (v *view) computeStatus(observed bool, collisions int32) apps.DaemonSetStatus {
	st := *v.ds.Status.DeepCopy()
	var desired, current, misscheduled, ready, available, updated int32
	for _, n := range v.nodes {
		run, _ := v.place.shouldRun(n)
		pods := v.nodePods[n.Name]
		if !run {
			if len(pods) > 0 {
				misscheduled++
			}
			continue
		}
		desired++
		if len(pods) == 0 {
			continue
		}
		current++
		oldest := pods[0] // nodePods are sorted oldest first
		if core.IsPodReady(oldest) {
			ready++
			if v.available(oldest) {
				available++
			}
		}
		if isUpdated(oldest, v.hash, v.generation) {
			updated++
		}
	}
	st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberMisscheduled = desired, current, misscheduled
	st.NumberReady, st.NumberAvailable, st.NumberUnavailable = ready, available, desired-available
	st.UpdatedNumberScheduled = updated
	if observed {
		st.ObservedGeneration = v.ds.Generation
	}
	if collisions != 0 || st.CollisionCount != nil {
		st.CollisionCount = new(collisions)
	}
	return st
}

// sameStatus reports whether two statuses say the same (conditions aside).
func sameStatus(a, b *apps.DaemonSetStatus) bool {
	return a.DesiredNumberScheduled == b.DesiredNumberScheduled &&
		a.CurrentNumberScheduled == b.CurrentNumberScheduled &&
		a.NumberMisscheduled == b.NumberMisscheduled &&
		a.NumberReady == b.NumberReady &&
		a.NumberAvailable == b.NumberAvailable &&
		a.NumberUnavailable == b.NumberUnavailable &&
		a.UpdatedNumberScheduled == b.UpdatedNumberScheduled &&
		a.ObservedGeneration == b.ObservedGeneration &&
		deref(a.CollisionCount) == deref(b.CollisionCount)
}

// writeStatus writes st as ds's status if it differs, through the status subresource.
// Conditions are kept as stored. ds is not modified.
func (r *Reconciler) writeStatus(ctx context.Context, ds *apps.DaemonSet, st apps.DaemonSetStatus) error {
	if sameStatus(&ds.Status, &st) {
		return nil
	}
	_, err := client.GuaranteedUpdateStatus(ctx, r.dss, ds.Namespace, ds.Name, func(cur *apps.DaemonSet) error {
		if cur.UID != ds.UID {
			return errReplaced
		}
		conds := slices.Clone(cur.Status.Conditions)
		cur.Status = st
		cur.Status.Conditions = conds
		return nil
	})
	return err
}

// deref returns *p, 0 for nil.
func deref(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
