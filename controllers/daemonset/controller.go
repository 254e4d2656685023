package daemonset

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// Defaults for the zero fields of Options, Kubernetes' (kube-controller-manager's
// --concurrent-daemonset-syncs and the controller's BurstReplicas).
const (
	// DefaultWorkers is the number of DaemonSets synced at once.
	DefaultWorkers = 2
	// DefaultBurstReplicas caps the pods one sync creates, and those it deletes.
	DefaultBurstReplicas = 250
)

// ComponentName is the source component of the controller's events and its name in the
// manager.
const ComponentName = "daemonset-controller"

// Options configure the DaemonSet controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of DaemonSets synced concurrently (never the same one twice at
	// once). Default DefaultWorkers.
	Workers int
	// BurstReplicas caps the pods one sync creates, and those it deletes; the rest wait for
	// the next sync, once the cache has caught up. Default DefaultBurstReplicas.
	BurstReplicas int
	// Recorder records the controller's events. Default: the manager's recorder for
	// ComponentName.
	Recorder controller.EventRecorder
}

// Validate rejects negative counts.
func (o Options) Validate() error {
	var errs []error
	if o.Workers < 0 {
		errs = append(errs, errors.New("workers must not be negative"))
	}
	if o.BurstReplicas < 0 {
		errs = append(errs, errors.New("burst replicas must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("daemonset: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.BurstReplicas == 0 {
		o.BurstReplicas = DefaultBurstReplicas
	}
	return o
}

// Manager is what Add needs from the manager that runs the controller. *manager.Manager
// implements it.
type Manager interface {
	controller.Manager
	// EventRecorder returns a recorder of events from component.
	EventRecorder(component string) *controller.Recorder
}

// Add builds the DaemonSet controller and adds it to mgr, which starts it (at once if mgr is
// running). It watches DaemonSets, pods, nodes and ControllerRevisions through mgr's shared
// informers, adding the controller-UID index to pods. It fails if opts do not validate or
// the controller cannot be built.
func Add(mgr Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	dsInf := informer.For[*apps.DaemonSet](f)
	podInf := informer.For[*core.Pod](f)
	nodeInf := informer.For[*core.Node](f)
	revInf := informer.For[*apps.ControllerRevision](f)
	err := podInf.AddIndexers(informer.Indexers[*core.Pod]{informer.IndexControllerUID: informer.ControllerUIDIndexFunc[*core.Pod]})
	if err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return fmt.Errorf("daemonset: %w", err)
	}
	c := mgr.Client()
	r := &Reconciler{
		dss:        client.For[*apps.DaemonSet](c),
		pods:       client.For[*core.Pod](c),
		dsLister:   dsInf.Lister(),
		podLister:  podInf.Lister(),
		nodeLister: nodeInf.Lister(),
		history:    history.NewHistory(c, revInf.Lister()),
		podControl: podcontrol.New(c, opts.Recorder),
		recorder:   opts.Recorder,
		exp:        expectations.New[expKey](mgr.Clock()),
		failed:     newBackoff(failedPodBackoffInitial, failedPodBackoffMax),
		clock:      mgr.Clock(),
		burst:      opts.BurstReplicas,
	}
	ctrl, err := controller.New("daemonset", r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", apps.GroupName, "controllerKind", "DaemonSet"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return err
	}
	for _, src := range []controller.Source{
		controller.Kind(dsInf, dsHandler{r}),
		controller.Kind(podInf, podHandler{r}),
		controller.Kind(nodeInf, nodeHandler{r}),
		controller.Kind(revInf, revisionHandler{r}),
	} {
		if err := ctrl.Watch(src); err != nil {
			return err
		}
	}
	return mgr.Add(ctrl)
}

// dsHandler queues every change of a DaemonSet; a deleted one, or one replaced under the
// same name (another UID), loses its expectations first.
type dsHandler struct{ r *Reconciler }

func (h dsHandler) Create(_ context.Context, ds *apps.DaemonSet, q controller.Queue) {
	q.Add(controller.RequestFor(ds))
}

func (h dsHandler) Update(_ context.Context, oldDS, curDS *apps.DaemonSet, q controller.Queue) {
	if oldDS.UID != curDS.UID {
		h.r.forget(controller.RequestFor(oldDS))
	}
	q.Add(controller.RequestFor(curDS))
}

func (h dsHandler) Delete(_ context.Context, ds *apps.DaemonSet, q controller.Queue) {
	req := controller.RequestFor(ds)
	h.r.forget(req)
	q.Add(req)
}

// podHandler turns pod events into DaemonSet requests, observing expectations
// (objects.md §4): a pod with a controller reference wakes its owner only; an orphan wakes
// every DaemonSet whose selector matches it, so that one adopts it. A pod seen terminating
// counts as deleted. A pod that just became Ready wakes its owner again once minReadySeconds
// have passed.
type podHandler struct{ r *Reconciler }

func (h podHandler) Create(_ context.Context, pod *core.Pod, q controller.Queue) {
	if pod.DeletionTimestamp != nil {
		h.deleted(pod, q)
		return
	}
	if ref := meta.GetControllerOf(pod); ref != nil {
		if ds, ok := h.r.resolve(pod.Namespace, ref); ok {
			req := controller.RequestFor(ds)
			h.r.exp.CreationObserved(expKey{req, false})
			q.Add(req)
		}
		return
	}
	for _, ds := range h.r.matching(pod.Namespace, pod.Labels) {
		q.Add(controller.RequestFor(ds))
	}
}

func (h podHandler) Update(_ context.Context, oldPod, curPod *core.Pod, q controller.Queue) {
	if oldPod.ResourceVersion == curPod.ResourceVersion {
		return // a resync: nothing changed
	}
	if curPod.DeletionTimestamp != nil {
		h.deleted(curPod, q)
		return
	}
	curRef, oldRef := meta.GetControllerOf(curPod), meta.GetControllerOf(oldPod)
	refChanged := !sameRef(curRef, oldRef)
	if refChanged && oldRef != nil {
		if ds, ok := h.r.resolve(oldPod.Namespace, oldRef); ok {
			q.Add(controller.RequestFor(ds))
		}
	}
	if curRef != nil {
		ds, ok := h.r.resolve(curPod.Namespace, curRef)
		if !ok {
			return
		}
		req := controller.RequestFor(ds)
		q.Add(req)
		if !core.IsPodReady(oldPod) && core.IsPodReady(curPod) && ds.Spec.MinReadySeconds > 0 {
			q.AddAfter(req, time.Duration(ds.Spec.MinReadySeconds)*time.Second+time.Second)
		}
		return
	}
	if refChanged || !maps.Equal(oldPod.Labels, curPod.Labels) {
		for _, ds := range h.r.matching(curPod.Namespace, curPod.Labels) {
			q.Add(controller.RequestFor(ds))
		}
	}
}

func (h podHandler) Delete(_ context.Context, pod *core.Pod, q controller.Queue) { h.deleted(pod, q) }

func (h podHandler) deleted(pod *core.Pod, q controller.Queue) {
	ds, ok := h.r.resolve(pod.Namespace, meta.GetControllerOf(pod))
	if !ok {
		return
	}
	req := controller.RequestFor(ds)
	h.r.exp.DeletionObserved(expKey{req, true}, pod.UID)
	q.Add(req)
}

// nodeHandler wakes the DaemonSets a node change concerns: a new node wakes those that should
// run on it; a change of labels or taints wakes those for which the node's verdict changed;
// a deleted node wakes those that had it, so its pods go.
type nodeHandler struct{ r *Reconciler }

func (h nodeHandler) Create(_ context.Context, node *core.Node, q controller.Queue) {
	for _, ds := range h.r.dsLister.List(nil) {
		if run, _ := newPlacement(ds).shouldRun(node); run {
			q.Add(controller.RequestFor(ds))
		}
	}
}

func (h nodeHandler) Update(_ context.Context, oldNode, curNode *core.Node, q controller.Queue) {
	if maps.Equal(oldNode.Labels, curNode.Labels) && slices.Equal(oldNode.Spec.Taints, curNode.Spec.Taints) {
		return // status and heartbeats do not change where daemon pods belong
	}
	for _, ds := range h.r.dsLister.List(nil) {
		p := newPlacement(ds)
		oldRun, oldStay := p.shouldRun(oldNode)
		curRun, curStay := p.shouldRun(curNode)
		if oldRun != curRun || oldStay != curStay {
			q.Add(controller.RequestFor(ds))
		}
	}
}

func (h nodeHandler) Delete(_ context.Context, node *core.Node, q controller.Queue) {
	for _, ds := range h.r.dsLister.List(nil) {
		if _, stay := newPlacement(ds).shouldRun(node); stay {
			q.Add(controller.RequestFor(ds))
		}
	}
}

// revisionHandler wakes the owner of a ControllerRevision, or for an orphan every DaemonSet
// whose selector matches it.
type revisionHandler struct{ r *Reconciler }

func (h revisionHandler) Create(_ context.Context, rev *apps.ControllerRevision, q controller.Queue) {
	h.enqueue(rev, q)
}

func (h revisionHandler) Update(_ context.Context, oldRev, curRev *apps.ControllerRevision, q controller.Queue) {
	if oldRev.ResourceVersion == curRev.ResourceVersion {
		return
	}
	h.enqueue(oldRev, q)
	h.enqueue(curRev, q)
}

func (h revisionHandler) Delete(_ context.Context, rev *apps.ControllerRevision, q controller.Queue) {
	h.enqueue(rev, q)
}

func (h revisionHandler) enqueue(rev *apps.ControllerRevision, q controller.Queue) {
	if ref := meta.GetControllerOf(rev); ref != nil {
		if ds, ok := h.r.resolve(rev.Namespace, ref); ok {
			q.Add(controller.RequestFor(ds))
		}
		return
	}
	for _, ds := range h.r.matching(rev.Namespace, rev.Labels) {
		q.Add(controller.RequestFor(ds))
	}
}

// resolve returns the DaemonSet an owner reference names, from the cache.
func (r *Reconciler) resolve(namespace string, ref *meta.OwnerReference) (*apps.DaemonSet, bool) {
	return controllerref.Resolve(r.dsLister, scheme.DaemonSetGVK, namespace, ref)
}

// matching returns the DaemonSets of namespace whose selector matches lbls. Invalid and empty
// selectors match nothing.
func (r *Reconciler) matching(namespace string, lbls map[string]string) []*apps.DaemonSet {
	var out []*apps.DaemonSet
	for _, ds := range r.dsLister.Namespace(namespace).List(nil) {
		sel, err := labels.FromLabelSelector(ds.Spec.Selector)
		if err != nil || sel.Empty() {
			continue
		}
		if sel.Matches(labels.Set(lbls)) {
			out = append(out, ds)
		}
	}
	return out
}

// sameRef reports whether two controller references are equal (both nil included).
func sameRef(a, b *meta.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID
}

var (
	_ controller.EventHandler[*apps.DaemonSet]          = dsHandler{}
	_ controller.EventHandler[*core.Pod]                = podHandler{}
	_ controller.EventHandler[*core.Node]               = nodeHandler{}
	_ controller.EventHandler[*apps.ControllerRevision] = revisionHandler{}
	_ reconcile.Reconciler                              = (*Reconciler)(nil)
)
