// Package podgc is the pod garbage collector, kube-controller-manager's podgc controller: it
// deletes the pods that nothing else would ever remove.
//
// A pod normally ends its life through its node: the node's kubelet stops its containers and
// removes the pod object after a graceful deletion (see ../shared/spec/pod-lifecycle.md). When
// the node itself is gone, or declared out of service, nobody will; and finished pods of bare
// Jobs or of pods without an owner pile up. Two controllers handle this.
//
// The orphan controller (ControllerName) reconciles one pod at a time, on pod events that may
// make it collectable and, through the pods-by-node index, on node deletions and on changes of
// a node's taints or Ready condition:
//
//  1. A pod bound to a node (spec.nodeName) whose Node does not exist is an orphan. The cache
//     may simply not have seen a new Node yet, so the controller asks the store, and then
//     waits out a quarantine (Options.Quarantine, 40 s as in Kubernetes) counted from when it
//     first found the node missing; a node that shows up meanwhile clears it. Past the
//     quarantine the pod gets phase Failed (unless it already finished) and the condition
//     DisruptionTarget=True, reason DeletionByPodGC, then it is deleted with grace period 0
//     (a force deletion: the store removes it at once; finalizers still hold it).
//  2. A pod being deleted (deletionTimestamp set) on a node that is not Ready and carries the
//     node.kubernetes.io/out-of-service taint will not be stopped by its kubelet: the
//     controller marks it Failed and force-deletes it, so that its workload controller can
//     replace it (StatefulSets wait for that).
//
// The terminated-pods controller (TerminatedControllerName) keeps the number of finished pods
// (phase Succeeded or Failed) at or below Options.TerminatedPodThreshold (12,500 by default,
// kube-controller-manager's --terminated-pod-gc-threshold): whenever a pod finishes and the
// count, read from a pods-by-phase index, is above the threshold, one sweep force-deletes the
// oldest finished pods (by creationTimestamp, then name) down to it. Sweeps are serialized
// through a single work queue key. Finished pods already being deleted still count: being the
// oldest they are picked again first, which changes nothing, so no younger pod goes in their
// place.
//
// Differences from Kubernetes, on purpose: the checks are driven by events (and the
// quarantine by a requeue on the fake-able clock) rather than by a full scan every 20
// seconds, so a collectable pod goes as soon as it is; Kubernetes' third case, pods being
// deleted that were never bound to a node, cannot arise, because skiff's store deletes an
// unbound pod at once. No events are recorded, as in Kubernetes.
package podgc
