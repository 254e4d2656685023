package statefulset

import (
	"context"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
)

// rollingUpdate is step 7 (../shared/spec/statefulset.md §4): it deletes outdated pods from
// the highest index down to the partition; step 3 of a later sync re-creates them at the
// update revision. Without rollingUpdate.maxUnavailable, one pod at a time: the first
// outdated pod found is deleted, and an unhealthy updated pod above it makes the update wait.
// With maxUnavailable, up to maxUnavailable − (unavailable pods in the whole range) outdated
// pods are deleted at once. status.currentReplicas counts the deletions.
func (r *Reconciler) rollingUpdate(ctx context.Context, set *apps.StatefulSet, rv *revisions, replicas []*core.Pod, status *apps.StatefulSetStatus, now time.Time) error {
	partition := 0
	var maxUnavailable *intstr.IntOrString
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		if ru.Partition != nil {
			partition = int(*ru.Partition)
		}
		maxUnavailable = ru.MaxUnavailable
	}
	outdated := func(p *core.Pod) bool { return revisionOf(p) != rv.update.Name && !isTerminating(p) }

	if maxUnavailable == nil {
		for target := len(replicas) - 1; target >= partition; target-- {
			p := replicas[target]
			if outdated(p) {
				status.CurrentReplicas--
				return r.deletePod(ctx, set, p)
			}
			if !isHealthy(p) {
				return nil // wait for the updated pod to be Running and Ready
			}
		}
		return nil
	}

	budget := resolveMaxUnavailable(maxUnavailable, len(replicas))
	unavailable := 0
	for _, p := range replicas {
		if !isHealthy(p) || !core.IsPodAvailable(p, set.Spec.MinReadySeconds, now) {
			unavailable++
		}
	}
	for target := len(replicas) - 1; target >= partition && unavailable < budget; target-- {
		p := replicas[target]
		if !outdated(p) {
			continue
		}
		if err := r.deletePod(ctx, set, p); err != nil {
			return err
		}
		unavailable++
		status.CurrentReplicas--
	}
	return nil
}

// resolveMaxUnavailable turns rollingUpdate.maxUnavailable into a pod count for replicas
// pods: an int as is, a percentage rounded down, never below 1 (Kubernetes'
// getStatefulSetMaxUnavailable; the API documentation says "rounding up", the code rounds
// down and clamps). An invalid value, which validation rejects, counts as 1.
func resolveMaxUnavailable(v *intstr.IntOrString, replicas int) int {
	n, err := intstr.ScaledValue(v, replicas, false)
	if err != nil || n < 1 {
		return 1
	}
	return n
}
