package main

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// WebsiteReconciler makes each Website's Deployment exist with the Website's image and
// replicas, and reports the Deployment's readiness in the Website's status. It reads from
// informer caches and writes through the client, as every skiff controller does.
type WebsiteReconciler struct {
	// Websites and Deployments read the informer caches: shared, read-only objects.
	Websites    informer.Lister[*Website]
	Deployments informer.Lister[*apps.Deployment]
	// Client writes Deployments and Website statuses.
	Client client.Client
	// Recorder records what the controller did as Events on the Website.
	Recorder controller.EventRecorder
	// Clock stamps the conditions.
	Clock clock.Clock
}

var _ reconcile.Reconciler = (*WebsiteReconciler)(nil)

// SetupWebsiteController builds the Website controller on mgr: it reconciles a Website when
// its spec changes (GenerationChanged: the controller's own status writes do not trigger it)
// and when the Deployment it owns changes.
func SetupWebsiteController(mgr *manager.Manager) (*controller.Controller, error) {
	f := mgr.Informers()
	r := &WebsiteReconciler{
		Websites:    informer.For[*Website](f).Lister(),
		Deployments: informer.For[*apps.Deployment](f).Lister(),
		Client:      mgr.Client(),
		Recorder:    mgr.EventRecorder("website-controller"),
		Clock:       mgr.Clock(),
	}
	return controller.NewBuilder[*Website](mgr).
		WithPredicates(controller.GenerationChanged[*Website]{}).
		Watch(controller.Owns[*apps.Deployment]()).
		WithWorkers(2).
		Build(r)
}

// Reconcile brings one Website's Deployment and status up to date.
func (r *WebsiteReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logr.FromContextOrDiscard(ctx)
	site, err := r.Websites.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil // deleted: its Deployment goes with it (owner reference)
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if site.DeletionTimestamp != nil {
		return reconcile.Result{}, nil
	}

	deploy, err := r.Deployments.Namespace(site.Namespace).Get(site.Name)
	switch {
	case store.IsNotFound(err):
		deploy, err = client.For[*apps.Deployment](r.Client).Create(ctx, desiredDeployment(site))
		if store.IsAlreadyExists(err) {
			return reconcile.Result{Requeue: true}, nil // the cache is behind: look again
		}
		if err != nil {
			return reconcile.Result{}, fmt.Errorf("creating deployment: %w", err)
		}
		log.Info("Created deployment")
		r.Recorder.Eventf(site, core.EventTypeNormal, "Created", "Created deployment %s", deploy.Name)
	case err != nil:
		return reconcile.Result{}, err
	case !meta.IsControlledBy(deploy, site):
		msg := fmt.Sprintf("deployment %s exists and is not managed by this website", deploy.Name)
		r.Recorder.Event(site, core.EventTypeWarning, "Conflict", msg)
		if err := r.setStatus(ctx, site, nil, meta.Condition{Type: ConditionReady, Status: meta.ConditionFalse, Reason: "Conflict", Message: msg}); err != nil {
			return reconcile.Result{}, err
		}
		// The Deployment is not ours, so its events do not reach us: look again later.
		return reconcile.Result{RequeueAfter: time.Minute}, nil
	case needsUpdate(deploy, site):
		// deploy is the cache's: change a copy.
		deploy, err = client.GuaranteedUpdate(ctx, client.For[*apps.Deployment](r.Client), deploy.Namespace, deploy.Name,
			func(d *apps.Deployment) error {
				want := desiredDeployment(site)
				d.Spec.Replicas = want.Spec.Replicas
				d.Spec.Template.Spec.Containers[0].Image = want.Spec.Template.Spec.Containers[0].Image
				return nil
			})
		if err != nil {
			return reconcile.Result{}, fmt.Errorf("updating deployment: %w", err)
		}
		r.Recorder.Eventf(site, core.EventTypeNormal, "Updated", "Updated deployment %s: %d replicas of %s",
			deploy.Name, *site.Spec.Replicas, site.Spec.Image)
	}

	ready := meta.Condition{Type: ConditionReady, Status: meta.ConditionFalse, Reason: "Progressing",
		Message: fmt.Sprintf("%d of %d replicas ready", deploy.Status.ReadyReplicas, *site.Spec.Replicas)}
	if deploy.Status.ReadyReplicas >= *site.Spec.Replicas {
		ready.Status, ready.Reason = meta.ConditionTrue, "AllReplicasReady"
	}
	return reconcile.Result{}, r.setStatus(ctx, site, deploy, ready)
}

// setStatus writes site's status if it changed; deploy may be nil.
func (r *WebsiteReconciler) setStatus(ctx context.Context, site *Website, deploy *apps.Deployment, ready meta.Condition) error {
	st := site.DeepCopyObject().(*Website).Status // site is the cache's: work on a copy
	st.ObservedGeneration = site.Generation
	if deploy != nil {
		st.Deployment, st.ReadyReplicas = deploy.Name, deploy.Status.ReadyReplicas
	}
	ready.ObservedGeneration = site.Generation
	var changed bool
	st.Conditions, changed = meta.SetCondition(st.Conditions, ready, meta.NewTime(r.Clock.Now()))
	if !changed && st.ObservedGeneration == site.Status.ObservedGeneration &&
		st.Deployment == site.Status.Deployment && st.ReadyReplicas == site.Status.ReadyReplicas {
		return nil
	}
	_, err := client.GuaranteedUpdateStatus(ctx, client.For[*Website](r.Client), site.Namespace, site.Name, func(w *Website) error {
		w.Status = st
		return nil
	})
	return err
}

// desiredDeployment is the Deployment a Website asks for.
func desiredDeployment(site *Website) *apps.Deployment {
	labels := map[string]string{"app.kubernetes.io/name": "website", "app.kubernetes.io/instance": site.Name}
	owner := meta.NewControllerRef(site)
	owner.APIVersion, owner.Kind = WebsiteGVK.APIVersion(), WebsiteGVK.Kind // cached objects may lack TypeMeta
	replicas := *site.Spec.Replicas
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{
			Namespace:       site.Namespace,
			Name:            site.Name,
			Labels:          maps.Clone(labels),
			OwnerReferences: []meta.OwnerReference{owner},
		},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: maps.Clone(labels)},
				Spec: core.PodSpec{Containers: []core.Container{{
					Name:  "web",
					Image: site.Spec.Image,
					Ports: []core.ContainerPort{{Name: "http", ContainerPort: 80}},
				}}},
			},
		},
	}
}

// needsUpdate reports whether deploy differs from what site asks for.
func needsUpdate(deploy *apps.Deployment, site *Website) bool {
	cs := deploy.Spec.Template.Spec.Containers
	return deploy.Spec.Replicas == nil || *deploy.Spec.Replicas != *site.Spec.Replicas ||
		len(cs) == 0 || cs[0].Image != site.Spec.Image
}
