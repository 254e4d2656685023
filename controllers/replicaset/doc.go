// Package replicaset is the ReplicaSet controller: it keeps spec.replicas pods matching each
// ReplicaSet's selector running, as Kubernetes' does (../shared/spec/replicaset.md). It is
// built only on the public controller, client and informer APIs, like a controller of your
// own, and on the shared pieces in controllers/internal (podcontrol, expectations,
// controllerref).
//
// # Wiring
//
//	if err := replicaset.Add(mgr, replicaset.Options{}); err != nil { ... }
//
// Add registers the controller on the manager: five workers, the default controller rate
// limiter (failures are retried for ever with back-off), ReplicaSet and pod informers shared
// with every other controller, each with the controller-UID index.
//
// # Events to keys (controller.go, spec §2)
//
//   - A ReplicaSet added, changed or deleted queues its own key. A deleted ReplicaSet, or one
//     replaced by a new object under the same name, forgets its expectations.
//   - A pod with a controller reference wakes only the ReplicaSet it names (looked up by name,
//     kind and UID checked). Its creation is observed in that ReplicaSet's expectations; its
//     deletion — or the moment it starts terminating, so that the replacement is created
//     without waiting for the grace period — too, once per pod (by UID).
//   - An orphan pod wakes every ReplicaSet of its namespace whose selector matches it, so that
//     one adopts it; a pod whose controller reference changes wakes the old owner as well.
//   - A pod that becomes ready wakes its owner again after minReadySeconds + 1 s, when it
//     becomes available.
//
// # The sync (sync.go, spec §3)
//
//  1. Read the ReplicaSet from the cache; if it is gone, forget its expectations: done.
//  2. needsSync := the expectations are satisfied. This is checked before the pods are
//     listed: a pod observed after the check is then in the list.
//  3. List the candidate pods from the cache: those the selector matches in the namespace and
//     those the ReplicaSet controls (found through the controller-UID index). Keep the active
//     ones (not Succeeded or Failed, not terminating); count the terminating ones it owns.
//  4. Claim the active pods (controllerref): adopt matching orphans (after one uncached read
//     confirming the ReplicaSet still exists and is not being deleted), release owned pods
//     whose labels stopped matching, ignore pods of other controllers. Owned pods that still
//     match are kept as they are without going through the claimer. A claim error fails the
//     sync.
//  5. If needsSync and the ReplicaSet is not being deleted, manage the replicas:
//     diff = owned active pods − spec.replicas.
//     - diff < 0: n = min(−diff, 500). Expect n creations, then create pods from the template
//     in slow-start batches of 1, 2, 4, ... (all of a batch at once; a batch with a failure
//     ends the sync). Creations that failed or were never attempted are taken back from the
//     expectations. A namespace that is terminating is not an error.
//     - diff > 0: n = min(diff, 500). Rank the pods (unscheduled, then Pending, not ready,
//     lower deletion cost, crowded nodes — counted over the pods of every ReplicaSet of the
//     same owner —, recently ready, restarted, newer; see podcontrol.RankedPods), expect the
//     deletion of the first n by UID, and delete them at once. Failed deletions are taken back;
//     NotFound is not an error.
//  6. Compute the status from the owned active pods (status.go, spec §5): replicas,
//     fullyLabeledReplicas (pods carrying every template label), readyReplicas,
//     availableReplicas (ready for more than minReadySeconds, on the clock),
//     terminatingReplicas, and the ReplicaFailure condition — added with reason FailedCreate
//     or FailedDelete and the error's text when the manage step failed, removed when it did
//     not. Write it, with observedGeneration, unless unchanged; a failed write is retried once
//     on a fresh read.
//  7. Return the manage step's error (a rate-limited retry). Otherwise, if every pod is ready
//     but not all available yet, sync again after minReadySeconds.
//
// Every read comes from the informer caches, every write goes through the client; cached
// objects are never modified.
//
// # Differences from Kubernetes, on purpose
//
//   - Step 3 lists the pods the selector matches plus those the ReplicaSet controls, instead
//     of every pod of the namespace: the same claims, without scanning unrelated pods.
//   - Expectations track deletions by pod UID (see package expectations).
//   - Adoption and release re-read the pod and update it instead of patching (see package
//     controllerref).
//   - The status always reports terminatingReplicas (the DeploymentReplicaSetTerminatingReplicas
//     gate, beta and on by default in Kubernetes 1.35, is fixed on), and the pod ranking uses
//     the PodDeletionCost and LogarithmicScaleDown behaviours (both on by default).
//   - Options.Recorder lets an embedding program send events elsewhere; the default is the
//     manager's recorder, whose writer aggregates identical events but has no spam filter, so
//     every "Created pod" event is written.
package replicaset
