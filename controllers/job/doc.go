// Package job is the Job controller: it runs a Job's pods until enough of them succeed, or
// until the Job fails, counting every pod result exactly once (../shared/spec/job.md). It is
// Kubernetes' pkg/controller/job, built on skiff's controller runtime.
//
// # Basics
//
//	if err := job.Add(mgr, job.Options{}); err != nil { ... }
//
// Add adds two controllers to the manager: "job", which syncs Jobs, and "job-orphan-pod",
// which removes the tracking finalizer of pods that no running Job will count. The TTL of
// finished Jobs is another controller (package ttlafterfinished).
//
// # Events to requests (controller.go)
//
//   - A Job's creation, deletion or spec change (a new generation) syncs it at once; other
//     updates, mostly the controller's own status writes, after the batch period of 1 s. A
//     changed activeDeadlineSeconds re-arms the deadline.
//   - A pod event syncs the Job its controller reference names (found by name in the cache,
//     checked by UID) after the batch period, so that a burst of pod changes costs one sync.
//     It also observes the expectations: a creation, a deletion (a pod seen terminating counts
//     as deleted), and the removal of the tracking finalizer. An orphan pod syncs every Job
//     of its namespace whose selector matches it, so that one adopts it.
//   - Failed syncs are retried per Job with a back-off of 1 s doubling to 1 min.
//
// # The sync (sync.go, manage.go, status.go), in the spec's terms
//
//  1. A Job that is gone: its expectations and back-off record are forgotten. A Job managed
//     by another controller (spec.managedBy), or already finished (Complete or Failed True),
//     is left alone; one with an unknown completionMode gets a Warning UnknownCompletionMode.
//  2. The expectations are checked (before listing, so that no creation is missed by both),
//     then the pods are claimed (objects.md §4): pods the Job controls and that still match
//     its selector, and matching orphans, adopted with a controller reference and the
//     batch.kubernetes.io/job-tracking finalizer. From them: active (not finished, not
//     terminating), ready, terminating, and the newly finished pods — those that still carry
//     the finalizer and are not in status.uncountedTerminatedPods. succeeded and failed add
//     the counters, the uncounted lists and the newly finished pods; failures the pod failure
//     policy ignores are not counted.
//  3. startTime is set to now, unless the Job is suspended.
//  4. The finished condition — where the Job is heading — is decided, first match wins: an
//     existing SuccessCriteriaMet or FailureTarget; a failed pod matching a FailJob rule
//     (reason PodFailurePolicy); failed > backoffLimit, or with restartPolicy OnFailure the
//     restarts of live pods reaching backoffLimit (BackoffLimitExceeded); the active deadline
//     passed (DeadlineExceeded; otherwise a requeue at the deadline); for an Indexed Job with
//     backoffLimitPerIndex, more failed indexes than maxFailedIndexes
//     (MaxFailedIndexesExceeded) or every index decided with some failed (FailedIndexes); for
//     an Indexed Job, a success policy rule met (SuccessCriteriaMet, SuccessPolicy).
//  5. A finishing Job has its active pods deleted, finalizers kept. Otherwise, once the
//     expectations are satisfied and the Job is not being deleted, manageJob runs:
//     - suspended: every active pod is deleted (finalizer first removed, so that it does not
//     count as a failure);
//     - the wanted number of active pods is parallelism for a work queue with no success yet,
//     the current number after one, and min(completions − succeeded, parallelism) otherwise;
//     - surplus pods, and for an Indexed Job pods of repeated or invalid indexes, are deleted,
//     cheapest first (unscheduled, Pending before Running, not ready, ready for less time,
//     more restarts, newer), at most 500; a sync that deletes creates nothing;
//     - otherwise missing pods are created — fewer the terminating ones when only failed pods
//     are replaced — once the pod failure back-off allows (10 s after the last failure,
//     doubling per failure since the last success, capped at 10 min; per index with
//     backoffLimitPerIndex); while it does not, nothing is created and the Job is requeued
//     for when it ends (at least the batch period later). At most 500 are created, in
//     slow-start batches of 1, 2, 4, ... stopping at a failing batch. Indexed pods take the lowest free indexes and get the completion index
//     annotation and label, hostname <job>-<index>, generateName <job>-<index>- and the
//     JOB_COMPLETION_INDEX variable; with backoffLimitPerIndex, the failure count of the
//     index they replace.
//     Then the Job reaches SuccessCriteriaMet (CompletionsReached) when enough pods succeeded
//     (work queue: one) and none is active; else the Suspended condition follows spec.suspend
//     (True/JobSuspended with the event Suspended, or False/JobResumed with the event Resumed
//     and startTime reset to now, which restarts the activeDeadlineSeconds clock).
//  6. Tracking (the finalizer protocol of §3): the newly finished pods go into
//     uncountedTerminatedPods (Indexed successes straight into completedIndexes) and the
//     interim FailureTarget or SuccessCriteriaMet condition is added; the status is written;
//     their finalizers are removed; the pods whose finalizer is gone leave the uncounted lists
//     for the succeeded and failed counters. At most 500 pods are counted per sync. Once
//     nothing is uncounted and no pod is terminating, the terminal condition is written:
//     Failed with the FailureTarget's reason, or Complete with the success reason and
//     completionTime, with the events Completed or the failure's reason.
//
// A pod is counted failed when its phase is Failed or, when terminating pods are replaced at
// once (podReplacementPolicy TerminatingOrFailed, no pod failure policy), when it is being
// deleted without having succeeded. A Job that is failing counts every pod that did not
// succeed as failed.
//
// # Why no result is lost or counted twice
//
// A pod's result is counted only through the status: first its UID is written into
// uncountedTerminatedPods, then its finalizer is removed, and only a pod whose finalizer is
// gone moves from the list to the counters. A crash between any two steps leaves the pod
// either with its finalizer (counted again from the start, its UID not added twice) or in
// the list without a finalizer (moved to the counters next time). The finalizer keeps the pod
// in the store until then. Finalizer removals not yet visible in the pod cache are remembered
// (finalizer expectations), so that a stale cache never makes a sync count a pod again.
// Indexed successes need no UID: a completed index is counted once by construction.
//
// # The orphan controller (orphans.go)
//
// A pod with the tracking finalizer whose controller reference is missing, names a Job that
// is gone, or names a finished Job, has its finalizer removed, so that it can be deleted.
// Pods controlled by another kind, or by a Job another controller manages, are left alone.
// A Job deleted or seen finished queues its pods that still carry the finalizer.
//
// # Differences from Kubernetes, on purpose
//
//   - Every feature the spec calls GA is always on: terminal conditions always wait behind
//     FailureTarget/SuccessCriteriaMet and terminating pods, terminating pods are always
//     counted, pods always get the completion index label.
//   - The pod failure back-off cap is Kubernetes' current 10 minutes (older releases capped
//     at 6); Options.MaxPodFailureBackOff changes it.
//   - While new pods wait for the back-off, status.active keeps counting the live pods.
//   - Finalizers are removed, and orphans adopted, by read-modify-write updates (skiff has no
//     strategic merge patch); the outcome is the same.
//   - Orphan pods are found through an index of the pod cache instead of by listing the
//     namespace.
//   - A creation refused because the namespace is terminating gives its expectation back.
//   - A surplus pod (suspension, scale-down) that finished between the sync's read and its
//     deletion keeps its finalizer and is counted, instead of losing its result.
//   - No job_* metrics beyond the controller runtime's reconcile and work-queue metrics.
package job
