// Package daemonset is the DaemonSet controller: it runs one copy of a pod on every node that
// should run it — nodes that match the template's nodeSelector and required node affinity,
// and whose taints the pod tolerates — and rolls template changes out node by node
// (../shared/spec/daemonset.md). Add registers it with a manager:
//
//	if err := daemonset.Add(mgr, daemonset.Options{}); err != nil { ... }
//
// # Events to requests (controller.go)
//
// A DaemonSet's own changes queue it (a deleted or replaced one forgets its expectations). A
// pod or ControllerRevision with a controller reference wakes only the DaemonSet it names,
// after the pod's creation or deletion is counted against the expectations; an orphan wakes
// every DaemonSet whose selector matches it, so that one adopts it (objects.md §4). A pod
// that becomes Ready wakes its owner again minReadySeconds (plus a second) later. A new node
// wakes the DaemonSets that should run on it; a change of a node's labels or taints wakes
// those for which the node's verdict changed; a deleted node wakes those that had a pod
// there. Node status and heartbeats wake nobody.
//
// # Which nodes (nodes.go)
//
// shouldRun decides, per node, whether a new daemon pod belongs there (shouldRun) and
// whether an existing one may stay (shouldContinue): a template bound to another node, an
// unmatched nodeSelector or required node affinity rule out both; an untolerated NoSchedule
// or NoExecute taint rules out a new pod, and an untolerated NoExecute taint an existing one
// too. Every daemon pod tolerates, on top of its template's tolerations,
// not-ready and unreachable (NoExecute), disk-, memory- and pid-pressure and unschedulable
// (NoSchedule), and network-unavailable for hostNetwork pods: daemon pods run on cordoned and
// failing nodes. Resources and ports are not checked.
//
// # The sync, step by step (sync.go, revisions.go, update.go, status.go)
//
//  1. Read the DaemonSet from the cache; one that is gone forgets its expectations. An
//     invalid selector, or one that selects everything (Warning SelectingAll), or a
//     DaemonSet being deleted, is left alone.
//  2. History (§6): claim the ControllerRevisions; give those without a
//     controller-revision-hash label their name as hash. The revision whose data is the
//     current template (the patch {"spec":{"template":{"$patch":"replace",...}}}) is the
//     current one — the newest if several are (the others are deleted, their pods
//     relabelled), renumbered above the others if it is not the newest (a rollback). Without one, a
//     revision "<ds>-<hash>" is created, hash being the FNV-1a of the template and
//     status.collisionCount; a name taken by other data bumps the collision count. Its hash
//     labels the new pods, with pod-template-generation (the server-maintained template
//     generation annotation); a pod is up to date if either label matches.
//  3. Check the expectations of the last sync's creations and deletions — before listing the
//     pods, so that a pod seen after the check is in the list — then claim the pods
//     (adopting matching orphans, releasing strays) and map them to their nodes by
//     spec.nodeName, oldest first; pods that finished and are being deleted are left out.
//  4. If the expectations are not met, the cache does not show the last sync's writes yet:
//     only write status, without raising observedGeneration.
//  5. Manage, node by node: a node that should run the pod and has none needs one; on a
//     node where pods may stay, pods being deleted are ignored, Failed pods are deleted (with
//     a per-node exponential back-off of 1 s to 15 min, during which the DaemonSet is looked
//     at again when it ends; Warning FailedDaemonPod), Succeeded pods are deleted
//     (SucceededDaemonPod), and of the rest all but the oldest are deleted — when surging,
//     the oldest updated and the oldest outdated pod are kept, the outdated one until it is
//     not Ready or the updated one is available; on a node where no pod may stay, every pod
//     is deleted. Pods on nodes that no longer exist are deleted with a zero grace period.
//  6. Write: at most Options.BurstReplicas creations and as many deletions, recorded as
//     expectations first. Creations run in slow-start batches (1, 2, 4, …) and stop after a
//     batch with a failure; deletions run in parallel; failed and skipped writes are given
//     back to the expectations.
//  7. RollingUpdate, once the expectations are met (planRollingUpdate). maxSurge and
//     maxUnavailable resolve against the number of nodes that should run the pod,
//     percentages rounding up; both zero means maxUnavailable 1. Nodes are taken in name
//     order.
//     Without surge: a node without a pod, with an old and a new pod, with more than one of
//     either, or whose new pod is not available, is unavailable; an old pod that is not
//     available is replaced at once (and the node counts as unavailable); the other old
//     pods are deleted while fewer than maxUnavailable nodes are unavailable. Step 5 of the
//     next sync creates their replacements.
//     With surge: a node whose old pod is not available gets a new pod at once; other nodes
//     with only an old pod get one while fewer than maxSurge nodes surge (a node whose new
//     pod is not yet available surges); an old pod is deleted once the new pod beside it is
//     available. Old pods on nodes that should no longer run the pod go only while more pods
//     are available than nodes need.
//     OnDelete does nothing here: pods are replaced when someone deletes them.
//  8. History clean-up: of the old revisions, the oldest beyond revisionHistoryLimit whose
//     hash no pod carries are deleted.
//  9. Status (§7), over the nodes: desiredNumberScheduled (should run),
//     currentNumberScheduled (of those, with a pod), numberMisscheduled (should not run, have
//     a pod), numberReady, numberAvailable and updatedNumberScheduled (of the desired nodes,
//     by their oldest pod), numberUnavailable (desired − available), observedGeneration,
//     collisionCount; written only when it changed. A DaemonSet with minReadySeconds whose
//     ready and available counts differ is looked at again minReadySeconds later.
//
// # Differences from Kubernetes, on purpose
//
//   - Daemon pods are bound at creation: spec.nodeName is the node, and the scheduler never
//     sees them (Kubernetes since 1.12 sets a metadata.name matchFields node affinity and
//     lets the default scheduler bind them). So the node's resources are not checked, as
//     before 1.12 — skiff's simulated kubelets do no admission either. Pods bound either way
//     are recognised.
//   - Pods on nodes that no longer exist are deleted by the controller, with a zero grace
//     period, whether bound or not: skiff has no pod garbage collector.
//   - A hash collision bumps status.collisionCount and retries within the same sync
//     (package history) instead of failing the sync after writing the count.
//   - Candidates for a rolling update are taken in node name order, not map order, and the
//     rolling update plans from the same picture of pods as the manage pass of its sync
//     (it only runs when that pass changed nothing).
//   - Template hashes are FNV-1a of the template's JSON, so their values differ from
//     Kubernetes'.
package daemonset
