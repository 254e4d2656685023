// Package statefulset is the StatefulSet controller: it gives each replica a stable identity
// — a name "<set>-<ordinal>", a hostname, a subdomain, its own PersistentVolumeClaims — and
// creates, replaces and removes the pods in an order that respects it
// (../shared/spec/statefulset.md). Add registers it with a manager:
//
//	if err := statefulset.Add(mgr, statefulset.Options{}); err != nil { ... }
//
// # Events to requests (controller.go)
//
// A StatefulSet's own changes queue it. A pod, ControllerRevision or claim with a controller
// reference wakes only the set it names (looked up by name, checked by UID); an orphan pod
// named like a member, or an orphan revision, wakes the sets whose selector matches it, so
// that one adopts it (objects.md §4). A pod that becomes Ready wakes its set again
// minReadySeconds (plus a second) later, when it counts as available. Claims wake the sets
// they reference or whose selector they match: a pod waiting for a claim to go is created
// once it has.
//
// # The sync, step by step (sync.go, revisions.go, update.go)
//
// Reconcile reads the set from the cache; a set that is gone, or whose selector is invalid or
// empty, is left alone. Then:
//
//  1. Claim the set's ControllerRevisions and pods: adopt matching orphans (pods must also
//     be named "<set>-<ordinal>"), release owned ones that stopped matching. One fresh read
//     of the set guards every adoption of the sync.
//  2. Revisions (§3). The candidate revision holds the template as the patch
//     {"spec":{"template":{"$patch":"replace",...}}}, named "<set>-<hash>" with hash the
//     FNV-32 of that data and status.collisionCount. If it equals the newest revision, that
//     one is the update revision; if it equals an older one, that one is renumbered newest
//     (a rollback); otherwise it is created, bumping the collision count while its name is
//     taken by other data. The current revision is the one status.currentRevision names, if
//     it still exists, else the update revision. Pods are labelled
//     controller-revision-hash=<revision name>.
//  3. Split the pods into replicas — the ordinals [start, start+replicas), start being
//     spec.ordinals.start — and condemned pods (other ordinals, highest first). A missing
//     replica becomes a virtual pod, made from the current revision when the strategy is
//     RollingUpdate and its index (ordinal − start) is below the partition, else from the
//     update revision. Status counts are taken now. A set being deleted stops here: it
//     only reports.
//  4. Replicas, in ordinal order. With OrderedReady the pass is monotonic: it stops at the
//     first pod that blocks; with Parallel every replica is processed, in slow-start batches
//     (1, 2, 4, … at most Options.MaxBatch at once). For each replica:
//     a pod that Failed or Succeeded is deleted, and replaced by a later sync once it is
//     gone (monotonic: stop); a virtual pod is created — its claims first, unless a claim
//     still belongs to an earlier pod of the same name under whenScaled=Delete (stop: the
//     garbage collector must remove it), or is being deleted (an error) — and a monotonic
//     pass stops after one creation; a Pending pod gets any missing claim; a monotonic pass
//     stops at a pod that is terminating, not Running and Ready, or not available for
//     minReadySeconds; otherwise the pod's identity labels and its claims' owner references
//     are fixed if needed.
//  5. The claims of condemned pods get the owner references the retention policy wants.
//  6. Scale down, condemned pods highest ordinal first. Monotonic: wait while one is
//     terminating; delete one only if it is Running, Ready and available, or it is the first
//     unhealthy pod of the set; one deletion per sync. Parallel: delete them all.
//  7. OnDelete stops here: pods change only when someone deletes them, and their
//     replacements (step 4) come from the update revision.
//  8. RollingUpdate, from the highest index down to the partition. Without
//     rollingUpdate.maxUnavailable: delete the first pod not at the update revision (and not
//     already terminating), and stop; an updated pod that is not Running and Ready makes the
//     update wait. With maxUnavailable (an int, or a percentage of replicas rounded down, at
//     least 1): count the unavailable replicas in the whole range, and delete outdated pods
//     until that count reaches maxUnavailable. Step 4 of later syncs re-creates them at the
//     update revision, in order.
//  9. Status (§6, status.go): observedGeneration; replicas (created pods, condemned ones
//     included), readyReplicas (Running and Ready), availableReplicas (ready for
//     minReadySeconds); currentReplicas and updatedReplicas (live pods at either revision);
//     currentRevision, updateRevision, collisionCount. Once every pod is updated and ready
//     under RollingUpdate, the rollout is complete: currentRevision becomes updateRevision.
//     It is written, through the status subresource, only when it changed — even when an
//     earlier step failed.
//  10. History: revisions that are neither current, update, nor named by a pod are history;
//     the oldest beyond revisionHistoryLimit are deleted.
//
// A set with minReadySeconds whose pods are not all available is looked at again
// minReadySeconds later.
//
// # Claims and their retention
//
// Each volumeClaimTemplate gives each pod a claim "<template>-<set>-<ordinal>", labelled with
// the template's labels and the selector's matchLabels, created before the pod and never
// deleted by the controller: a deleted pod finds its claims again by name. The
// persistentVolumeClaimRetentionPolicy is carried out through plain owner references that
// the garbage collector follows (retention.go, §5): whenDeleted=Delete references the set;
// whenScaled=Delete references the pod once its ordinal leaves the range (and the reference
// is dropped if it comes back); Retain removes those references.
//
// # Events
//
// "SuccessfulCreate: create Pod web-0 in StatefulSet web successful", "SuccessfulDelete",
// "FailedCreate: ... failed error: ...", and for claims "create Claim data-web-0 Pod web-0 in
// StatefulSet web success".
//
// # Differences from Kubernetes, on purpose
//
//   - rollingUpdate.maxUnavailable is honoured whenever it is set (Kubernetes gates it
//     behind MaxUnavailableStatefulSet); unset, updates go one pod at a time as without the
//     gate. An unavailable pod there is one not Running, Ready and available for
//     minReadySeconds, or terminating.
//   - A pod's volumes cannot change once it exists, so a pod whose claim volumes are wrong
//     only gets its missing claims created; its identity labels are fixed in place.
//   - A pod creation that finds the name taken checks, with one read, whether the set owns
//     that pod (the cache was behind: not an error) or another does (an error).
//   - A claim created concurrently (AlreadyExists) is not an error.
//   - Pod deletions carry the pod's UID as a precondition.
//   - Status conditions are kept as they are; collisionCount changes alone are written.
//   - Pods whose identity is wrong are also those missing the apps.kubernetes.io/pod-index
//     label, which is always on (PodIndexLabel is GA).
package statefulset
