package replicaset

import (
	"context"
	"maps"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// Manager is what Add needs from the manager that runs the controller. *manager.Manager
// implements it.
type Manager interface {
	controller.Manager
	// EventRecorder returns a recorder of events from component.
	EventRecorder(component string) *controller.Recorder
}

// Add builds the ReplicaSet controller and adds it to mgr, which starts it (at once if mgr is
// running). It watches ReplicaSets and pods through mgr's shared informers, adding the
// controller-UID index to both. It fails if opts do not validate or the controller cannot be
// built.
func Add(mgr Manager, opts Options) error {
	_, err := add(mgr, opts)
	return err
}

// add is Add, returning the controller for the package's tests.
func add(mgr Manager, opts Options) (*controller.Controller, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	rsInf, podInf := informer.For[*apps.ReplicaSet](f), informer.For[*core.Pod](f)
	if err := controllerref.AddControllerUIDIndex("replicaset", rsInf); err != nil {
		return nil, err
	}
	if err := controllerref.AddControllerUIDIndex("replicaset", podInf); err != nil {
		return nil, err
	}
	if err := controllerref.AddIndex("replicaset", podInf, controllerref.IndexOrphans, controllerref.OrphanIndexFunc[*core.Pod]); err != nil {
		return nil, err
	}
	c := mgr.Client()
	r := &Reconciler{
		client:     c,
		rss:        client.For[*apps.ReplicaSet](c),
		pods:       client.For[*core.Pod](c),
		rsLister:   rsInf.Lister(),
		podLister:  podInf.Lister(),
		podControl: podcontrol.New(c, opts.Recorder),
		exp:        expectations.New[reconcile.Request](mgr.Clock()),
		clock:      mgr.Clock(),
		burst:      opts.BurstReplicas,
	}
	ctrl, err := controller.New("replicaset", r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", apps.GroupName, "controllerKind", "ReplicaSet"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return nil, err
	}
	if err := ctrl.Watch(controller.Kind(rsInf, replicaSetHandler{r})); err != nil {
		return nil, err
	}
	if err := ctrl.Watch(controller.Kind(podInf, podHandler{r})); err != nil {
		return nil, err
	}
	if err := mgr.Add(ctrl); err != nil {
		return nil, err
	}
	return ctrl, nil
}

// replicaSetHandler turns ReplicaSet events into requests (../shared/spec/replicaset.md §2):
// every change is queued, so that resyncs retry; a deleted ReplicaSet, or one replaced under
// the same name (another UID), loses its expectations first.
type replicaSetHandler struct{ r *Reconciler }

var _ controller.EventHandler[*apps.ReplicaSet] = replicaSetHandler{}

func (h replicaSetHandler) Create(_ context.Context, rs *apps.ReplicaSet, q controller.Queue) {
	q.Add(controller.RequestFor(rs))
}

func (h replicaSetHandler) Update(_ context.Context, oldRS, curRS *apps.ReplicaSet, q controller.Queue) {
	if oldRS.UID != curRS.UID {
		h.r.exp.Delete(controller.RequestFor(oldRS))
	}
	q.Add(controller.RequestFor(curRS))
}

func (h replicaSetHandler) Delete(_ context.Context, rs *apps.ReplicaSet, q controller.Queue) {
	req := controller.RequestFor(rs)
	h.r.exp.Delete(req)
	q.Add(req)
}

// podHandler turns pod events into ReplicaSet requests, observing expectations
// (../shared/spec/replicaset.md §2): a pod with a controller reference wakes its owner only
// (found by name, checked by UID); an orphan wakes every ReplicaSet of its namespace whose
// selector matches it, so that one adopts it.
type podHandler struct{ r *Reconciler }

var _ controller.EventHandler[*core.Pod] = podHandler{}

// Create observes the creation of an owned pod. A pod that arrives already terminating (seen
// first after a restart) counts as deleted, not created.
func (h podHandler) Create(_ context.Context, pod *core.Pod, q controller.Queue) {
	if pod.DeletionTimestamp != nil {
		h.deleted(pod, q)
		return
	}
	if ref := meta.GetControllerOf(pod); ref != nil {
		rs, ok := h.r.resolve(pod.Namespace, ref)
		if !ok {
			return
		}
		req := controller.RequestFor(rs)
		h.r.exp.CreationObserved(req)
		q.Add(req)
		return
	}
	for _, rs := range h.r.matchingReplicaSets(pod) {
		q.Add(controller.RequestFor(rs))
	}
}

// Update wakes the owners concerned by a change. A pod that started terminating is handled
// as deleted at once, so that its replacement is created without waiting for the grace
// period; when its labels changed too, for the old owner as well. A changed controller
// reference wakes the old owner. A pod that just became ready wakes its owner again once
// minReadySeconds have passed, to count it available.
func (h podHandler) Update(_ context.Context, oldPod, curPod *core.Pod, q controller.Queue) {
	if oldPod.ResourceVersion == curPod.ResourceVersion {
		return // a resync: nothing changed
	}
	labelsChanged := !maps.Equal(oldPod.Labels, curPod.Labels)
	if curPod.DeletionTimestamp != nil {
		h.deleted(curPod, q)
		if labelsChanged {
			h.deleted(oldPod, q)
		}
		return
	}
	curRef, oldRef := meta.GetControllerOf(curPod), meta.GetControllerOf(oldPod)
	refChanged := !controllerref.SameController(curRef, oldRef)
	if refChanged && oldRef != nil {
		if rs, ok := h.r.resolve(oldPod.Namespace, oldRef); ok {
			q.Add(controller.RequestFor(rs))
		}
	}
	if curRef != nil {
		rs, ok := h.r.resolve(curPod.Namespace, curRef)
		if !ok {
			return
		}
		req := controller.RequestFor(rs)
		q.Add(req)
		if !core.IsPodReady(oldPod) && core.IsPodReady(curPod) && rs.Spec.MinReadySeconds > 0 {
			q.AddAfter(req, time.Duration(rs.Spec.MinReadySeconds)*time.Second+time.Second)
		}
		return
	}
	if labelsChanged || refChanged {
		for _, rs := range h.r.matchingReplicaSets(curPod) {
			q.Add(controller.RequestFor(rs))
		}
	}
}

// Delete observes the deletion of an owned pod and wakes its owner.
func (h podHandler) Delete(_ context.Context, pod *core.Pod, q controller.Queue) {
	h.deleted(pod, q)
}

func (h podHandler) deleted(pod *core.Pod, q controller.Queue) {
	ref := meta.GetControllerOf(pod)
	if ref == nil {
		return // nobody counts orphans
	}
	rs, ok := h.r.resolve(pod.Namespace, ref)
	if !ok {
		return
	}
	req := controller.RequestFor(rs)
	h.r.exp.DeletionObserved(req, pod.UID)
	q.Add(req)
}

// resolve returns the ReplicaSet a pod's controller reference names, from the cache.
func (r *Reconciler) resolve(namespace string, ref *meta.OwnerReference) (*apps.ReplicaSet, bool) {
	return controllerref.Resolve(r.rsLister, scheme.ReplicaSetGVK, namespace, ref)
}

// matchingReplicaSets returns the ReplicaSets of the pod's namespace whose selector matches
// it: the candidates to adopt an orphan. Invalid and empty selectors match nothing.
func (r *Reconciler) matchingReplicaSets(pod *core.Pod) []*apps.ReplicaSet {
	return controllerref.MatchingOwners(r.rsLister, pod.Namespace, labels.Set(pod.Labels), replicaSetSelector)
}

func replicaSetSelector(rs *apps.ReplicaSet) *meta.LabelSelector { return rs.Spec.Selector }
