package nodelifecycle

import (
	"context"
	"errors"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// The conditions a node controller sets to Unknown when the kubelet goes silent, with
// Kubernetes' reasons and messages.
var (
	silentConditions = []core.NodeConditionType{core.NodeReady, core.NodeMemoryPressure, core.NodeDiskPressure, core.NodePIDPressure}
)

const (
	reasonStatusUnknown      = "NodeStatusUnknown"
	messageStatusUnknown     = "Kubelet stopped posting node status."
	reasonStatusNeverUpdated = "NodeStatusNeverUpdated"
	messageNeverUpdated      = "Kubelet never posted node status."
)

// errReplaced aborts a write to an object whose uid changed since it was read.
var errReplaced = errors.New("nodelifecycle: object was replaced")

// healthReconciler watches node heartbeats and taints nodes by their conditions (doc.go,
// "Node health").
type healthReconciler struct {
	nodes    *client.Typed[*core.Node]
	pods     *client.Typed[*core.Pod]
	nodeList informer.Lister[*core.Node]
	leases   informer.Lister[*coordination.Lease]
	podIndex informer.Lister[*core.Pod]
	clock    clock.Clock
	grace    time.Duration
	events   controller.EventRecorder
}

var _ reconcile.Reconciler = (*healthReconciler)(nil)

func newHealthReconciler(mgr Manager, opts Options) *healthReconciler {
	f := mgr.Informers()
	return &healthReconciler{
		nodes:    client.For[*core.Node](mgr.Client()),
		pods:     client.For[*core.Pod](mgr.Client()),
		nodeList: informer.For[*core.Node](f).Lister(),
		leases:   informer.For[*coordination.Lease](f).Lister(),
		podIndex: informer.For[*core.Pod](f).Lister(),
		clock:    mgr.Clock(),
		grace:    opts.GracePeriod,
		events:   mgr.EventRecorder("node-controller"),
	}
}

// Reconcile checks one node's heartbeat, marks it unreachable when it is older than the
// grace period, keeps its taints in step with its conditions, and asks to be called again
// at the instant the heartbeat would expire.
func (r *healthReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	node, err := r.nodeList.Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	now := r.clock.Now()
	due := r.lastHeartbeat(node).Add(r.grace)
	if !now.Before(due) {
		if node, err = r.markUnknown(ctx, node, now); err != nil || node == nil {
			return reconcile.Result{}, err
		}
	}
	if c := core.GetNodeCondition(&node.Status, core.NodeReady); c != nil && c.Status == core.ConditionUnknown {
		if err := r.markPodsNotReady(ctx, node.Name, now); err != nil {
			return reconcile.Result{}, err
		}
	}
	if err := r.syncTaints(ctx, node, now); err != nil {
		return reconcile.Result{}, err
	}
	if now.Before(due) {
		return reconcile.Result{RequeueAfter: due.Sub(now)}, nil
	}
	return reconcile.Result{}, nil
}

// lastHeartbeat is the node's latest sign of life: its Lease's renewTime or its Ready
// condition's lastHeartbeatTime, whichever is later; its creation when it has neither.
func (r *healthReconciler) lastHeartbeat(node *core.Node) time.Time {
	var last time.Time
	if c := core.GetNodeCondition(&node.Status, core.NodeReady); c != nil {
		last = c.LastHeartbeatTime.Time
	}
	if l, err := r.leases.Namespace(nodeLeaseNamespace).Get(node.Name); err == nil && l.Spec.RenewTime != nil && l.Spec.RenewTime.After(last) {
		last = l.Spec.RenewTime.Time
	}
	if last.IsZero() {
		last = node.CreationTimestamp.Time
	}
	return last
}

// markUnknown sets the node's Ready, MemoryPressure, DiskPressure and PIDPressure conditions
// to Unknown, as Kubernetes' node lifecycle controller does for a silent kubelet, and
// records a NodeNotReady event when Ready leaves True. It returns the node as written (nil
// if it is gone).
func (r *healthReconciler) markUnknown(ctx context.Context, node *core.Node, now time.Time) (*core.Node, error) {
	wasReady := core.IsNodeReady(node)
	out, err := client.GuaranteedUpdateStatus(ctx, r.nodes, "", node.Name, func(cur *core.Node) error {
		if cur.UID != node.UID {
			return errReplaced
		}
		if !now.Before(r.lastHeartbeat(cur).Add(r.grace)) {
			setUnknown(&cur.Status, cur.CreationTimestamp, now)
		}
		return nil
	})
	if store.IsNotFound(err) || errors.Is(err, errReplaced) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if wasReady && !core.IsNodeReady(out) {
		logr.FromContextOrDiscard(ctx).Info("Node stopped posting its status; marking it unknown", "node", node.Name)
		r.events.Eventf(out, core.EventTypeNormal, "NodeNotReady", "Node %s status is now: NodeNotReady", node.Name)
	}
	return out, nil
}

// setUnknown sets the silentConditions of st to Unknown: conditions the kubelet never posted
// are added with reason NodeStatusNeverUpdated, the others change to reason
// NodeStatusUnknown (keeping their lastHeartbeatTime) unless already Unknown.
func setUnknown(st *core.NodeStatus, created meta.Time, now time.Time) {
	for _, t := range silentConditions {
		c := core.GetNodeCondition(st, t)
		switch {
		case c == nil:
			st.Conditions = append(st.Conditions, core.NodeCondition{
				Type: t, Status: core.ConditionUnknown, Reason: reasonStatusNeverUpdated, Message: messageNeverUpdated,
				LastHeartbeatTime: created, LastTransitionTime: meta.NewTime(now),
			})
		case c.Status != core.ConditionUnknown:
			c.Status, c.Reason, c.Message = core.ConditionUnknown, reasonStatusUnknown, messageStatusUnknown
			c.LastTransitionTime = meta.NewTime(now)
		}
	}
}

// markPodsNotReady sets Ready to False on the pods of a node whose kubelet went silent, as
// nobody else can say that they no longer serve, and records a NodeNotReady event on each.
func (r *healthReconciler) markPodsNotReady(ctx context.Context, nodeName string, now time.Time) error {
	pods, err := r.podIndex.ByIndex(indexPodsByNodeName, nodeName)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range pods {
		if !core.IsPodReady(p) || p.DeletionTimestamp != nil {
			continue
		}
		out, err := client.GuaranteedUpdateStatus(ctx, r.pods, p.Namespace, p.Name, func(cur *core.Pod) error {
			if cur.UID != p.UID || cur.Spec.NodeName != nodeName {
				return errReplaced
			}
			core.UpdatePodCondition(&cur.Status, &core.PodCondition{Type: core.PodReady, Status: core.ConditionFalse, LastTransitionTime: meta.NewTime(now)})
			return nil
		})
		switch {
		case store.IsNotFound(err) || errors.Is(err, errReplaced):
		case err != nil:
			errs = append(errs, err)
		default:
			r.events.Event(out, core.EventTypeWarning, "NodeNotReady", "Node is not ready")
		}
	}
	return errors.Join(errs...)
}

// syncTaints makes the node's managed taints those its conditions call for.
func (r *healthReconciler) syncTaints(ctx context.Context, node *core.Node, now time.Time) error {
	if _, changed := reconcileTaints(node.Spec.Taints, desiredTaints(node), now); !changed {
		return nil
	}
	_, err := client.GuaranteedUpdate(ctx, r.nodes, "", node.Name, func(cur *core.Node) error {
		if cur.UID != node.UID {
			return errReplaced
		}
		if taints, changed := reconcileTaints(cur.Spec.Taints, desiredTaints(cur), now); changed {
			cur.Spec.Taints = taints
		}
		return nil
	})
	if store.IsNotFound(err) || errors.Is(err, errReplaced) {
		return nil
	}
	if err == nil {
		logr.FromContextOrDiscard(ctx).V(1).Info("Updated the node's taints", "node", node.Name)
	}
	return err
}
