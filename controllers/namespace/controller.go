package namespace

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/workqueue"
)

// ControllerName is the namespace controller's name in its manager, logs and metrics.
const ControllerName = "namespace"

// Finalizer is the metadata finalizer the controller puts on every namespace whose
// spec.finalizers holds "kubernetes", and removes when it removes that one. The store does
// not treat a namespace's spec.finalizers as finalizers, so without it a deleted namespace
// would vanish at once instead of staying Terminating while it is emptied (see doc.go).
const Finalizer = "skiff.dev/namespace"

// DefaultWorkers is the default Options.Workers, kube-controller-manager's
// --concurrent-namespace-syncs.
const DefaultWorkers = 10

// Options configure the namespace controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of namespaces emptied at once. Default DefaultWorkers.
	Workers int
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return errors.New("namespace: Workers must not be negative")
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}

// Reconciler is the namespace controller's reconciler: one Request per namespace name. See
// the package documentation for what it does. Make one with NewReconciler; Add wires it to
// a manager.
type Reconciler struct {
	client     client.Client
	namespaces *client.Typed[*core.Namespace]
	lister     informer.Lister[*core.Namespace]
	scheme     *scheme.Scheme
	clock      clock.Clock
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// NewReconciler returns the reconciler of the namespaces of mgr's shared informer, writing
// through mgr's client.
func NewReconciler(mgr controller.Manager) *Reconciler {
	c := mgr.Client()
	return &Reconciler{
		client:     c,
		namespaces: client.For[*core.Namespace](c),
		lister:     informer.For[*core.Namespace](mgr.Informers()).Lister(),
		scheme:     c.Scheme(),
		clock:      mgr.Clock(),
	}
}

// Add builds the namespace controller on mgr and adds it to mgr. Failed namespaces are
// retried with back-off from 5 ms to at most a minute, as in Kubernetes.
func Add(mgr controller.Manager, opts Options) (*controller.Controller, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	limiter := workqueue.NewMaxOfRateLimiter(
		workqueue.NewItemExponentialFailureRateLimiter[reconcile.Request](5*time.Millisecond, time.Minute),
		workqueue.NewBucketRateLimiter[reconcile.Request](10, 100, mgr.Clock()),
	)
	return controller.NewBuilder[*core.Namespace](mgr).
		Named(ControllerName).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.Workers, RateLimiter: limiter}).
		Build(NewReconciler(mgr))
}

// Reconcile brings one namespace along its lifecycle (doc.go, steps 1–5).
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	ns, err := r.lister.Get(req.Name)
	switch {
	case store.IsNotFound(err):
		return r.sweep(ctx, req.Name)
	case err != nil:
		return reconcile.Result{}, err
	case ns.DeletionTimestamp == nil:
		return reconcile.Result{}, r.ensureFinalizer(ctx, ns)
	}
	return r.finalize(ctx, ns)
}

// ensureFinalizer adds Finalizer to a live namespace whose spec.finalizers holds
// "kubernetes".
func (r *Reconciler) ensureFinalizer(ctx context.Context, ns *core.Namespace) error {
	if !slices.Contains(ns.Spec.Finalizers, core.FinalizerKubernetes) || meta.HasFinalizer(ns, Finalizer) {
		return nil
	}
	_, err := client.GuaranteedUpdate(ctx, r.namespaces, "", ns.Name, func(cur *core.Namespace) error {
		if cur.UID != ns.UID || cur.DeletionTimestamp != nil || !slices.Contains(cur.Spec.Finalizers, core.FinalizerKubernetes) {
			return nil // replaced, or deleted meanwhile: no finalizer may be added now
		}
		meta.AddFinalizer(cur, Finalizer)
		return nil
	})
	return client.IgnoreNotFound(err)
}

// finalize empties a namespace being deleted and then lets it go.
func (r *Reconciler) finalize(ctx context.Context, ns *core.Namespace) (reconcile.Result, error) {
	if ns.Status.Phase != core.NamespaceTerminating {
		updated, err := client.GuaranteedUpdateStatus(ctx, r.namespaces, "", ns.Name, func(cur *core.Namespace) error {
			cur.Status.Phase = core.NamespaceTerminating
			return nil
		})
		if err != nil {
			return reconcile.Result{}, client.IgnoreNotFound(err)
		}
		ns = updated
	}
	if !slices.Contains(ns.Spec.Finalizers, core.FinalizerKubernetes) {
		// Emptied already: only other spec finalizers (someone else's) may be left.
		return reconcile.Result{}, r.release(ctx, ns)
	}
	res := r.deleteContent(ctx, ns.Name, nil)
	if err := r.setConditions(ctx, ns, res); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if len(res.errs) > 0 {
		return reconcile.Result{}, errors.Join(res.errs...)
	}
	log := logr.FromContextOrDiscard(ctx)
	if res.remaining() {
		log.V(1).Info("Waiting for the namespace's content to go", "left", res.left, "finalizers", res.finalizers)
		return res.requeue(), nil
	}
	log.Info("Namespace emptied; removing its finalizer")
	return reconcile.Result{}, r.release(ctx, ns)
}

// release removes "kubernetes" from an emptied namespace's spec.finalizers and, once no
// spec finalizer is left, Finalizer from its metadata: the store then removes it (unless
// other metadata finalizers remain).
func (r *Reconciler) release(ctx context.Context, ns *core.Namespace) error {
	_, err := client.GuaranteedUpdate(ctx, r.namespaces, "", ns.Name, func(cur *core.Namespace) error {
		if cur.UID != ns.UID {
			return nil
		}
		cur.Spec.Finalizers = slices.DeleteFunc(cur.Spec.Finalizers, func(f core.FinalizerName) bool { return f == core.FinalizerKubernetes })
		if len(cur.Spec.Finalizers) == 0 {
			cur.Spec.Finalizers = nil
			meta.RemoveFinalizer(cur, Finalizer)
		}
		return nil
	})
	return client.IgnoreNotFound(err)
}

// sweep deletes what is left in a namespace that no longer exists: one deleted before the
// controller could add its Finalizer, or by a store that removed it at once. The namespace
// is read live first, and again before each kind, so that the content of a namespace
// re-created under the same name (which the cache may not show yet) is never touched.
func (r *Reconciler) sweep(ctx context.Context, name string) (reconcile.Result, error) {
	gone := func() (bool, error) {
		_, err := r.namespaces.Get(ctx, "", name)
		if store.IsNotFound(err) {
			return true, nil
		}
		return false, err
	}
	if ok, err := gone(); !ok || err != nil {
		return reconcile.Result{}, err
	}
	res := r.deleteContent(ctx, name, gone)
	if len(res.errs) > 0 {
		return reconcile.Result{}, errors.Join(res.errs...)
	}
	if res.remaining() {
		return res.requeue(), nil
	}
	return reconcile.Result{}, nil
}
