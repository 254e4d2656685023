// Package nodelifecycle is skiff's node lifecycle: a controller that watches node
// heartbeats and taints nodes by their conditions (Kubernetes' node-lifecycle-controller),
// and a controller that evicts pods from nodes with NoExecute taints they do not tolerate
// (Kubernetes' taint-eviction-controller). The behaviour kept is that of
// ../shared/spec/pod-lifecycle.md §2 (a lost node) and §10 (taints and tolerations).
//
// # Basics
//
//	if err := nodelifecycle.Add(mgr, nodelifecycle.Options{}); err != nil { ... }
//
// Add builds both controllers on the manager's shared Node, Lease and Pod informers (it adds
// the pod index "spec.nodeName", which the kubelet shares). Every
// instant the controllers wait for is on the manager's clock, and each waits by asking to be
// reconciled again at that exact instant, never by polling.
//
// # Node health, step by step
//
// One reconcile per node name; a node's heartbeat Lease (kube-node-lease/<node>) wakes it.
//
//  1. The node's last heartbeat is the later of its Lease's spec.renewTime and its Ready
//     condition's lastHeartbeatTime (its creationTimestamp if it has neither).
//  2. When the last heartbeat is at least Options.GracePeriod (40 s) old, the node's Ready,
//     MemoryPressure, DiskPressure and PIDPressure conditions become Unknown with reason
//     NodeStatusUnknown and message "Kubelet stopped posting node status." (a condition the
//     kubelet never posted is added with NodeStatusNeverUpdated, "Kubelet never posted node
//     status."); lastTransitionTime is now, lastHeartbeatTime is kept. When Ready leaves
//     True, a NodeNotReady event is recorded on the node.
//  3. While Ready is Unknown, the node's pods whose Ready condition is True get it False,
//     with a NodeNotReady warning event: their kubelet can no longer say whether they serve.
//  4. The node's taints follow its conditions: Ready False gives node.kubernetes.io/not-ready
//     and Ready Unknown node.kubernetes.io/unreachable, each with effects NoSchedule and
//     NoExecute (the NoExecute one with timeAdded: when it was added); MemoryPressure,
//     DiskPressure, PIDPressure and NetworkUnavailable True give their NoSchedule taints;
//     spec.unschedulable gives node.kubernetes.io/unschedulable:NoSchedule. A taint of these
//     keys and effects that the conditions no longer call for is removed; a kept taint keeps
//     its timeAdded; taints of other keys or effects are never touched.
//  5. A node that is not yet stale is reconciled again at the instant its heartbeat
//     expires. When the kubelet comes back, its Lease renewal makes the node fresh again
//     and its next status (Ready True) removes the taints.
//
// # Taint eviction, step by step
//
// One reconcile per pod bound to a node; a change of a node's NoExecute taints wakes all the
// pods bound to it, and a pod's binding or tolerations changing wakes the pod.
//
//  1. A pod that is not bound, is being deleted, or whose node is gone, is left alone.
//  2. For each NoExecute taint of the node, the pod's first toleration that tolerates it
//     decides: with none, the pod is evicted at once; without tolerationSeconds, the taint is
//     tolerated for ever; with it, the pod may stay until the taint's timeAdded plus
//     tolerationSeconds (negative values read as 0). The earliest of these instants is the
//     eviction time; a pod that tolerates every taint for ever stays. (Admission gives every
//     pod 300 s tolerations for not-ready and unreachable.)
//  3. Before its eviction time the pod is reconciled again at that instant; it is then
//     evicted: it gets the condition DisruptionTarget=True (reason DeletionByTaintManager,
//     message "Taint manager: deleting due to NoExecute taint"), it is deleted gracefully
//     with its uid as precondition, and a TaintManagerEviction event is recorded on it. Its
//     node finishes the deletion, or, for a node that is gone for good, no one does (as in
//     Kubernetes, where the pod garbage collector later force-deletes such pods).
//
// # Where skiff differs from Kubernetes on purpose
//
//   - No periodic monitor pass: each node is reconciled when its Node or Lease changes and
//     again at the exact instant its heartbeat would expire, so a lost node is marked
//     Unknown exactly GracePeriod after its last heartbeat, not at the next 5 s tick. The
//     heartbeat is read from the Lease's renewTime (one clock in one process), not from
//     when the controller noticed the renewal.
//   - Tolerations count from the taint's timeAdded, not from when the eviction controller
//     first saw the taint, so a controller restart does not restart the countdown, and each
//     taint counts from its own time. A NoExecute taint without timeAdded (added by a user
//     without one) counts from when this controller first saw it.
//   - There is no zone disruption handling: no eviction rate limits, and no halt of
//     evictions when a whole zone (or cluster) goes dark. There is no pod garbage collector
//     for pods of deleted nodes.
//   - Pods are marked not ready (step 3 of node health) while their node's Ready is
//     Unknown, level-based, rather than once when Ready leaves True; pods of a node whose
//     kubelet reports Ready False itself are left to that kubelet.
//   - Eviction of a pod is not cancelled by an event when the taint goes away before its
//     time: there is nothing to cancel, the pod's reconcile at that instant finds no reason
//     to evict.
package nodelifecycle
