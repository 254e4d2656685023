package deployment

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
)

// Event reasons of the legacy rollback (../shared/spec/deployment.md §9).
const (
	RollbackRevisionNotFound  = "DeploymentRollbackRevisionNotFound"
	RollbackTemplateUnchanged = "DeploymentRollbackTemplateUnchanged"
	RollbackDone              = "DeploymentRollback"
)

// rollbackTo returns the revision the deprecated.deployment.rollback.to annotation asks for
// (0: the previous one), and whether it is set to an integer. Anything else is ignored.
func rollbackTo(d *apps.Deployment) (int64, bool) {
	v := d.Annotations[apps.DeprecatedRollbackTo]
	if v == "" {
		return 0, false
	}
	rev, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return rev, true
}

// rollback carries out the legacy rollback request (spec §9): the template of the ReplicaSet
// with the requested revision (0: the revision before the current one) is copied, without its
// pod-template-hash label, into the Deployment, with that ReplicaSet's annotations; the request
// is removed in the same write. The next sync then finds that ReplicaSet as the new one and
// gives it the next revision. A revision that cannot be found, or whose template is already
// the Deployment's, only removes the request, with a Warning event.
//
// The usual way to roll back — `kubectl rollout undo`, `skiff rollout undo` — needs none of
// this: it writes the old template into the Deployment, and the rollout does the rest.
func (s *syncer) rollback() error {
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(true)
	if err != nil {
		return err
	}
	allRSs := withNew(oldRSs, newRS)
	target, _ := rollbackTo(s.d)
	if target == 0 {
		if target = lastRevision(allRSs); target == 0 {
			s.recorder.Event(s.d, core.EventTypeWarning, RollbackRevisionNotFound, "Unable to find last revision.")
			return s.clearRollbackTo(nil)
		}
	}
	for _, rs := range allRSs {
		v, err := revision(rs)
		if err != nil || v != target {
			continue
		}
		if EqualIgnoreHash(&s.d.Spec.Template, &rs.Spec.Template) {
			s.recorder.Event(s.d, core.EventTypeWarning, RollbackTemplateUnchanged,
				fmt.Sprintf("The rollback revision contains the same template as current deployment %q", s.d.Name))
			return s.clearRollbackTo(nil)
		}
		err = s.clearRollbackTo(func(d *apps.Deployment) {
			d.Spec.Template = *rs.Spec.Template.DeepCopy()
			d.Spec.Template.Labels = maps.Clone(rs.Spec.Template.Labels)
			delete(d.Spec.Template.Labels, apps.DefaultDeploymentUniqueLabelKey)
			// The ReplicaSet's annotations come back with its template: they describe it
			// (a change-cause, say), and would otherwise be overwritten by the current ones.
			setDeploymentAnnotationsTo(d, rs)
		})
		if err == nil {
			s.recorder.Event(s.d, core.EventTypeNormal, RollbackDone, fmt.Sprintf("Rolled back deployment %q to revision %d", s.d.Name, target))
		}
		return err
	}
	s.recorder.Event(s.d, core.EventTypeWarning, RollbackRevisionNotFound, "Unable to find the revision to rollback to.")
	return s.clearRollbackTo(nil)
}

// clearRollbackTo writes the Deployment changed by change (if not nil) without the rollback
// request.
func (s *syncer) clearRollbackTo(change func(*apps.Deployment)) error {
	return s.updateDeployment(func(d *apps.Deployment) {
		if change != nil {
			change(d)
		}
		if _, ok := d.Annotations[apps.DeprecatedRollbackTo]; ok {
			d.Annotations = maps.Clone(d.Annotations)
			delete(d.Annotations, apps.DeprecatedRollbackTo)
		}
	})
}
