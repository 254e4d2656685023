package namespace

import (
	"context"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// finalizerEstimate is how long content held by finalizers is expected to take, as in
// Kubernetes (finalizerEstimateSeconds).
const finalizerEstimate = 15 * time.Second

// content is what one pass over a namespace's content found: what is left after the
// deletes, and why.
type content struct {
	// left counts the objects still there, per resource (e.g. "pods", "deployments.apps").
	left map[string]int
	// finalizers counts the objects still there per finalizer they carry.
	finalizers map[string]int
	// estimate is how long the remaining objects should take to go: the longest remaining
	// grace period of a terminating pod, at least finalizerEstimate if finalizers hold any.
	estimate time.Duration
	// errs are the failures of the pass, one per resource.
	errs []error
}

func (c *content) remaining() bool { return len(c.left) > 0 }

// requeue is when to look again at a namespace whose content is going: after half the
// estimate plus a second, as Kubernetes does, or through the rate limiter without one.
func (c *content) requeue() reconcile.Result {
	if c.estimate > 0 {
		return reconcile.Result{RequeueAfter: c.estimate/2 + time.Second}
	}
	return reconcile.Result{Requeue: true}
}

// deleteContent deletes every object of every namespaced kind in namespace ns, and reports
// what is left. Objects already being deleted are left to finish (their finalizers and
// grace periods are respected); the others are deleted with Background propagation and a
// uid precondition. The content is read live, not from caches: no informer covers every
// kind, and a stale cache would let a namespace go while it still has content. When proceed
// is set, it is asked before each kind whether to go on; a false answer ends the pass
// with nothing left to report.
func (r *Reconciler) deleteContent(ctx context.Context, ns string, proceed func() (bool, error)) *content {
	c := &content{left: map[string]int{}, finalizers: map[string]int{}}
	for _, info := range r.scheme.Kinds() {
		if !info.Namespaced {
			continue
		}
		if proceed != nil {
			ok, err := proceed()
			if err != nil {
				c.errs = append(c.errs, err)
				return c
			}
			if !ok {
				return &content{left: map[string]int{}, finalizers: map[string]int{}}
			}
		}
		if err := r.deleteKind(ctx, info, ns, c); err != nil {
			c.errs = append(c.errs, fmt.Errorf("%s: %w", info.GroupResource(), err))
		}
	}
	return c
}

// deleteKind deletes the objects of one kind in ns and records what is left in c.
func (r *Reconciler) deleteKind(ctx context.Context, info *scheme.KindInfo, ns string, c *content) error {
	list, err := r.client.List(ctx, info.GVK, store.ListOptions{Namespace: ns})
	if err != nil {
		return err
	}
	if len(list.Items) == 0 {
		return nil
	}
	background := meta.DeletePropagationBackground
	deleted := false
	for _, o := range list.Items {
		if o.GetDeletionTimestamp() != nil {
			continue
		}
		uid := o.GetUID()
		_, err := r.client.Delete(ctx, info.GVK, ns, o.GetName(), store.DeleteOptions{
			Preconditions:     &meta.Preconditions{UID: &uid},
			PropagationPolicy: &background,
		})
		if err != nil && !store.IsNotFound(err) && !store.IsConflict(err) {
			return err
		}
		deleted = true
	}
	if deleted {
		if list, err = r.client.List(ctx, info.GVK, store.ListOptions{Namespace: ns}); err != nil {
			return err
		}
	}
	if len(list.Items) == 0 {
		return nil
	}
	c.left[info.GroupResource().String()] += len(list.Items)
	now := r.clock.Now()
	for _, o := range list.Items {
		m := o.GetObjectMeta()
		for _, f := range m.Finalizers {
			c.finalizers[f]++
		}
		if len(m.Finalizers) > 0 {
			c.estimate = max(c.estimate, finalizerEstimate)
		}
		if info.GVK == scheme.PodGVK && m.DeletionTimestamp != nil {
			c.estimate = max(c.estimate, m.DeletionTimestamp.Sub(now), time.Second)
		}
	}
	return nil
}
