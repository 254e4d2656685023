package deployment

import (
	"fmt"
	"maps"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/store"
)

// This file holds the writes of a sync. Every write starts from a copy of what the sync read
// (cached objects are never modified) and carries its resourceVersion, so that a write based
// on a stale cache fails with Conflict and the Deployment is synced again.

// maxStatusOnlyRetries bounds the retries of a ReplicaSet write that conflicted only with a
// status change (see updateReplicaSet).
const maxStatusOnlyRetries = 3

// scaleReplicaSetAndRecordEvent scales rs to newScale if it is not there yet, naming the
// direction in the event. It returns whether rs was scaled and rs as written.
func (s *syncer) scaleReplicaSetAndRecordEvent(rs *apps.ReplicaSet, newScale int32) (bool, *apps.ReplicaSet, error) {
	if replicasOf(rs) == newScale {
		return false, rs, nil
	}
	op := "down"
	if replicasOf(rs) < newScale {
		op = "up"
	}
	return s.scaleReplicaSet(rs, newScale, op)
}

// scaleReplicaSet sets rs's replicas to newScale and its desired-replicas and max-replicas
// annotations to the Deployment's, if either differs, recording "Scaled <op> replica set <name>
// to <n> from <m>" when the size changed. It returns whether the size changed and rs as
// written (rs itself when nothing was written).
func (s *syncer) scaleReplicaSet(rs *apps.ReplicaSet, newScale int32, op string) (bool, *apps.ReplicaSet, error) {
	desired, maxReplicas := desiredReplicas(s.d), desiredReplicas(s.d)+MaxSurge(s.d)
	sizeChanged := replicasOf(rs) != newScale
	if !sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, maxReplicas) {
		return false, rs, nil
	}
	oldScale := replicasOf(rs)
	updated, err := s.updateReplicaSet(rs, func(c *apps.ReplicaSet) {
		c.Spec.Replicas = new(newScale)
		setReplicasAnnotations(c, desired, maxReplicas)
	})
	if err != nil {
		return false, nil, err
	}
	if sizeChanged {
		s.recorder.Eventf(s.d, core.EventTypeNormal, "ScalingReplicaSet", "Scaled %s replica set %s to %d from %d", op, rs.Name, newScale, oldScale)
	}
	return sizeChanged, updated, nil
}

// updateReplicaSet writes a copy of rs changed by change, with rs's resourceVersion. A Conflict
// caused only by a status write (the ReplicaSet controller reports often) does not fail the
// sync: the change is applied to a fresh copy and written again, provided the ReplicaSet's
// generation and annotations — what the sync's decision read — are unchanged and it has not
// lost available replicas since. Any other Conflict is returned.
func (s *syncer) updateReplicaSet(rs *apps.ReplicaSet, change func(*apps.ReplicaSet)) (*apps.ReplicaSet, error) {
	c := rs.DeepCopy()
	change(c)
	out, err := s.rss.Update(s.ctx, c)
	for range maxStatusOnlyRetries {
		if !store.IsConflict(err) {
			break
		}
		fresh, gerr := s.rss.Get(s.ctx, rs.Namespace, rs.Name)
		if gerr != nil {
			return nil, gerr
		}
		if fresh.UID != rs.UID || fresh.Generation != rs.Generation || !maps.Equal(fresh.Annotations, rs.Annotations) ||
			!maps.Equal(fresh.Labels, rs.Labels) ||
			fresh.Status.AvailableReplicas < rs.Status.AvailableReplicas {
			return nil, err
		}
		change(fresh)
		out, err = s.rss.Update(s.ctx, fresh)
	}
	if err != nil {
		return nil, fmt.Errorf("updating replica set %s: %w", rs.Name, err)
	}
	s.remember(out)
	return out, nil
}

// updateStatus writes status as the Deployment's, with the resourceVersion this sync knows,
// and makes the written Deployment the sync's.
func (s *syncer) updateStatus(status apps.DeploymentStatus) error {
	c := s.d.DeepCopy()
	c.Status = status
	out, err := s.deployments.UpdateStatus(s.ctx, c)
	if err != nil {
		return err
	}
	s.d = out
	s.noteWrite(controller.RequestFor(out), out.ResourceVersion)
	return nil
}

// updateDeployment writes a copy of the Deployment changed by change (metadata or spec), and
// makes the written Deployment the sync's.
func (s *syncer) updateDeployment(change func(*apps.Deployment)) error {
	c := s.d.DeepCopy()
	change(c)
	out, err := s.deployments.Update(s.ctx, c)
	if err != nil {
		return err
	}
	s.d = out
	s.noteWrite(controller.RequestFor(out), out.ResourceVersion)
	return nil
}
