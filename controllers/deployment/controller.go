package deployment

import (
	"context"
	"maps"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
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

// Add builds the Deployment controller and adds it to mgr, which starts it (at once if mgr
// is running). It watches Deployments, ReplicaSets and pods through mgr's shared informers,
// adding the controller-UID index to the ReplicaSet and pod informers. It fails if opts do not
// validate or the controller cannot be built.
func Add(mgr Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	dInf, rsInf, podInf := informer.For[*apps.Deployment](f), informer.For[*apps.ReplicaSet](f), informer.For[*core.Pod](f)
	if err := controllerref.AddControllerUIDIndex("deployment", rsInf); err != nil {
		return err
	}
	if err := controllerref.AddControllerUIDIndex("deployment", podInf); err != nil {
		return err
	}
	c := mgr.Client()
	r := &Reconciler{
		deployments: client.For[*apps.Deployment](c),
		rss:         client.For[*apps.ReplicaSet](c),
		dLister:     dInf.Lister(),
		rsLister:    rsInf.Lister(),
		podLister:   podInf.Lister(),
		recorder:    opts.Recorder,
		clock:       mgr.Clock(),
		failures:    map[reconcile.Request]int{},
		written:     map[reconcile.Request]uint64{},
	}
	ctrl, err := controller.New("deployment", r, controller.Options{
		MaxConcurrentReconciles: opts.Workers,
		Clock:                   mgr.Clock(),
		Logger:                  mgr.Logger().WithValues("controllerGroup", apps.GroupName, "controllerKind", "Deployment"),
		Metrics:                 mgr.Metrics(),
	})
	if err != nil {
		return err
	}
	for _, src := range []controller.Source{
		controller.Kind(dInf, controller.EnqueueObject[*apps.Deployment]{}),
		controller.Kind(rsInf, replicaSetHandler{r}),
		controller.Kind(podInf, podHandler{r}),
	} {
		if err := ctrl.Watch(src); err != nil {
			return err
		}
	}
	return mgr.Add(ctrl)
}

// replicaSetHandler turns ReplicaSet events into Deployment requests: a ReplicaSet with a
// controller reference wakes the Deployment it names (name, kind and UID checked); an orphan
// wakes every Deployment whose selector matches it, so that one adopts it. A changed controller
// reference wakes the old owner too.
type replicaSetHandler struct{ r *Reconciler }

var _ controller.EventHandler[*apps.ReplicaSet] = replicaSetHandler{}

func (h replicaSetHandler) Create(ctx context.Context, rs *apps.ReplicaSet, q controller.Queue) {
	if rs.DeletionTimestamp != nil {
		h.Delete(ctx, rs, q) // seen first while being deleted (after a restart)
		return
	}
	if ref := meta.GetControllerOf(rs); ref != nil {
		if d, ok := h.r.resolve(rs.Namespace, ref); ok {
			q.Add(controller.RequestFor(d))
		}
		return
	}
	for _, d := range h.r.matchingDeployments(rs) {
		q.Add(controller.RequestFor(d))
	}
}

func (h replicaSetHandler) Update(_ context.Context, oldRS, curRS *apps.ReplicaSet, q controller.Queue) {
	if oldRS.ResourceVersion == curRS.ResourceVersion {
		return // a resync: nothing changed
	}
	curRef, oldRef := meta.GetControllerOf(curRS), meta.GetControllerOf(oldRS)
	refChanged := !controllerref.SameController(curRef, oldRef)
	if refChanged && oldRef != nil {
		if d, ok := h.r.resolve(oldRS.Namespace, oldRef); ok {
			q.Add(controller.RequestFor(d))
		}
	}
	if curRef != nil {
		if d, ok := h.r.resolve(curRS.Namespace, curRef); ok {
			q.Add(controller.RequestFor(d))
		}
		return
	}
	if refChanged || !maps.Equal(curRS.Labels, oldRS.Labels) {
		for _, d := range h.r.matchingDeployments(curRS) {
			q.Add(controller.RequestFor(d))
		}
	}
}

func (h replicaSetHandler) Delete(_ context.Context, rs *apps.ReplicaSet, q controller.Queue) {
	if d, ok := h.r.resolve(rs.Namespace, meta.GetControllerOf(rs)); ok {
		q.Add(controller.RequestFor(d))
	}
}

// podHandler wakes a Recreate Deployment when the last pod of its ReplicaSets is deleted: it
// waits for exactly that before creating the new ReplicaSet.
type podHandler struct{ r *Reconciler }

var _ controller.EventHandler[*core.Pod] = podHandler{}

func (podHandler) Create(context.Context, *core.Pod, controller.Queue)            {}
func (podHandler) Update(context.Context, *core.Pod, *core.Pod, controller.Queue) {}

func (h podHandler) Delete(_ context.Context, pod *core.Pod, q controller.Queue) {
	rs, ok := controllerref.Resolve(h.r.rsLister, scheme.ReplicaSetGVK, pod.Namespace, meta.GetControllerOf(pod))
	if !ok {
		return
	}
	d, ok := h.r.resolve(rs.Namespace, meta.GetControllerOf(rs))
	if !ok || d.Spec.Strategy.Type != apps.RecreateDeploymentStrategyType {
		return
	}
	sel, err := labels.FromLabelSelector(d.Spec.Selector)
	if err != nil {
		return
	}
	rss, _ := h.r.rsLister.ByIndex(informer.IndexControllerUID, string(d.UID))
	for _, rs := range rss {
		pods, _ := h.r.podLister.ByIndex(informer.IndexControllerUID, string(rs.UID))
		for _, p := range pods {
			if p.Namespace == d.Namespace && sel.Matches(labels.Set(p.Labels)) {
				return // pods remain
			}
		}
	}
	q.Add(controller.RequestFor(d))
}

// resolve returns the Deployment a controller reference names, from the cache.
func (r *Reconciler) resolve(namespace string, ref *meta.OwnerReference) (*apps.Deployment, bool) {
	return controllerref.Resolve(r.dLister, scheme.DeploymentGVK, namespace, ref)
}

// matchingDeployments returns the Deployments of the ReplicaSet's namespace whose selector
// matches it (empty selectors match nothing here). More than one is a user error; ownership
// settles it.
func (r *Reconciler) matchingDeployments(rs *apps.ReplicaSet) []*apps.Deployment {
	return controllerref.MatchingOwners(r.dLister, rs.Namespace, labels.Set(rs.Labels), deploymentSelector)
}

func deploymentSelector(d *apps.Deployment) *meta.LabelSelector { return d.Spec.Selector }
