package nodelifecycle

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// evictionMessage is the message of the DisruptionTarget condition of an evicted pod.
const evictionMessage = "Taint manager: deleting due to NoExecute taint"

// evictionReconciler deletes the pods of nodes with NoExecute taints they do not tolerate,
// or tolerate only for a while (doc.go, "Taint eviction").
type evictionReconciler struct {
	pods     *client.Typed[*core.Pod]
	podList  informer.Lister[*core.Pod]
	nodeList informer.Lister[*core.Node]
	clock    clock.Clock
	events   controller.EventRecorder

	// mu guards firstSeen: when the controller first saw each NoExecute taint that has no
	// timeAdded, by node.
	mu        sync.Mutex
	firstSeen map[string]map[core.Taint]time.Time
}

var _ reconcile.Reconciler = (*evictionReconciler)(nil)

func newEvictionReconciler(mgr Manager) *evictionReconciler {
	f := mgr.Informers()
	return &evictionReconciler{
		pods:      client.For[*core.Pod](mgr.Client()),
		podList:   informer.For[*core.Pod](f).Lister(),
		nodeList:  informer.For[*core.Node](f).Lister(),
		clock:     mgr.Clock(),
		events:    mgr.EventRecorder(EvictionControllerName),
		firstSeen: map[string]map[core.Taint]time.Time{},
	}
}

// Reconcile decides about one pod: evict it now, at a later instant (reconciled again
// then), or never.
func (r *evictionReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	pod, err := r.podList.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if pod.Spec.NodeName == "" || pod.DeletionTimestamp != nil {
		return reconcile.Result{}, nil
	}
	node, err := r.nodeList.Get(pod.Spec.NodeName)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	taints := noExecuteTaints(node.Spec.Taints)
	now := r.clock.Now()
	added := r.addedAt(node.Name, taints, now)
	at, evict := evictionTime(pod.Spec.Tolerations, taints, added)
	if !evict {
		return reconcile.Result{}, nil
	}
	if now.Before(at) {
		return reconcile.Result{RequeueAfter: at.Sub(now)}, nil
	}
	return reconcile.Result{}, r.evict(ctx, pod, now)
}

// evict marks the pod with a DisruptionTarget condition, then deletes it gracefully, with
// its uid as precondition, and records a TaintManagerEviction event.
func (r *evictionReconciler) evict(ctx context.Context, pod *core.Pod, now time.Time) error {
	_, err := client.GuaranteedUpdateStatus(ctx, r.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
		if cur.UID != pod.UID || cur.DeletionTimestamp != nil {
			return errReplaced
		}
		core.UpdatePodCondition(&cur.Status, &core.PodCondition{
			Type: core.DisruptionTarget, Status: core.ConditionTrue, Reason: core.PodReasonDeletionByTaintManager,
			Message: evictionMessage, LastTransitionTime: meta.NewTime(now),
		})
		return nil
	})
	if store.IsNotFound(err) || errors.Is(err, errReplaced) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = r.pods.Delete(ctx, pod.Namespace, pod.Name, client.PreconditionUID(pod.UID))
	if store.IsNotFound(err) || store.IsConflict(err) {
		return nil
	}
	if err != nil {
		return err
	}
	logr.FromContextOrDiscard(ctx).Info("Evicted a pod from a node with a NoExecute taint", "node", pod.Spec.NodeName)
	r.events.Eventf(pod, core.EventTypeNormal, "TaintManagerEviction", "Marking for deletion Pod %s/%s", pod.Namespace, pod.Name)
	return nil
}

// addedAt returns when each of a node's NoExecute taints was added: its timeAdded, or, for
// a taint without one, when this controller first saw it. It forgets the taints the node no
// longer has.
func (r *evictionReconciler) addedAt(nodeName string, taints []core.Taint, now time.Time) func(*core.Taint) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := r.firstSeen[nodeName]
	for t := range seen {
		if !containsTaint(taints, t) {
			delete(seen, t)
		}
	}
	times := make(map[core.Taint]time.Time, len(taints))
	for _, t := range taints {
		if t.TimeAdded != nil {
			times[t] = t.TimeAdded.Time
			continue
		}
		if seen == nil {
			seen = map[core.Taint]time.Time{}
			r.firstSeen[nodeName] = seen
		}
		if _, ok := seen[t]; !ok {
			seen[t] = now
		}
		times[t] = seen[t]
	}
	if len(seen) == 0 {
		delete(r.firstSeen, nodeName)
	}
	return func(t *core.Taint) time.Time { return times[*t] }
}

func containsTaint(taints []core.Taint, t core.Taint) bool {
	for _, x := range taints {
		if x.Key == t.Key && x.Value == t.Value && x.Effect == t.Effect && x.TimeAdded == nil {
			return true
		}
	}
	return false
}
