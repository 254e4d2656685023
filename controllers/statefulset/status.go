package statefulset

import (
	"context"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
)

// countPods sets the counters of status from pods (../shared/spec/statefulset.md §6):
// replicas counts created pods, ready those Running and Ready, available those also ready
// for minReadySeconds at now, current and updated the non-terminating created pods at the
// current and update revisions. Virtual (not yet created) pods count for nothing.
func countPods(status *apps.StatefulSetStatus, minReadySeconds int32, now time.Time, pods ...[]*core.Pod) {
	status.Replicas, status.ReadyReplicas, status.AvailableReplicas = 0, 0, 0
	status.CurrentReplicas, status.UpdatedReplicas = 0, 0
	for _, list := range pods {
		for _, p := range list {
			if p == nil || !isCreated(p) {
				continue
			}
			status.Replicas++
			if isRunningAndReady(p) {
				status.ReadyReplicas++
				if core.IsPodAvailable(p, minReadySeconds, now) {
					status.AvailableReplicas++
				}
			}
			if isTerminating(p) {
				continue
			}
			switch rev := revisionOf(p); {
			case rev == status.CurrentRevision && rev == status.UpdateRevision:
				status.CurrentReplicas++
				status.UpdatedReplicas++
			case rev == status.CurrentRevision:
				status.CurrentReplicas++
			case rev == status.UpdateRevision:
				status.UpdatedReplicas++
			}
		}
	}
}

// completeRollingUpdate ends a finished rolling update: once every pod is at the update
// revision and ready, the update revision becomes the current one.
func completeRollingUpdate(set *apps.StatefulSet, status *apps.StatefulSetStatus) {
	if set.Spec.UpdateStrategy.Type == apps.RollingUpdateStatefulSetStrategyType &&
		status.UpdatedReplicas == status.Replicas && status.ReadyReplicas == status.Replicas {
		status.CurrentReplicas = status.UpdatedReplicas
		status.CurrentRevision = status.UpdateRevision
	}
}

// statusChanged reports whether status says something set's status does not.
func statusChanged(set *apps.StatefulSet, status *apps.StatefulSetStatus) bool {
	old := &set.Status
	return status.ObservedGeneration > old.ObservedGeneration ||
		status.Replicas != old.Replicas ||
		status.ReadyReplicas != old.ReadyReplicas ||
		status.AvailableReplicas != old.AvailableReplicas ||
		status.CurrentReplicas != old.CurrentReplicas ||
		status.UpdatedReplicas != old.UpdatedReplicas ||
		status.CurrentRevision != old.CurrentRevision ||
		status.UpdateRevision != old.UpdateRevision ||
		deref(status.CollisionCount) != deref(old.CollisionCount)
}

// writeStatus completes a finished rolling update in status and writes it if it changed,
// through the status subresource (conditions are kept as they are). set is not modified.
func (r *Reconciler) writeStatus(ctx context.Context, set *apps.StatefulSet, status *apps.StatefulSetStatus) error {
	completeRollingUpdate(set, status)
	if !statusChanged(set, status) {
		return nil
	}
	_, err := client.GuaranteedUpdateStatus(ctx, r.sets, set.Namespace, set.Name, func(s *apps.StatefulSet) error {
		if s.UID != set.UID {
			return errReplaced
		}
		conds := slices.Clone(s.Status.Conditions)
		s.Status = *status
		s.Status.Conditions = conds
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
