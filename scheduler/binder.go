package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/store"
)

// Binder writes a scheduling decision: it binds pod to the node named nodeName, setting
// spec.nodeName and the PodScheduled=True condition. pod is the informer's copy, shared:
// never modify it. Bind returns nil once spec.nodeName is written; an error wrapping
// ErrConditionNotSet means the pod is bound but the condition could not be written; any other
// error means the pod is not bound by this call (ErrAlreadyBound, ErrPodDeleting, a store
// NotFound when the pod is gone, or a failed write). Bind is called from several goroutines at
// once, for different pods.
type Binder interface {
	// Bind binds pod to the node named nodeName.
	Bind(ctx context.Context, pod *core.Pod, nodeName string) error
}

// BinderFunc adapts a function to Binder.
type BinderFunc func(ctx context.Context, pod *core.Pod, nodeName string) error

var _ Binder = BinderFunc(nil)

// Bind calls f.
func (f BinderFunc) Bind(ctx context.Context, pod *core.Pod, nodeName string) error {
	return f(ctx, pod, nodeName)
}

// ClientBinder is the default Binder: it writes through a client, in two writes, without
// reading the pod first.
//
//  1. Update of the pod as the informer has it, with spec.nodeName set, conditional on the
//     informer's resourceVersion. On Conflict (the pod changed since), it reads the pod and
//     tries again as long as the pod is the same (uid), unbound and not being deleted, as
//     client.GuaranteedUpdate does.
//  2. UpdateStatus of the result with PodScheduled=True, retried the same way on Conflict
//     (the kubelet may have written the status in between).
//
// Kubernetes binds in a single write through the pods/binding subresource; skiff's store has
// no such operation, hence the two.
type ClientBinder struct {
	pods  *client.Typed[*core.Pod]
	clock clock.Clock
}

var _ Binder = (*ClientBinder)(nil)

// NewClientBinder returns a ClientBinder writing through c, reading the time of the
// condition's lastTransitionTime from clk.
func NewClientBinder(c client.Client, clk clock.Clock) *ClientBinder {
	return &ClientBinder{pods: client.For[*core.Pod](c), clock: clk}
}

// Bind binds pod to nodeName; see ClientBinder.
func (b *ClientBinder) Bind(ctx context.Context, pod *core.Pod, nodeName string) error {
	p := pod.DeepCopy()
	p.Spec.NodeName = nodeName
	bound, err := b.pods.Update(ctx, p)
	if store.IsConflict(err) {
		bound, err = client.GuaranteedUpdate(ctx, b.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
			if err := b.check(cur, pod.UID, nodeName); err != nil {
				return err
			}
			cur.Spec.NodeName = nodeName
			return nil
		})
	}
	if err != nil {
		return err
	}
	cond := core.PodCondition{
		Type:               core.PodScheduled,
		Status:             core.ConditionTrue,
		LastTransitionTime: meta.NewTime(b.clock.Now()),
	}
	if !core.UpdatePodCondition(&bound.Status, &cond) {
		return nil
	}
	_, err = b.pods.UpdateStatus(ctx, bound)
	if store.IsConflict(err) {
		_, err = client.GuaranteedUpdateStatus(ctx, b.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
			if cur.UID != pod.UID || cur.Spec.NodeName != nodeName {
				return errSkipWrite
			}
			core.UpdatePodCondition(&cur.Status, &cond)
			return nil
		})
	}
	if err == nil || errors.Is(err, errSkipWrite) || store.IsNotFound(err) {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrConditionNotSet, err)
}

// check returns why cur, the current state of the pod being bound to nodeName, must not be
// bound: gone (another uid), bound elsewhere, being deleted. A pod already bound to nodeName
// is left as it is, which makes GuaranteedUpdate write nothing.
func (b *ClientBinder) check(cur *core.Pod, uid meta.UID, nodeName string) error {
	switch {
	case cur.UID != uid:
		return store.NewNotFound(b.pods.Kind().GroupResource(), cur.Name)
	case cur.Spec.NodeName == nodeName:
		return nil
	case cur.Spec.NodeName != "":
		return fmt.Errorf("%w: %s", ErrAlreadyBound, cur.Spec.NodeName)
	case cur.DeletionTimestamp != nil:
		return ErrPodDeleting
	}
	return nil
}
