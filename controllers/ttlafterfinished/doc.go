// Package ttlafterfinished deletes finished Jobs once their spec.ttlSecondsAfterFinished has
// passed (../shared/spec/job.md §10). It is Kubernetes' TTL-after-finished controller.
//
// # Basics
//
//	if err := ttlafterfinished.Add(mgr, ttlafterfinished.Options{}); err != nil { ... }
//
// A Job is watched when it has a TTL, has finished — a True Complete or Failed condition —
// and is not being deleted. Its TTL expires at the last transition of that condition plus
// ttlSecondsAfterFinished (0: at once).
//
// # The sync
//
//  1. Read the Job from the cache; gone or not concerned: nothing to do.
//  2. Not expired yet: requeue for exactly the time left (no polling). A finished Job whose
//     condition has no lastTransitionTime has no known expiry: a terminal error, logged and
//     not retried until the Job changes.
//  3. Expired: read the Job again from the store, since the cached TTL may be stale, and
//     decide again on that copy.
//  4. Delete it with propagationPolicy Foreground and its UID as a precondition: the Job stays,
//     with the foregroundDeletion finalizer, until the garbage collector has deleted its pods.
//
// # Differences from Kubernetes, on purpose
//
//   - A delete that fails its UID precondition (another Job took the name) is not retried:
//     that Job is watched on its own.
//   - No job_deletion_duration_seconds metric beyond the controller runtime's.
package ttlafterfinished
