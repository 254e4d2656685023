// Package deployment is the Deployment controller: it rolls a Deployment's pod template out
// through ReplicaSets — one per template — as Kubernetes' does
// (../shared/spec/deployment.md). It never touches pods: it sizes ReplicaSets, and the
// ReplicaSet controller (package replicaset) creates and deletes the pods. Like a controller of
// your own, it is built only on the public controller, client and informer APIs, and on the
// shared pieces in controllers/internal (controllerref, podcontrol).
//
// # Wiring
//
//	if err := deployment.Add(mgr, deployment.Options{}); err != nil { ... }
//
// Add registers the controller on the manager: five workers (Kubernetes'
// --concurrent-deployment-syncs), Deployment, ReplicaSet and pod informers shared with every
// other controller, the ReplicaSet and pod informers with the controller-UID index.
//
// # Events to keys (controller.go)
//
//   - A Deployment added, changed or deleted queues its own key.
//   - A ReplicaSet with a controller reference wakes the Deployment it names (looked up by
//     name, kind and UID checked); an orphan wakes every Deployment of its namespace whose
//     selector matches it, so that one adopts it; a changed controller reference wakes the old
//     owner too. Status changes count: they are how a rollout learns that pods became
//     available.
//   - Pods matter only to Recreate: the deletion of the last pod of a Recreate Deployment's
//     ReplicaSets wakes it, since it waits for exactly that.
//
// # The sync, step by step (sync.go, spec §5)
//
//  1. Read the Deployment from the cache (gone: done, the garbage collector removes its
//     ReplicaSets and pods). A selector {} that would select everything gets a Warning
//     SelectingAll event and only its observedGeneration raised.
//  2. Claim the ReplicaSets (controllerref): adopt matching orphans, release owned ones that
//     stopped matching. The candidates are the ReplicaSets the selector matches and those the
//     Deployment controls.
//  3. A Deployment being deleted only gets its status recomputed.
//  4. Pausing and resuming are recorded in the Progressing condition (Unknown,
//     DeploymentPaused or DeploymentResumed), unless it already says
//     ProgressDeadlineExceeded — so that the time spent paused never counts against the
//     deadline.
//  5. Paused: scale only (step 8) and clean up history (step 11); no rollout progress.
//  6. A deprecated.deployment.rollback.to annotation: roll back (step 10), nothing else.
//  7. A scaling event — an active ReplicaSet (spec.replicas > 0) whose desired-replicas
//     annotation differs from the Deployment's replicas — is scaled (step 8). Otherwise the
//     strategy rolls out: RollingUpdate (step 6) or Recreate (step 7).
//  8. Errors are retried with back-off, 15 times in a row at most (MaxRetries): then the key
//     is dropped until the Deployment's next event. A terminating namespace is not retried.
//
// # New and old ReplicaSets, hash and revisions (newrs.go, replicasets.go, annotations.go)
//
// The "new" ReplicaSet is the oldest (by creationTimestamp, then name) whose template equals
// the Deployment's apart from the pod-template-hash label; every other one is old. When a
// rollout needs a new ReplicaSet and none exists, it is created named
// <deployment>-<pod-template-hash>, the hash (ComputeHash: FNV-1a of the template, plus
// status.collisionCount when set, spelled in SafeEncodeString's alphabet) added to its labels,
// selector and template labels, controlled by the Deployment, with minReadySeconds copied.
// Creating it records "Scaled up replica set web-5d4f8 to 3", sets the Deployment's revision
// annotation and Progressing=True NewReplicaSetCreated. If the name is taken by a ReplicaSet
// of this Deployment with this template, that one is used (a slow cache); by anything else,
// status.collisionCount is raised so that the next sync hashes differently. Other failures set
// Progressing=False ReplicaSetCreateError. An existing new ReplicaSet found while the
// Deployment has no Progressing condition sets Progressing=True FoundNewReplicaSet.
//
// Revisions: the new ReplicaSet's deployment.kubernetes.io/revision is the highest revision
// of the old ones + 1. An old ReplicaSet that becomes new again (a rollback) moves up to that
// number, its former one appended to its revision-history (2,000 characters at most, oldest
// dropped). The Deployment carries its new ReplicaSet's revision. Every annotation of the
// Deployment but the controller's own, kubectl's last-applied-configuration and the rollback
// request is copied to the new ReplicaSet. Each write that sizes a ReplicaSet also sets its
// desired-replicas (the Deployment's replicas) and max-replicas (replicas + maxSurge)
// annotations, which proportional scaling reads.
//
// # RollingUpdate (rolling.go, spec §2, §6)
//
// maxSurge and maxUnavailable resolve against the Deployment's replicas (ResolveFenceposts):
// a surge percentage rounds up, an unavailability percentage rounds down, and when both come
// out 0, maxUnavailable is 1 (25%/25% of 10: surge 3, unavailable 2; of 1: surge 1,
// unavailable 0). MaxUnavailable is never more than the replicas; both are 0 for Recreate.
//
//  1. Find or create the new ReplicaSet; a created one starts at NewRSNewReplicas.
//  2. Scale the new ReplicaSet: down to the replicas at once if it has more; else up to
//     NewRSNewReplicas = new + min(replicas + maxSurge − Σ spec.replicas, replicas − new),
//     unchanged when Σ spec.replicas has reached replicas + maxSurge. If it scaled: status,
//     done.
//  3. Scale the active old ReplicaSets down, within maxScaledDown = Σ spec.replicas −
//     (replicas − maxUnavailable) − (new spec.replicas − new availableReplicas): first their
//     unavailable replicas (oldest ReplicaSet first, each by min(budget left, spec −
//     available)), which costs no availability; then available ones, oldest first, by what
//     Σ availableReplicas exceeds replicas − maxUnavailable. If anything scaled: status, done.
//  4. Once complete (step 12), clean up history (step 11). Status.
//
// With 10 replicas and 25%/25% a template change goes new 3 (13 in all), old 8, new 5, old 5,
// new 8, old 3, new 10, old 0: TestRollingUpdateArithmetic walks it.
//
// # Recreate (recreate.go, spec §7)
//
//  1. Find the new ReplicaSet but do not create it. Scale every active old ReplicaSet to 0;
//     if any scaled: status, done.
//  2. While an old ReplicaSet still reports pods, or the cache holds a pod of one that has not
//     finished (Pending, Running or Unknown, terminating included): status, done. The last
//     pod's deletion wakes the Deployment.
//  3. Create the new ReplicaSet if needed and scale it to the replicas; once complete, clean
//     up history. Status. Old and new pods never run at once.
//
// # Proportional scaling (proportional.go, spec §8)
//
// A change of replicas in the middle of a rollout (or while paused) resizes every active
// ReplicaSet in proportion, rather than only the new or only the old ones, which would hasten
// the rollout or the damage of a broken template:
//
//  1. With at most one active ReplicaSet (none: the new one, else the newest old one), that
//     one gets the replicas.
//  2. A saturated new ReplicaSet (spec, desired-replicas annotation and available pods all
//     equal to the replicas) means the old active ones go to 0.
//  3. RollingUpdate with several active ones: allowed = replicas + maxSurge (0 for 0
//     replicas), toAdd = allowed − Σ spec.replicas. Largest first (newer first among equals
//     when adding, older first when removing), each ReplicaSet takes round(spec × allowed /
//     its max-replicas annotation) − spec, never more than what is left of toAdd; the first
//     takes the leftover, never going below 0. Old 8 + new 5 at max-replicas 13, scaled from
//     10 to 15 with surge 3: allowed 18, old 8→11, new 5→7.
//
// Recreate with several active ReplicaSets is left to the rollout.
//
// # Rollback (rollback.go, spec §9)
//
// Rolling back is a template change: `skiff rollout undo` (like kubectl's) writes an old
// ReplicaSet's template into the Deployment; that ReplicaSet becomes the new one again, keeps
// its pods' hash and moves to the next revision. The legacy annotation
// deprecated.deployment.rollback.to: "<revision>" (0: the one before the current) still
// works: the controller copies that ReplicaSet's template (without the hash label) and
// annotations into the Deployment and removes the request in the same write (Normal
// DeploymentRollback); a revision it cannot find, or whose template is already current, only
// removes the request (Warning DeploymentRollbackRevisionNotFound,
// DeploymentRollbackTemplateUnchanged).
//
// # History clean-up (newrs.go, spec §10)
//
// While paused (without a pending rollback) and once a rollout is complete, the old
// ReplicaSets beyond revisionHistoryLimit (unset or MaxInt32: keep all) are deleted, lowest
// revision first, skipping those being deleted and those not fully scaled down (spec or status
// replicas, or a generation not yet observed).
//
// # Status and conditions (status.go, progress.go, spec §11)
//
// The status sums the ReplicaSets: replicas, readyReplicas, availableReplicas and
// terminatingReplicas over all, updatedReplicas from the new one, unavailableReplicas =
// max(0, Σ spec.replicas − available), observedGeneration, collisionCount. It is written only
// when it differs.
//
//   - Available: True MinimumReplicasAvailable when available ≥ replicas − maxUnavailable,
//     else False MinimumReplicasUnavailable.
//   - Progressing (only with a progress deadline; progressDeadlineSeconds MaxInt32 removes
//     it): True NewReplicaSetAvailable once complete — every replica updated, none other
//     left, all available, the generation observed — and then left alone until the next
//     rollout; True ReplicaSetUpdated whenever updated, ready or available replicas grew or
//     old ones shrank (lastUpdateTime refreshed, lastTransitionTime kept); False
//     ProgressDeadlineExceeded when lastUpdateTime + progressDeadlineSeconds has passed
//     without progress. While nothing changes, the Deployment is synced again a second after
//     the deadline would pass: nothing else would wake it.
//   - ReplicaFailure: copied from the new ReplicaSet's, else any ReplicaSet's, ReplicaFailure
//     condition (pods that cannot be created), removed with it.
//
// # Differences from Kubernetes, on purpose
//
//   - The pod-template-hash is FNV-1a over the template's JSON, not over a spew dump of the
//     Go struct, and templates are compared in JSON (nil and empty collections equal): the
//     hashes differ from a real cluster's for the same template; only determinism and the
//     collision-count escape matter.
//   - A rolling update waits, before each step, until every ReplicaSet has carried out its
//     last scale-down (status.replicas ≤ spec.replicas). Kubernetes counts only
//     spec.replicas, so while the ReplicaSet controller is still deleting old pods it may
//     already create new ones and briefly run more than replicas + maxSurge pods; skiff keeps
//     the bound on the pods themselves, which TestRollingUpdateInvariants checks at every pod
//     event.
//   - A sync is skipped while the cache has not yet caught up with the controller's own last
//     write of the Deployment (it would only conflict); the write's own event brings the
//     Deployment back.
//   - The Deployment's revision annotation is written with an update (skiff's status
//     subresource keeps metadata), which raises the Deployment's generation as any annotation
//     change does.
//   - A ReplicaSet write that conflicts only with a status change of the ReplicaSet (same
//     generation, labels and annotations, no available replica lost) is retried on a fresh
//     read, up to three times, instead of failing the sync.
//   - Claim candidates are found through the selector and the controller-UID index rather
//     than by listing the namespace; adoption re-reads and updates instead of patching (see
//     package controllerref).
//   - The status always reports terminatingReplicas (the
//     DeploymentReplicaSetTerminatingReplicas gate, beta and on in Kubernetes 1.35, is fixed
//     on); it is nil while a ReplicaSet does not report it.
//   - Options.Recorder lets an embedding program send events elsewhere.
package deployment
