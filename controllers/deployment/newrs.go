package deployment

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// This file finds or creates the new ReplicaSet and keeps revisions
// (../shared/spec/deployment.md §3, §4), and cleans up old ReplicaSets (§10).

// getAllReplicaSetsAndSyncRevision returns the new ReplicaSet (nil if there is none and
// create is false) and the old ones, the new one's annotations and revision and the
// Deployment's revision brought up to date: the new ReplicaSet's revision is the highest old
// revision + 1 (an old ReplicaSet made new again by a rollback moves up).
func (s *syncer) getAllReplicaSetsAndSyncRevision(create bool) (*apps.ReplicaSet, []*apps.ReplicaSet, error) {
	oldRSs := findOldReplicaSets(s.rsList, FindNewReplicaSet(s.d, s.rsList))
	newRS, err := s.getNewReplicaSet(s.rsList, oldRSs, create)
	if err != nil {
		return nil, nil, err
	}
	return newRS, oldRSs, nil
}

// getNewReplicaSet returns the ReplicaSet whose template is the Deployment's:
//
//   - If it exists, its annotations (the Deployment's, the revision) and minReadySeconds are
//     brought up to date — a write after which it is returned as written. Otherwise the
//     Deployment's revision annotation is set to the ReplicaSet's, and a Deployment with a
//     progress deadline but no Progressing condition gets Progressing=True
//     FoundNewReplicaSet.
//   - If not and create is set, it is created: named <deployment>-<pod-template-hash>, the
//     hash label added to its labels, selector and template, owned by the Deployment, with
//     NewRSNewReplicas replicas and the next revision. An AlreadyExists for a ReplicaSet of
//     this Deployment with this template is a slow cache, not an error; for any other it is a
//     hash collision: status.collisionCount is raised, so that the next sync hashes
//     differently, and the error returned. Any other failure sets Progressing=False
//     ReplicaSetCreateError. Success records "Scaled up replica set <name> to <n>", sets the
//     Deployment's revision and Progressing=True NewReplicaSetCreated.
func (s *syncer) getNewReplicaSet(rsList, oldRSs []*apps.ReplicaSet, create bool) (*apps.ReplicaSet, error) {
	existing := FindNewReplicaSet(s.d, rsList)
	newRevision := strconv.FormatInt(maxRevision(oldRSs)+1, 10)
	now := s.clock.Now()

	if existing != nil {
		rsCopy := existing.DeepCopy()
		annotationsChanged := setNewReplicaSetAnnotations(s.d, rsCopy, newRevision, true, maxRevHistoryLengthInChars)
		if annotationsChanged || rsCopy.Spec.MinReadySeconds != s.d.Spec.MinReadySeconds {
			rsCopy.Spec.MinReadySeconds = s.d.Spec.MinReadySeconds
			updated, err := s.rss.Update(s.ctx, rsCopy)
			if err != nil {
				return nil, err
			}
			s.remember(updated)
			return updated, nil
		}
		// The revision the ReplicaSet carries is the reliable one.
		if err := s.setRevision(rsCopy.Annotations[apps.RevisionAnnotation]); err != nil {
			return nil, err
		}
		if hasProgressDeadline(s.d) && getCondition(&s.d.Status, apps.DeploymentProgressing) == nil {
			st := *s.d.Status.DeepCopy()
			setCondition(&st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.FoundNewReplicaSetReason,
				fmt.Sprintf("Found new replica set %q", rsCopy.Name), now))
			if err := s.updateStatus(st); err != nil {
				return nil, err
			}
		}
		return rsCopy, nil
	}
	if !create {
		return nil, nil
	}

	hash := ComputeHash(&s.d.Spec.Template, s.d.Status.CollisionCount)
	template := *s.d.Spec.Template.DeepCopy()
	template.Labels = withLabel(s.d.Spec.Template.Labels, apps.DefaultDeploymentUniqueLabelKey, hash)
	selector := s.d.Spec.Selector.DeepCopy()
	selector.MatchLabels = withLabel(selector.MatchLabels, apps.DefaultDeploymentUniqueLabelKey, hash)
	newRS := &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{
			Name:            s.d.Name + "-" + hash, // deterministic, so that a retry finds it
			Namespace:       s.d.Namespace,
			OwnerReferences: []meta.OwnerReference{controllerref.NewControllerRef(s.d, scheme.DeploymentGVK)},
			Labels:          template.Labels,
		},
		Spec: apps.ReplicaSetSpec{
			Replicas:        new(int32(0)),
			MinReadySeconds: s.d.Spec.MinReadySeconds,
			Selector:        selector,
			Template:        template,
		},
	}
	replicas := NewRSNewReplicas(s.d, withNew(oldRSs, newRS), newRS)
	newRS.Spec.Replicas = new(replicas)
	setNewReplicaSetAnnotations(s.d, newRS, newRevision, false, maxRevHistoryLengthInChars)

	created, err := s.rss.Create(s.ctx, newRS)
	alreadyExists := false
	switch {
	case store.IsAlreadyExists(err):
		alreadyExists = true
		rs, getErr := s.rsLister.Namespace(newRS.Namespace).Get(newRS.Name)
		if getErr != nil {
			return nil, getErr
		}
		if ref := meta.GetControllerOf(rs); ref != nil && ref.UID == s.d.UID && EqualIgnoreHash(&s.d.Spec.Template, &rs.Spec.Template) {
			created, err = rs, nil
			break
		}
		// A hash collision: another template (or another owner) has the name.
		st := *s.d.Status.DeepCopy()
		st.CollisionCount = new(derefInt32(st.CollisionCount) + 1)
		if uerr := s.updateStatus(st); uerr == nil {
			s.log.V(1).Info("Found a hash collision; bumped collisionCount", "collisionCount", *st.CollisionCount)
		}
		return nil, err
	case podcontrol.IsNamespaceTerminating(err):
		return nil, err
	case err != nil:
		msg := fmt.Sprintf("Failed to create new replica set %q: %v", newRS.Name, err)
		if hasProgressDeadline(s.d) {
			st := *s.d.Status.DeepCopy()
			setCondition(&st, newCondition(apps.DeploymentProgressing, meta.ConditionFalse, apps.FailedRSCreateReason, msg, now))
			_ = s.updateStatus(st) // the creation error is the one to report
		}
		s.recorder.Event(s.d, core.EventTypeWarning, apps.FailedRSCreateReason, msg)
		return nil, err
	}
	s.remember(created)
	if !alreadyExists && replicas > 0 {
		s.recorder.Eventf(s.d, core.EventTypeNormal, "ScalingReplicaSet", "Scaled up replica set %s to %d", created.Name, replicas)
	}
	if err := s.setRevision(newRevision); err != nil {
		return nil, err
	}
	if !alreadyExists && hasProgressDeadline(s.d) {
		st := *s.d.Status.DeepCopy()
		setCondition(&st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.NewReplicaSetCreatedReason,
			fmt.Sprintf("Created new replica set %q", created.Name), now))
		if err := s.updateStatus(st); err != nil {
			return nil, err
		}
	}
	return created, nil
}

// setRevision writes rev as the Deployment's revision annotation, if it differs. Kubernetes
// writes it through the status subresource, which there may change annotations; skiff's
// status subresource keeps metadata, so this is an update of the Deployment (which, as any
// annotation change of a Deployment, raises its generation).
func (s *syncer) setRevision(rev string) error {
	annotations, changed := withRevision(s.d, rev)
	if !changed {
		return nil
	}
	return s.updateDeployment(func(d *apps.Deployment) { d.Annotations = annotations })
}

// withLabel returns a copy of m with key set to value.
func withLabel(m map[string]string, key, value string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	out[key] = value
	return out
}

func derefInt32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// cleanupDeployment deletes the oldest old ReplicaSets beyond revisionHistoryLimit, lowest
// revision first, skipping those not fully scaled down (spec and status replicas 0, latest
// generation observed) and those already being deleted.
func (s *syncer) cleanupDeployment(oldRSs []*apps.ReplicaSet) error {
	for _, rs := range historyToDelete(s.d, oldRSs) {
		s.log.V(1).Info("Deleting an old replica set beyond revisionHistoryLimit", "replicaSet", rs.Name)
		if _, err := s.rss.Delete(s.ctx, rs.Namespace, rs.Name); err != nil && !store.IsNotFound(err) {
			return err // stop: the API server may be overloaded
		}
	}
	return nil
}

// historyToDelete returns the old ReplicaSets cleanupDeployment deletes: of those not being
// deleted, the count beyond revisionHistoryLimit with the lowest revisions, less those not
// fully scaled down (spec or status replicas, or a generation not yet observed).
func historyToDelete(d *apps.Deployment, oldRSs []*apps.ReplicaSet) []*apps.ReplicaSet {
	if !hasRevisionHistoryLimit(d) {
		return nil
	}
	var alive []*apps.ReplicaSet
	for _, rs := range oldRSs {
		if rs != nil && rs.DeletionTimestamp == nil {
			alive = append(alive, rs)
		}
	}
	diff := len(alive) - int(*d.Spec.RevisionHistoryLimit)
	if diff <= 0 {
		return nil
	}
	slices.SortStableFunc(alive, byRevision)
	var out []*apps.ReplicaSet
	for _, rs := range alive[:diff] {
		if rs.Status.Replicas != 0 || replicasOf(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		out = append(out, rs)
	}
	return out
}
