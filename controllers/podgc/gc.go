package podgc

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// errReplaced says the pod changed identity (or started terminating) under a status update.
var errReplaced = errors.New("podgc: the pod was replaced")

// orphanReconciler deletes one pod when its node is gone (after the quarantine) or out of
// service while the pod terminates. It is safe for concurrent use.
type orphanReconciler struct {
	pods       *client.Typed[*core.Pod]
	nodeClient *client.Typed[*core.Node]
	podLister  informer.Lister[*core.Pod]
	nodeLister informer.Lister[*core.Node]
	clock      clock.Clock
	quarantine time.Duration

	// mu guards missing.
	mu sync.Mutex
	// missing holds, per node name, when the node was first found missing from the store.
	missing map[string]time.Time
}

var _ reconcile.Reconciler = (*orphanReconciler)(nil)

// Reconcile collects the pod req names if it is an orphan past its quarantine, or a
// terminating pod of an out-of-service node; see the package documentation.
func (r *orphanReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	pod, err := r.podLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil || pod.Spec.NodeName == "" {
		return reconcile.Result{}, err
	}
	node, err := r.nodeLister.Get(pod.Spec.NodeName)
	switch {
	case err == nil:
		r.found(node.Name)
		if pod.DeletionTimestamp != nil && outOfService(node) && !core.IsNodeReady(node) {
			logr.FromContextOrDiscard(ctx).Info("Force-deleting a terminating pod of an out-of-service node", "node", node.Name)
			return reconcile.Result{}, r.failAndDelete(ctx, pod, nil)
		}
		return reconcile.Result{}, nil
	case !store.IsNotFound(err):
		return reconcile.Result{}, err
	}
	// The cache has no such node; it may lag a node just created: ask the store.
	if _, err := r.nodeClient.Get(ctx, "", pod.Spec.NodeName); err == nil {
		r.found(pod.Spec.NodeName)
		return reconcile.Result{}, nil
	} else if !store.IsNotFound(err) {
		return reconcile.Result{}, err
	}
	now := r.clock.Now()
	if left := r.missingSince(pod.Spec.NodeName, now).Add(r.quarantine).Sub(now); left > 0 {
		return reconcile.Result{RequeueAfter: left}, nil
	}
	logr.FromContextOrDiscard(ctx).Info("Force-deleting an orphaned pod: its node no longer exists", "node", pod.Spec.NodeName)
	return reconcile.Result{}, r.failAndDelete(ctx, pod, &core.PodCondition{
		Type: core.DisruptionTarget, Status: core.ConditionTrue, Reason: ReasonDeletionByPodGC,
		Message: orphanMessage, LastTransitionTime: meta.NewTime(now),
	})
}

// missingSince returns when the node was first found missing, now if that is now.
func (r *orphanReconciler) missingSince(node string, now time.Time) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.missing[node]
	if !ok {
		r.missing[node] = now
		at = now
	}
	return at
}

// found forgets that the node was missing.
func (r *orphanReconciler) found(node string) {
	r.mu.Lock()
	delete(r.missing, node)
	r.mu.Unlock()
}

// failAndDelete gives the pod phase Failed (unless it finished) and cond, if any, then deletes
// it with grace period 0 and its uid as precondition. A pod already gone, or replaced by
// another of the same name, is left alone.
func (r *orphanReconciler) failAndDelete(ctx context.Context, pod *core.Pod, cond *core.PodCondition) error {
	_, err := client.GuaranteedUpdateStatus(ctx, r.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
		if cur.UID != pod.UID {
			return errReplaced
		}
		if !core.IsPodTerminal(cur) {
			cur.Status.Phase = core.PodFailed
		}
		if cond != nil {
			core.UpdatePodCondition(&cur.Status, cond)
		}
		return nil
	})
	if store.IsNotFound(err) || errors.Is(err, errReplaced) {
		return nil
	}
	if err != nil {
		return err
	}
	return forceDelete(ctx, r.pods, pod)
}

// forceDelete deletes the pod with grace period 0, ignoring a pod already gone or replaced.
func forceDelete(ctx context.Context, pods *client.Typed[*core.Pod], pod *core.Pod) error {
	_, err := pods.Delete(ctx, pod.Namespace, pod.Name, client.GracePeriod(0), client.PreconditionUID(pod.UID))
	if store.IsNotFound(err) || store.IsConflict(err) {
		return nil
	}
	return err
}

// sweepKey is the single work queue key of the terminated-pods controller: every finished
// pod maps to it, so sweeps never overlap and a burst of finishing pods costs one sweep.
var sweepKey = reconcile.Request{Name: "terminated-pods"}

// terminatedReconciler keeps the number of finished pods at or below the threshold.
// Finished pods already being deleted (held by a finalizer, or not yet gone from the cache)
// still count, as in Kubernetes: being the oldest, they are picked first again, and deleting
// them again changes nothing, so younger pods are never deleted in their place.
type terminatedReconciler struct {
	pods      *client.Typed[*core.Pod]
	podLister informer.Lister[*core.Pod]
	threshold int
}

var _ reconcile.Reconciler = (*terminatedReconciler)(nil)

// sweepRequest maps a finished pod to the sweep.
func (r *terminatedReconciler) sweepRequest(context.Context, *core.Pod) []reconcile.Request {
	return []reconcile.Request{sweepKey}
}

// Reconcile deletes the oldest finished pods beyond the threshold.
func (r *terminatedReconciler) Reconcile(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
	var finished []*core.Pod
	for _, phase := range []core.PodPhase{core.PodSucceeded, core.PodFailed} {
		pods, err := r.podLister.ByIndex(indexPodsByPhase, string(phase))
		if err != nil {
			return reconcile.Result{}, err
		}
		finished = append(finished, pods...)
	}
	excess := len(finished) - r.threshold
	if excess <= 0 {
		return reconcile.Result{}, nil
	}
	slices.SortFunc(finished, func(a, b *core.Pod) int {
		if c := a.CreationTimestamp.Compare(b.CreationTimestamp.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	logr.FromContextOrDiscard(ctx).Info("Deleting the oldest finished pods", "count", excess, "threshold", r.threshold)
	var errs []error
	for _, p := range finished[:excess] {
		if err := forceDelete(ctx, r.pods, p); err != nil {
			errs = append(errs, err)
		}
	}
	return reconcile.Result{}, errors.Join(errs...)
}
