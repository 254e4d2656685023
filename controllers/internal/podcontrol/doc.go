// Package podcontrol is what the workload controllers (ReplicaSet, and later Job, DaemonSet,
// StatefulSet) share for the pods they manage: making a pod from a template, creating and
// deleting pods with Kubernetes' events, slow-start batches, and the ranking that picks which
// pods to delete first. It is the part of Kubernetes' pkg/controller/controller_utils.go that
// concerns pods (PodControl, GetPodFromTemplate, ActivePodsWithRanks) and the slowStartBatch
// of the ReplicaSet controller, kept as small, separately tested pieces.
//
// # Basics
//
//	pc := podcontrol.New(c, recorder)
//	ref := controllerref.NewControllerRef(rs, scheme.ReplicaSetGVK)
//	created, err := podcontrol.SlowStartBatch(n, podcontrol.SlowStartInitialBatchSize, func() error {
//		_, err := pc.CreatePod(ctx, rs.Namespace, &rs.Spec.Template, rs, ref)
//		return err
//	})
//
//	victims := podcontrol.PodsToDelete(pods, related, n, now)
//	err := pc.DeletePod(ctx, rs.Namespace, victims[0].Name, rs)
//
// PodFromTemplate makes the pod a controller creates: labels, annotations and finalizers
// from the template's metadata, generateName "<owner>-", the controller reference, and a copy
// of the template's spec. CreatePod refuses a pod without labels (no selector could ever find
// it again) and a malformed controller reference. Both CreatePod and DeletePod record events
// on the owner: SuccessfulCreate "Created pod: web-x7k2p", FailedCreate "Error creating:
// <error>", SuccessfulDelete "Deleted pod: web-x7k2p", FailedDelete "Error deleting: <error>".
//
// SlowStartBatch runs a call n times in batches of 1, 2, 4, ... concurrently within a batch,
// stopping at the first batch with a failure: a controller whose creates all fail (a quota, an
// admission webhook) makes one failing call, not hundreds.
//
// PodsToDelete picks the pods to delete first, ordered by RankedPods.Less: unscheduled before
// scheduled, Pending before Unknown before Running, not ready before ready, lower
// pod-deletion-cost first, more co-located siblings first (RanksByNode), more recently ready
// first, more container restarts first, newer first (ready and creation times compared in
// power-of-two buckets of age, ties in a bucket broken by UID). As in Kubernetes, the order is
// not transitive when pods with equal times meet a third of the same bucket; it is only ever
// used to sort.
//
// # Differences from Kubernetes, on purpose
//
//   - PodControl is a concrete type over a client; tests use a real store (and its admission
//     hook to make writes fail) rather than a recording fake.
//   - The feature gates of the ranking (PodDeletionCost, LogarithmicScaleDown) are fixed at
//     their defaults: on.
//   - IsNamespaceTerminating recognises the NamespaceTerminating status cause the same way
//     client-go's apierrors.HasStatusCause does; skiff's namespace admission is expected to
//     set it.
package podcontrol
