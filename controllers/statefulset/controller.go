package statefulset

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
)

// DefaultWorkers is the default Options.Workers: kube-controller-manager's
// --concurrent-statefulset-syncs.
const DefaultWorkers = 5

// ComponentName is the source component of the controller's events and its name in the
// manager.
const ComponentName = "statefulset-controller"

// Options configure the StatefulSet controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of StatefulSets synced concurrently (never the same one twice
	// at once). Default DefaultWorkers.
	Workers int
	// MaxBatch caps the pods a Parallel StatefulSet creates or deletes at once. Default
	// DefaultMaxBatch.
	MaxBatch int
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
	if o.MaxBatch < 0 {
		errs = append(errs, errors.New("max batch must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("statefulset: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = DefaultMaxBatch
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

// Add builds the StatefulSet controller and adds it to mgr, which starts it (at once if mgr
// is running). It watches StatefulSets, pods, PersistentVolumeClaims and ControllerRevisions
// through mgr's shared informers, adding the controller-UID index to pods. It fails if opts
// do not validate or the controller cannot be built.
func Add(mgr Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	setInf := informer.For[*apps.StatefulSet](f)
	podInf := informer.For[*core.Pod](f)
	claimInf := informer.For[*core.PersistentVolumeClaim](f)
	revInf := informer.For[*apps.ControllerRevision](f)
	err := podInf.AddIndexers(informer.Indexers[*core.Pod]{informer.IndexControllerUID: informer.ControllerUIDIndexFunc[*core.Pod]})
	if err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return fmt.Errorf("statefulset: %w", err)
	}
	c := mgr.Client()
	r := &Reconciler{
		sets:        client.For[*apps.StatefulSet](c),
		pods:        client.For[*core.Pod](c),
		claims:      client.For[*core.PersistentVolumeClaim](c),
		setLister:   setInf.Lister(),
		podLister:   podInf.Lister(),
		claimLister: claimInf.Lister(),
		history:     history.NewHistory(c, revInf.Lister()),
		recorder:    opts.Recorder,
		clock:       mgr.Clock(),
		maxBatch:    opts.MaxBatch,
	}
	ctrl, err := controller.New("statefulset", r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", apps.GroupName, "controllerKind", "StatefulSet"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return err
	}
	for _, src := range []controller.Source{
		controller.Kind(setInf, controller.EnqueueObject[*apps.StatefulSet]{}),
		controller.Kind(podInf, podHandler{r}),
		controller.Kind(revInf, ownedHandler[*apps.ControllerRevision]{r}),
		controller.Kind(claimInf, claimHandler{r}),
	} {
		if err := ctrl.Watch(src); err != nil {
			return err
		}
	}
	return mgr.Add(ctrl)
}

// podHandler turns pod events into StatefulSet requests (objects.md §4): a pod with a
// controller reference wakes its owner only (found by name, checked by UID); an orphan named
// like a member wakes the sets of its namespace whose selector matches it, so that one
// adopts it. A pod that just became Ready wakes its owner again once minReadySeconds have
// passed, to count it available.
type podHandler struct{ r *Reconciler }

var _ controller.EventHandler[*core.Pod] = podHandler{}

func (h podHandler) Create(_ context.Context, pod *core.Pod, q controller.Queue) {
	if ref := meta.GetControllerOf(pod); ref != nil {
		if set, ok := h.r.resolve(pod.Namespace, ref); ok {
			q.Add(controller.RequestFor(set))
		}
		return
	}
	if pod.DeletionTimestamp != nil {
		return // a terminating orphan is never adopted
	}
	for _, set := range h.r.matchingSets(pod.Namespace, pod.Labels, pod.Name) {
		q.Add(controller.RequestFor(set))
	}
}

func (h podHandler) Update(_ context.Context, oldPod, curPod *core.Pod, q controller.Queue) {
	if oldPod.ResourceVersion == curPod.ResourceVersion {
		return // a resync: nothing changed
	}
	curRef, oldRef := meta.GetControllerOf(curPod), meta.GetControllerOf(oldPod)
	refChanged := !sameRef(curRef, oldRef)
	if refChanged && oldRef != nil {
		if set, ok := h.r.resolve(oldPod.Namespace, oldRef); ok {
			q.Add(controller.RequestFor(set))
		}
	}
	if curRef != nil {
		set, ok := h.r.resolve(curPod.Namespace, curRef)
		if !ok {
			return
		}
		req := controller.RequestFor(set)
		q.Add(req)
		if !core.IsPodReady(oldPod) && core.IsPodReady(curPod) && set.Spec.MinReadySeconds > 0 {
			q.AddAfter(req, time.Duration(set.Spec.MinReadySeconds)*time.Second+time.Second)
		}
		return
	}
	if refChanged || !maps.Equal(oldPod.Labels, curPod.Labels) {
		for _, set := range h.r.matchingSets(curPod.Namespace, curPod.Labels, curPod.Name) {
			q.Add(controller.RequestFor(set))
		}
	}
}

func (h podHandler) Delete(_ context.Context, pod *core.Pod, q controller.Queue) {
	if set, ok := h.r.resolve(pod.Namespace, meta.GetControllerOf(pod)); ok {
		q.Add(controller.RequestFor(set))
	}
}

// ownedHandler turns the events of a kind StatefulSets control (ControllerRevisions) into
// requests: the controller owner, or for an orphan every set whose selector matches it.
type ownedHandler[T meta.Object] struct{ r *Reconciler }

func (h ownedHandler[T]) Create(_ context.Context, obj T, q controller.Queue) { h.enqueue(obj, q) }

func (h ownedHandler[T]) Update(_ context.Context, oldObj, curObj T, q controller.Queue) {
	if oldObj.GetResourceVersion() == curObj.GetResourceVersion() {
		return
	}
	h.enqueue(oldObj, q)
	h.enqueue(curObj, q)
}

func (h ownedHandler[T]) Delete(_ context.Context, obj T, q controller.Queue) { h.enqueue(obj, q) }

func (h ownedHandler[T]) enqueue(obj T, q controller.Queue) {
	m := obj.GetObjectMeta()
	if ref := meta.GetControllerOf(obj); ref != nil {
		if set, ok := h.r.resolve(m.Namespace, ref); ok {
			q.Add(controller.RequestFor(set))
		}
		return
	}
	for _, set := range h.r.matchingSets(m.Namespace, m.Labels, "") {
		q.Add(controller.RequestFor(set))
	}
}

// claimHandler wakes the sets a PersistentVolumeClaim concerns when it changes: those it
// references, and those whose selector matches its labels (claims get the selector's
// matchLabels), so that a pod waiting for a stale or deleting claim is created once the
// claim is gone.
type claimHandler struct{ r *Reconciler }

func (h claimHandler) Create(_ context.Context, c *core.PersistentVolumeClaim, q controller.Queue) {
	h.enqueue(c, q)
}

func (h claimHandler) Update(_ context.Context, oldC, curC *core.PersistentVolumeClaim, q controller.Queue) {
	if oldC.ResourceVersion != curC.ResourceVersion {
		h.enqueue(curC, q)
	}
}

func (h claimHandler) Delete(_ context.Context, c *core.PersistentVolumeClaim, q controller.Queue) {
	h.enqueue(c, q)
}

func (h claimHandler) enqueue(c *core.PersistentVolumeClaim, q controller.Queue) {
	for i := range c.OwnerReferences {
		if set, ok := h.r.resolve(c.Namespace, &c.OwnerReferences[i]); ok {
			q.Add(controller.RequestFor(set))
		}
	}
	for _, set := range h.r.matchingSets(c.Namespace, c.Labels, "") {
		q.Add(controller.RequestFor(set))
	}
}

// resolve returns the StatefulSet an owner reference names, from the cache.
func (r *Reconciler) resolve(namespace string, ref *meta.OwnerReference) (*apps.StatefulSet, bool) {
	return controllerref.Resolve(r.setLister, scheme.StatefulSetGVK, namespace, ref)
}

// matchingSets returns the StatefulSets of namespace whose selector matches lbls and, when
// podName is set, whose members' names it has. Invalid and empty selectors match nothing.
func (r *Reconciler) matchingSets(namespace string, lbls map[string]string, podName string) []*apps.StatefulSet {
	var out []*apps.StatefulSet
	parent, ord := parentAndOrdinal(podName)
	for _, set := range r.setLister.Namespace(namespace).List(nil) {
		if podName != "" && (ord < 0 || parent != set.Name) {
			continue
		}
		sel, err := labels.FromLabelSelector(set.Spec.Selector)
		if err != nil || sel.Empty() {
			continue
		}
		if sel.Matches(labels.Set(lbls)) {
			out = append(out, set)
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
	_ controller.EventHandler[*apps.ControllerRevision]    = ownedHandler[*apps.ControllerRevision]{}
	_ controller.EventHandler[*core.PersistentVolumeClaim] = claimHandler{}
)
