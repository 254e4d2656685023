package deployment

import (
	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
)

// rolloutRecreate implements the Recreate strategy (../shared/spec/deployment.md §7): every old
// ReplicaSet goes to 0 first, and the new one is created and scaled up only once no old pod
// remains — not even a terminating one — so that old and new pods never run together.
func (s *syncer) rolloutRecreate() error {
	// The new ReplicaSet is found but not created yet: nothing may scale up before the old
	// ones are down.
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(false)
	if err != nil {
		return err
	}
	allRSs := withNew(oldRSs, newRS)

	scaledDown := false
	for _, rs := range filterActive(oldRSs) {
		scaled, _, err := s.scaleReplicaSetAndRecordEvent(rs, 0)
		if err != nil {
			return err
		}
		scaledDown = scaledDown || scaled
	}
	if scaledDown {
		return s.syncRolloutStatus(allRSs, newRS)
	}
	if s.oldPodsRunning(newRS, oldRSs) {
		return s.syncRolloutStatus(allRSs, newRS)
	}

	if newRS == nil {
		if newRS, oldRSs, err = s.getAllReplicaSetsAndSyncRevision(true); err != nil {
			return err
		}
		allRSs = withNew(oldRSs, newRS)
	}
	if _, _, err := s.scaleReplicaSetAndRecordEvent(newRS, desiredReplicas(s.d)); err != nil {
		return err
	}
	if DeploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanupDeployment(oldRSs); err != nil {
			return err
		}
	}
	return s.syncRolloutStatus(allRSs, newRS)
}

// oldPodsRunning reports whether an old ReplicaSet still reports pods, or the cache still holds
// a pod of one that has not finished (Pending, Running or Unknown, terminating included).
func (s *syncer) oldPodsRunning(newRS *apps.ReplicaSet, oldRSs []*apps.ReplicaSet) bool {
	if statusSum(oldRSs, statusReplicas) > 0 {
		return true
	}
	for _, rs := range oldRSs {
		if newRS != nil && rs.UID == newRS.UID {
			continue
		}
		for _, p := range s.podsOf(rs) {
			if p.Status.Phase != core.PodSucceeded && p.Status.Phase != core.PodFailed {
				return true
			}
		}
	}
	return false
}

// podsOf returns the pods the cache holds for rs: controlled by it and matched by the
// Deployment's selector (Kubernetes' pod map of a Deployment).
func (s *syncer) podsOf(rs *apps.ReplicaSet) []*core.Pod {
	owned, _ := s.podLister.ByIndex(informer.IndexControllerUID, string(rs.UID)) // the index exists (Add)
	var out []*core.Pod
	for _, p := range owned {
		if p.Namespace == s.d.Namespace && s.selector.Matches(labelSet(p)) && meta.IsControlledBy(p, rs) {
			out = append(out, p)
		}
	}
	return out
}
