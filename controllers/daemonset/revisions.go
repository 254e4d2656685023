package daemonset

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

// constructHistory finds or makes the revision of ds's current template and returns it with
// the other revisions, oldest first (../shared/spec/daemonset.md §6). Revisions missing the
// hash label get their name as its value. A revision matching the template is reused, the
// newest if several do (the others are deleted, their pods relabelled), and renumbered newest
// if it is not (a rollback); otherwise one is created, bumping *collisionCount on name
// collisions.
func (r *Reconciler) constructHistory(ctx context.Context, ds *apps.DaemonSet, ref meta.OwnerReference, selector labels.Selector, canAdopt func(context.Context) error, collisionCount *int32) (*apps.ControllerRevision, []*apps.ControllerRevision, error) {
	revs, err := r.history.Claim(ctx, ds, ref, selector, canAdopt)
	if err != nil {
		return nil, nil, fmt.Errorf("claiming revisions: %w", err)
	}
	data, err := history.TemplatePatch(&ds.Spec.Template)
	if err != nil {
		return nil, nil, err
	}
	var matching, old []*apps.ControllerRevision
	for _, rev := range revs {
		if _, ok := rev.Labels[apps.DefaultDaemonSetUniqueLabelKey]; !ok {
			if rev, err = r.history.Relabel(ctx, rev, apps.DefaultDaemonSetUniqueLabelKey, rev.Name); err != nil {
				return nil, nil, err
			}
		}
		if string(rev.Data.Raw) == string(data) {
			matching = append(matching, rev)
		} else {
			old = append(old, rev)
		}
	}
	next := history.MaxRevision(old) + 1
	var cur *apps.ControllerRevision
	if len(matching) == 0 {
		hashFn := func(cc *int32) string { return history.HashTemplate(&ds.Spec.Template, cc) }
		rev := history.New(ds, ref, apps.DefaultDaemonSetUniqueLabelKey, hashFn(collisionCount), ds.Spec.Template.Labels, data, next)
		if cur, err = r.history.Create(ctx, rev, apps.DefaultDaemonSetUniqueLabelKey, collisionCount, hashFn); err != nil {
			return nil, nil, fmt.Errorf("creating revision: %w", err)
		}
		return cur, old, nil
	}
	if cur, err = r.dedupRevisions(ctx, ds, matching); err != nil {
		return nil, nil, err
	}
	if cur.Revision < next {
		if cur, err = r.history.Renumber(ctx, cur, next); err != nil {
			return nil, nil, err
		}
	}
	return cur, old, nil
}

// dedupRevisions keeps the newest of several revisions of the same template: the pods of the
// others are relabelled with its hash, then the others are deleted.
func (r *Reconciler) dedupRevisions(ctx context.Context, ds *apps.DaemonSet, revs []*apps.ControllerRevision) (*apps.ControllerRevision, error) {
	if len(revs) == 1 {
		return revs[0], nil
	}
	keep := slices.MaxFunc(revs, history.Compare)
	keepHash := keep.Labels[apps.DefaultDaemonSetUniqueLabelKey]
	var errs []error
	for _, rev := range revs {
		if rev == keep {
			continue
		}
		sel := labels.SelectorFromSet(labels.Set{apps.DefaultDaemonSetUniqueLabelKey: rev.Labels[apps.DefaultDaemonSetUniqueLabelKey]})
		for _, pod := range r.podLister.Namespace(ds.Namespace).List(sel) {
			if !meta.IsControlledBy(pod, ds) {
				continue
			}
			_, err := client.GuaranteedUpdate(ctx, r.pods, pod.Namespace, pod.Name, func(p *core.Pod) error {
				if p.Labels == nil {
					p.Labels = map[string]string{}
				}
				p.Labels[apps.DefaultDaemonSetUniqueLabelKey] = keepHash
				return nil
			})
			if err != nil && !store.IsNotFound(err) {
				errs = append(errs, err)
			}
		}
		if len(errs) == 0 {
			if err := r.history.Delete(ctx, rev); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return keep, errors.Join(errs...)
}

// cleanupHistory deletes the oldest revisions of old beyond revisionHistoryLimit, sparing any
// whose hash a pod of ds still carries.
func (r *Reconciler) cleanupHistory(ctx context.Context, ds *apps.DaemonSet, nodePods map[string][]*core.Pod, old []*apps.ControllerRevision) error {
	limit := int(apps.DefaultRevisionHistoryLimit)
	if ds.Spec.RevisionHistoryLimit != nil {
		limit = int(*ds.Spec.RevisionHistoryLimit)
	}
	if len(old) <= limit {
		return nil
	}
	live := map[string]bool{}
	for _, pods := range nodePods {
		for _, p := range pods {
			if h := p.Labels[apps.DefaultDaemonSetUniqueLabelKey]; h != "" {
				live[h] = true
			}
		}
	}
	sorted := slices.Clone(old)
	history.Sort(sorted)
	// Unlike a StatefulSet's, a DaemonSet's live revisions count toward the limit
	// (Kubernetes' cleanupHistory): delete the oldest unused ones until old fits.
	toKill := len(old) - limit
	var errs []error
	for _, rev := range sorted {
		if toKill <= 0 {
			break
		}
		if live[rev.Labels[apps.DefaultDaemonSetUniqueLabelKey]] {
			continue
		}
		if err := r.history.Delete(ctx, rev); err != nil {
			errs = append(errs, err)
		}
		toKill--
	}
	return errors.Join(errs...)
}
