package replicaset

import (
	"context"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Reconciler syncs one ReplicaSet: see the package documentation for the algorithm. Add
// builds it; it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	client     client.Client
	rss        *client.Typed[*apps.ReplicaSet]
	pods       *client.Typed[*core.Pod]
	rsLister   informer.Lister[*apps.ReplicaSet]
	podLister  informer.Lister[*core.Pod]
	podControl *podcontrol.PodControl
	exp        *expectations.Expectations[reconcile.Request]
	clock      clock.Clock
	burst      int
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// Reconcile syncs the ReplicaSet req names (../shared/spec/replicaset.md §3).
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logr.FromContextOrDiscard(ctx)
	cached, err := r.rsLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		r.exp.Delete(req)
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	// Checked before the pods are listed: a creation observed after the check is then seen by
	// the list, never missed by both.
	needsSync := r.exp.Satisfied(req)
	selector, err := labels.FromLabelSelector(cached.Spec.Selector)
	if err != nil {
		log.Error(err, "Invalid selector; not syncing")
		return reconcile.Result{}, nil
	}

	kept, toClaim, terminating := r.candidatePods(cached, selector)
	claimer := controllerref.NewClaimer(r.pods, controllerref.NewControllerRef(cached, scheme.ReplicaSetGVK), selector,
		controllerref.Options[*core.Pod]{
			Namespace: cached.Namespace,
			Deleting:  cached.DeletionTimestamp != nil,
			CanAdopt:  controllerref.RecheckDeletion(r.rss, cached),
		})
	claimed, err := claimer.Claim(ctx, toClaim)
	if err != nil {
		return reconcile.Result{}, err
	}
	owned := append(kept, claimed...)

	var manageErr error
	if needsSync && cached.DeletionTimestamp == nil {
		manageErr = r.manageReplicas(ctx, req, owned, cached)
	}
	status := calculateStatus(cached, owned, terminating, manageErr, r.clock.Now())
	updated, err := r.updateStatus(ctx, cached, status)
	if err != nil {
		return reconcile.Result{}, err
	}
	if manageErr != nil {
		return reconcile.Result{}, manageErr
	}
	// Pods ready but not yet available become available by the clock alone: look again then.
	if s := updated.Status; updated.Spec.MinReadySeconds > 0 && s.ReadyReplicas == replicas(updated) && s.AvailableReplicas != replicas(updated) {
		return reconcile.Result{RequeueAfter: time.Duration(updated.Spec.MinReadySeconds) * time.Second}, nil
	}
	return reconcile.Result{}, nil
}

// candidatePods sorts the pods the ReplicaSet may claim, from informer indexes: those it
// controls, whatever their labels (to release those that stopped matching), and the orphans of
// its namespace that its selector matches (to adopt them). Kubernetes lists the whole
// namespace; pods controlled by other owners would be ignored by the claim anyway.
//
// kept are the active pods it controls that still match: the claim would keep them as they
// are, so they skip it (the index already says who controls them, and a sync of a large
// ReplicaSet is a loop over its pods). toClaim are the other active candidates, for the
// claimer to adopt or release. terminating are the matching pods it controls that are being
// deleted and have not finished.
func (r *Reconciler) candidatePods(rs *apps.ReplicaSet, selector labels.Selector) (kept, toClaim, terminating []*core.Pod) {
	owned, _ := r.podLister.ByIndex(informer.IndexControllerUID, string(rs.UID)) // the indexes exist (Add)
	orphans, _ := r.podLister.ByIndex(controllerref.IndexOrphans, rs.Namespace)
	kept = make([]*core.Pod, 0, len(owned))
	for _, p := range owned {
		if p.Namespace != rs.Namespace {
			continue
		}
		terminal := core.IsPodTerminal(p)
		switch matches := selector.Matches(labels.Set(p.Labels)); {
		case p.DeletionTimestamp != nil:
			if matches && !terminal {
				terminating = append(terminating, p)
			}
		case terminal:
		case matches:
			kept = append(kept, p)
		default:
			toClaim = append(toClaim, p) // to release
		}
	}
	for _, p := range orphans {
		if core.IsPodActive(p) && selector.Matches(labels.Set(p.Labels)) {
			toClaim = append(toClaim, p) // to adopt
		}
	}
	return kept, toClaim, terminating
}

// manageReplicas creates or deletes pods so that the ReplicaSet has spec.replicas active
// pods, at most burst of them per sync, recording expectations first
// (../shared/spec/replicaset.md §3, manageReplicas).
func (r *Reconciler) manageReplicas(ctx context.Context, req reconcile.Request, pods []*core.Pod, rs *apps.ReplicaSet) error {
	diff := len(pods) - int(replicas(rs))
	switch {
	case diff < 0:
		n := min(-diff, r.burst)
		r.exp.ExpectCreations(req, n)
		ref := controllerref.NewControllerRef(rs, scheme.ReplicaSetGVK)
		created, err := podcontrol.SlowStartBatch(n, podcontrol.SlowStartInitialBatchSize, func() error {
			_, err := r.podControl.CreatePod(ctx, rs.Namespace, &rs.Spec.Template, rs, ref)
			if err != nil && podcontrol.IsNamespaceTerminating(err) {
				return nil // every creation would fail; nothing to retry
			}
			return err
		})
		// Creations that failed or were never attempted will never be observed.
		if skipped := n - created; skipped > 0 {
			r.exp.CreationsSkipped(req, skipped)
		}
		return err
	case diff > 0:
		n := min(diff, r.burst)
		victims := podcontrol.PodsToDelete(pods, r.relatedPods(rs), n, r.clock.Now())
		r.exp.ExpectDeletions(req, podcontrol.UIDs(victims))
		errs := make([]error, len(victims))
		var wg sync.WaitGroup
		for i, p := range victims {
			wg.Go(func() {
				if err := r.podControl.DeletePod(ctx, rs.Namespace, p.Name, rs); err != nil {
					// The deletion will never be observed.
					r.exp.DeletionObserved(req, p.UID)
					if !store.IsNotFound(err) {
						errs[i] = err
					}
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// relatedPods returns the pods controlled by every ReplicaSet that shares rs's owner (for a
// Deployment: all its ReplicaSets): the pods whose placement ranks rs's pods for deletion. A
// ReplicaSet without an owner has none, as in Kubernetes: its pods all rank 0.
func (r *Reconciler) relatedPods(rs *apps.ReplicaSet) []*core.Pod {
	ref := meta.GetControllerOf(rs)
	if ref == nil {
		return nil
	}
	siblings, _ := r.rsLister.ByIndex(informer.IndexControllerUID, string(ref.UID))
	var out []*core.Pod
	for _, sib := range siblings {
		if sib.Namespace != rs.Namespace {
			continue
		}
		pods, _ := r.podLister.ByIndex(informer.IndexControllerUID, string(sib.UID))
		out = append(out, pods...)
	}
	return out
}

// replicas returns spec.replicas (1 when unset, as defaulting makes it).
func replicas(rs *apps.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}
