package statefulset

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/history"
)

// revisions are what a sync knows of a set's ControllerRevisions.
type revisions struct {
	current, update *apps.ControllerRevision
	// currentSet and updateSet are the set with the template of the current and the update
	// revision: pods are made from them.
	currentSet, updateSet *apps.StatefulSet
	collisionCount        int32
}

// resolveRevisions finds or makes the update revision of set — the revision of its template
// — and finds the current one (../shared/spec/statefulset.md §3): the candidate revision is
// reused when it equals the newest existing one, an equal older one is renumbered newest (a
// rollback), otherwise it is created, bumping the collision count on name collisions. The
// current revision is the one status.currentRevision names if it still exists, else the
// update revision. revs are set's revisions, oldest first; set is read-only.
func (r *Reconciler) resolveRevisions(ctx context.Context, set *apps.StatefulSet, ref meta.OwnerReference, revs []*apps.ControllerRevision) (*revisions, error) {
	out := &revisions{collisionCount: deref(set.Status.CollisionCount)}
	data, err := history.TemplatePatch(&set.Spec.Template)
	if err != nil {
		return nil, err
	}
	hashFn := func(cc *int32) string { return history.HashData(data, cc) }
	cc := out.collisionCount
	candidate := history.New(set, ref, apps.ControllerRevisionHashLabel, hashFn(&cc), set.Spec.Template.Labels, data, history.NextRevision(revs))
	equal := history.FindEqual(revs, candidate)
	switch {
	case len(equal) > 0 && history.Equal(revs[len(revs)-1], equal[len(equal)-1]):
		out.update = revs[len(revs)-1] // the template did not change
	case len(equal) > 0:
		out.update, err = r.history.Renumber(ctx, equal[len(equal)-1], candidate.Revision)
	default:
		out.update, err = r.history.Create(ctx, candidate, apps.ControllerRevisionHashLabel, &cc, hashFn)
		out.collisionCount = cc
	}
	if err != nil {
		return nil, fmt.Errorf("update revision: %w", err)
	}
	for _, rev := range revs {
		if rev.Name == set.Status.CurrentRevision {
			out.current = rev
			break
		}
	}
	if out.current == nil {
		out.current = out.update
	}
	if out.currentSet, err = applyRevision(set, out.current); err != nil {
		return nil, err
	}
	if out.updateSet, err = applyRevision(set, out.update); err != nil {
		return nil, err
	}
	return out, nil
}

// applyRevision returns a copy of set with the template rev records.
func applyRevision(set *apps.StatefulSet, rev *apps.ControllerRevision) (*apps.StatefulSet, error) {
	tmpl, err := history.TemplateFromPatch(rev.Data.Raw)
	if err != nil {
		return nil, fmt.Errorf("revision %s: %w", rev.Name, err)
	}
	out := set.DeepCopyObject().(*apps.StatefulSet)
	out.Spec.Template = *tmpl
	return out, nil
}

// truncateHistory deletes the oldest revisions beyond revisionHistoryLimit that are neither
// current, update, nor named by a pod's revision label.
func (r *Reconciler) truncateHistory(ctx context.Context, set *apps.StatefulSet, pods []*core.Pod, revs []*apps.ControllerRevision, rv *revisions) error {
	live := map[string]bool{}
	if rv != nil {
		live[rv.current.Name] = true
		live[rv.update.Name] = true
	}
	for _, p := range pods {
		live[revisionOf(p)] = true
	}
	limit := int(apps.DefaultRevisionHistoryLimit)
	if set.Spec.RevisionHistoryLimit != nil {
		limit = int(*set.Spec.RevisionHistoryLimit)
	}
	return r.history.Truncate(ctx, revs, func(rev *apps.ControllerRevision) bool { return live[rev.Name] }, limit)
}
