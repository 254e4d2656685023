// Package expectations remembers, per controller key, the creations and deletions a controller
// has asked for and not yet seen in its informer cache, so that a sync never acts twice on a
// stale cache. It is Kubernetes' ControllerExpectations and UIDTrackingControllerExpectations
// (pkg/controller/controller_utils.go) in one generic type, shared by the workload controllers
// (../shared/spec/replicaset.md §4).
//
// # Basics
//
// A controller that creates n pods for a key first records ExpectCreations(key, n); its pod
// informer handler calls CreationObserved(key) for every pod of that controller it sees
// created. Likewise ExpectDeletions(key, uids) before deleting pods, and DeletionObserved(key,
// uid) from the handler when a pod is seen deleted or terminating. A sync starts with
// Satisfied(key): while it is false, the cache does not yet show the controller's own writes,
// and the sync must not create or delete again (it may still compute and write status).
//
//	exp := expectations.New[reconcile.Request](clk)
//	// in Reconcile:
//	needsSync := exp.Satisfied(req) // before listing pods
//	...
//	exp.ExpectCreations(req, n)
//	// in the pod handler:
//	exp.CreationObserved(rsReq)
//
// A record is satisfied when nothing is pending, when it is older than the timeout (five
// minutes by default, on the clock: a watch event that never comes must not wedge the
// controller forever), or when there is none. ExpectCreations and ExpectDeletions replace the
// key's record, restarting its timeout.
//
// Deletions are tracked by pod UID, so that a pod seen twice — once terminating, once gone —
// counts once. A write that failed, or was never attempted, must be given back with
// CreationObserved (or CreationsSkipped) and DeletionObserved, or the key waits for the
// timeout.
//
// # Differences from Kubernetes, on purpose
//
//   - One type, generic in the controller key (a reconcile.Request, a string, ...), instead of
//     ControllerExpectations wrapped by UIDTrackingControllerExpectations.
//   - Deletions are tracked by pod UID rather than "namespace/name": a pod re-created under the
//     same name is a different pod.
//   - The pending deletion count is the size of the tracked UID set, so ExpectCreations, which
//     replaces the record, also forgets deletions still pending (Kubernetes zeroes the counter
//     and keeps the set, to the same effect).
//   - Time comes from a clock.Clock, so tests move the timeout with a fake clock.
package expectations
