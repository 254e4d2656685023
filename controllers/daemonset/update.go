package daemonset

import (
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
)

// This file plans a round of a RollingUpdate (../shared/spec/daemonset.md §5). The plan is
// pure: which pods to delete and on which nodes to create a pod, from the nodes, the pods
// per node, the current hash and the clock. The sync carries it out with syncNodes.

// view is one sync's picture of a DaemonSet: its nodes, its pods per node, the current
// revision's hash and template generation, and the time.
type view struct {
	ds         *apps.DaemonSet
	place      *placement
	nodes      []*core.Node           // every node, sorted by name
	byName     map[string]*core.Node  // the same, by name
	nodePods   map[string][]*core.Pod // daemon pods by target node, oldest first
	hash       string
	generation *int64
	now        time.Time
}

// available reports whether pod has been Ready for minReadySeconds.
func (v *view) available(pod *core.Pod) bool {
	return core.IsPodAvailable(pod, v.ds.Spec.MinReadySeconds, v.now)
}

// updatedAndOld returns the at most one updated and one outdated pod not being deleted on a
// node; ok is false when there are more (the manage pass prunes them first).
func (v *view) updatedAndOld(pods []*core.Pod) (updated, old *core.Pod, ok bool) {
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if isUpdated(p, v.hash, v.generation) {
			if updated != nil {
				return nil, nil, false
			}
			updated = p
		} else {
			if old != nil {
				return nil, nil, false
			}
			old = p
		}
	}
	return updated, old, true
}

// budgets returns the number of nodes that should run the pod and the maxSurge and
// maxUnavailable counts for them: percentages round up; both zero means maxUnavailable 1.
func (v *view) budgets() (desired, maxSurge, maxUnavailable int) {
	for _, n := range v.nodes {
		if run, _ := v.place.shouldRun(n); run {
			desired++
		}
	}
	if ru := v.ds.Spec.UpdateStrategy.RollingUpdate; ru != nil && v.ds.Spec.UpdateStrategy.Type == apps.RollingUpdateDaemonSetStrategyType {
		if ru.MaxUnavailable != nil {
			maxUnavailable, _ = intstr.ScaledValue(ru.MaxUnavailable, desired, true)
		}
		if ru.MaxSurge != nil {
			maxSurge, _ = intstr.ScaledValue(ru.MaxSurge, desired, true)
		}
	}
	if desired > 0 && maxSurge == 0 && maxUnavailable == 0 {
		maxUnavailable = 1
	}
	return desired, maxSurge, maxUnavailable
}

// planRollingUpdate returns what one round of a rolling update does. Nodes are considered in
// name order (Kubernetes walks a map), so the choice of candidates is deterministic.
//
// Without surge (delete, then the manage pass creates): a node with no pod, with an old and a
// new pod, or whose new pod is not available counts as unavailable; an old pod that is not
// available is replaced at once and counts as unavailable too; the other old pods are
// candidates, deleted while fewer than maxUnavailable nodes are unavailable.
//
// With surge (create, then delete): a node whose old pod is not available gets a new pod at
// once; other nodes with only an old pod are candidates for a new pod while fewer than
// maxSurge nodes are surging (a node whose new pod is not yet available surges); once a new
// pod is available its old pod is deleted. Old pods on nodes that should no longer run the
// pod are deleted only while more pods are available than nodes need one.
func (v *view) planRollingUpdate() (toDelete []*core.Pod, toCreate []string) {
	desired, maxSurge, maxUnavailable := v.budgets()
	nodes := v.nodesWithPods()
	if maxSurge == 0 {
		unavailable := 0
		var candidates []*core.Pod
		for _, name := range nodes {
			updated, old, ok := v.updatedAndOld(v.nodePods[name])
			switch {
			case !ok:
				unavailable++
			case (old == nil) == (updated == nil):
				unavailable++ // nothing yet, or both: manage sorts it out
			case updated != nil:
				if !v.available(updated) {
					unavailable++
				}
			case !v.available(old):
				toDelete = append(toDelete, old)
				unavailable++
			case unavailable < maxUnavailable:
				candidates = append(candidates, old)
			}
		}
		n := min(max(maxUnavailable-unavailable, 0), len(candidates))
		return append(toDelete, candidates[:n]...), nil
	}

	surging, availableCount := 0, 0
	var candidates []string
	var unwanted []*core.Pod // old pods on nodes that should not run the pod any more
	for _, name := range nodes {
		updated, old, ok := v.updatedAndOld(v.nodePods[name])
		if !ok {
			surging++
			continue
		}
		switch {
		case old != nil && v.available(old), old == nil && updated != nil && v.available(updated):
			availableCount++
		}
		switch {
		case old == nil:
			// manage creates or keeps what the node needs
		case updated == nil:
			run := v.shouldRunByName(name)
			switch {
			case !v.available(old) && !run:
				toDelete = append(toDelete, old)
			case !v.available(old):
				toCreate = append(toCreate, name)
			case !run:
				unwanted = append(unwanted, old)
			case surging < maxSurge:
				candidates = append(candidates, name)
			}
		case !v.available(updated):
			surging++
		default:
			toDelete = append(toDelete, old)
		}
	}
	if extra := min(availableCount-desired, len(unwanted)); extra > 0 {
		toDelete = append(toDelete, unwanted[:extra]...)
	}
	n := min(max(maxSurge-surging, 0), len(candidates))
	return toDelete, append(toCreate, candidates[:n]...)
}

// nodesWithPods returns, in name order, the nodes that should run the pod and those that have
// daemon pods.
func (v *view) nodesWithPods() []string {
	var out []string
	seen := make(map[string]bool, len(v.nodes))
	for _, n := range v.nodes {
		seen[n.Name] = true
		if _, has := v.nodePods[n.Name]; has {
			out = append(out, n.Name)
			continue
		}
		if run, _ := v.place.shouldRun(n); run {
			out = append(out, n.Name)
		}
	}
	var gone []string
	for name := range v.nodePods {
		if !seen[name] {
			gone = append(gone, name) // pods on vanished nodes: manage deletes them
		}
	}
	slices.Sort(gone)
	return append(out, gone...)
}

// shouldRunByName reports whether the named node exists and should run the pod.
func (v *view) shouldRunByName(name string) bool {
	n, ok := v.byName[name]
	if !ok {
		return false
	}
	run, _ := v.place.shouldRun(n)
	return run
}
