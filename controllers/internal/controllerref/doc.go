// Package controllerref implements ownership for the workload controllers
// (../shared/spec/objects.md §4): claiming the objects a controller owns — adopting matching
// orphans, releasing owned objects that stopped matching — and resolving a controller
// reference back to its owner in event handlers. It is Kubernetes' ControllerRefManager
// (pkg/controller/controller_ref_manager.go), generic in the kind claimed, for pods
// (ReplicaSet, Job, DaemonSet, StatefulSet), ReplicaSets (Deployment) and ControllerRevisions.
//
// # Basics
//
// A sync lists the candidates from an informer cache and claims them:
//
//	ref := controllerref.NewControllerRef(rs, scheme.ReplicaSetGVK)
//	claimer := controllerref.NewClaimer(pods, ref, selector, controllerref.Options[*core.Pod]{
//		Namespace: rs.Namespace,
//		Deleting:  rs.DeletionTimestamp != nil,
//		CanAdopt:  controllerref.RecheckDeletion(replicaSets, rs), // one uncached GET, at most
//	})
//	owned, err := claimer.Claim(ctx, candidates)
//
// For each candidate, Claim decides:
//
//   - controlled by another owner (by UID): ignored, even if its labels match;
//   - controlled by this owner and matching: kept;
//   - controlled by this owner and no longer matching: released (the owner reference is
//     removed), unless the owner is being deleted; not kept either way;
//   - an orphan that matches, is not being deleted, is in the owner's namespace, while the
//     owner is not being deleted: adopted (the controller reference is added), once CanAdopt
//     has confirmed, with a fresh read, that the owner still exists and is not being deleted.
//
// Adoption and release are read-modify-write updates (client.GuaranteedUpdate) that re-check
// the object as stored: an object that meanwhile got another controller, started terminating,
// changed its labels or vanished is left alone. NotFound is never an error. Other failures
// are returned together, after every candidate was looked at; the objects claimed are
// returned either way.
//
// Resolve turns a controller reference into the owner from a lister (kind, group and UID
// checked), for event handlers that map an owned object to its owner's key.
//
// # Differences from Kubernetes, on purpose
//
//   - Adoption and release update the object with a fresh read instead of sending a
//     strategic-merge patch (skiff has none), re-checking the claim conditions on what is
//     stored: the same outcome, and an object adopted concurrently by someone else is
//     skipped instead of failing with Invalid.
//   - The adopted object returned is the updated one rather than the cached one.
package controllerref
