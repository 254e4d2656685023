package daemonset

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Event reasons of the controller, besides podcontrol's SuccessfulCreate and friends.
const (
	// SelectingAllReason warns about a DaemonSet whose selector selects every pod.
	SelectingAllReason = "SelectingAll"
	// FailedDaemonPodReason is recorded when a failed daemon pod is deleted.
	FailedDaemonPodReason = "FailedDaemonPod"
	// SucceededDaemonPodReason is recorded when a succeeded daemon pod is deleted.
	SucceededDaemonPodReason = "SucceededDaemonPod"
)

// expKey names one half of a DaemonSet's expectations: its pending creations, or its pending
// deletions (package expectations keeps one record per key and each Expect replaces it).
type expKey struct {
	req       reconcile.Request
	deletions bool
}

// Reconciler syncs one DaemonSet: see the package documentation for the algorithm. Add
// builds it; it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	dss        *client.Typed[*apps.DaemonSet]
	pods       *client.Typed[*core.Pod]
	dsLister   informer.Lister[*apps.DaemonSet]
	podLister  informer.Lister[*core.Pod]
	nodeLister informer.Lister[*core.Node]
	history    *history.History
	podControl *podcontrol.PodControl
	recorder   controller.EventRecorder
	exp        *expectations.Expectations[expKey]
	failed     *backoff
	clock      clock.Clock
	burst      int
}

// satisfied reports whether both halves of req's expectations are met.
func (r *Reconciler) satisfied(req reconcile.Request) bool {
	return r.exp.Satisfied(expKey{req, false}) && r.exp.Satisfied(expKey{req, true})
}

// forget drops req's expectations, for a DaemonSet that is gone.
func (r *Reconciler) forget(req reconcile.Request) {
	r.exp.Delete(expKey{req, false})
	r.exp.Delete(expKey{req, true})
}

// Reconcile syncs the DaemonSet req names (../shared/spec/daemonset.md §4).
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logr.FromContextOrDiscard(ctx)
	ds, err := r.dsLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		r.forget(req)
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	selector, err := labels.FromLabelSelector(ds.Spec.Selector)
	if err != nil {
		log.Error(err, "Invalid selector; not syncing")
		return reconcile.Result{}, nil // retrying cannot help: the DaemonSet must change first
	}
	if selector.Empty() {
		r.recorder.Event(ds, core.EventTypeWarning, SelectingAllReason, "This daemon set is selecting all pods. A non-empty selector is required.")
		return reconcile.Result{}, nil
	}
	if ds.DeletionTimestamp != nil {
		return reconcile.Result{}, nil // its status cannot be trusted while its dependents go
	}
	ref := controllerref.NewControllerRef(ds, scheme.DaemonSetGVK)
	canAdopt := onceErr(controllerref.RecheckDeletion(r.dss, ds))
	collisions := deref(ds.Status.CollisionCount)
	cur, old, err := r.constructHistory(ctx, ds, ref, selector, canAdopt, &collisions)
	if err != nil {
		if collisions != deref(ds.Status.CollisionCount) {
			// Keep the new count even though the revision is not there yet.
			st := *ds.Status.DeepCopy()
			st.CollisionCount = new(collisions)
			err = errors.Join(err, client.IgnoreNotFound(r.writeStatus(ctx, ds, st)))
		}
		return reconcile.Result{}, err
	}
	// Checked before the pods are listed: a creation observed after the check is then seen by
	// the list, never missed by both.
	needsSync := r.satisfied(req)
	v, err := r.view(ctx, ds, ref, selector, canAdopt, cur)
	if err != nil {
		return reconcile.Result{}, err
	}

	if !needsSync {
		// The cache does not show our last writes yet: only report, without claiming to have
		// acted on this generation.
		return reconcile.Result{}, ignoreReplaced(r.writeStatus(ctx, ds, v.computeStatus(false, collisions)))
	}
	requeue, syncErr := r.manage(ctx, req, v)
	if syncErr == nil && r.satisfied(req) && ds.Spec.UpdateStrategy.Type == apps.RollingUpdateDaemonSetStrategyType {
		del, create := v.planRollingUpdate()
		syncErr = r.syncNodes(ctx, req, v, del, create)
	}
	if syncErr == nil {
		syncErr = r.cleanupHistory(ctx, ds, v.nodePods, old)
	}
	st := v.computeStatus(true, collisions)
	statusErr := ignoreReplaced(r.writeStatus(ctx, ds, st))
	if err := errors.Join(syncErr, statusErr); err != nil {
		return reconcile.Result{}, err
	}
	if ds.Spec.MinReadySeconds > 0 && st.NumberReady != st.NumberAvailable {
		minReady := time.Duration(ds.Spec.MinReadySeconds) * time.Second
		if requeue == 0 || minReady < requeue {
			requeue = minReady
		}
	}
	return reconcile.Result{RequeueAfter: requeue}, nil
}

// ignoreReplaced drops the errors of a status write to a DaemonSet that is gone or was
// replaced: either way there is nothing left to report on.
func ignoreReplaced(err error) error {
	if errors.Is(err, errReplaced) || store.IsNotFound(err) {
		return nil
	}
	return err
}

// onceErr returns f, called at most once: later calls return the first answer. The pod and
// revision claims of one sync share one adoption check.
func onceErr(f func(context.Context) error) func(context.Context) error {
	var once sync.Once
	var err error
	return func(ctx context.Context) error {
		once.Do(func() { err = f(ctx) })
		return err
	}
}

// view claims ds's pods (objects.md §4) and builds the sync's picture: nodes by name, and
// pods by target node, oldest first. Pods that finished and are being deleted are left out,
// as are pods with no target node.
func (r *Reconciler) view(ctx context.Context, ds *apps.DaemonSet, ref meta.OwnerReference, selector labels.Selector, canAdopt func(context.Context) error, cur *apps.ControllerRevision) (*view, error) {
	candidates := r.podLister.Namespace(ds.Namespace).List(selector)
	owned, _ := r.podLister.ByIndex(informer.IndexControllerUID, string(ds.UID)) // Add made the index
	for _, p := range owned {
		if !selector.Matches(labels.Set(p.Labels)) && p.Namespace == ds.Namespace {
			candidates = append(candidates, p)
		}
	}
	claimer := controllerref.NewClaimer(r.pods, ref, selector, controllerref.Options[*core.Pod]{
		Namespace: ds.Namespace,
		Deleting:  ds.DeletionTimestamp != nil,
		CanAdopt:  canAdopt,
	})
	pods, err := claimer.Claim(ctx, candidates)
	if err != nil {
		return nil, fmt.Errorf("claiming pods: %w", err)
	}
	v := &view{
		ds:         ds,
		place:      newPlacement(ds),
		nodes:      r.nodeLister.List(nil),
		nodePods:   map[string][]*core.Pod{},
		hash:       cur.Labels[apps.DefaultDaemonSetUniqueLabelKey],
		generation: templateGeneration(ds),
		now:        r.clock.Now(),
	}
	slices.SortFunc(v.nodes, func(a, b *core.Node) int { return strings.Compare(a.Name, b.Name) })
	v.byName = make(map[string]*core.Node, len(v.nodes))
	for _, n := range v.nodes {
		v.byName[n.Name] = n
	}
	for _, p := range pods {
		if core.IsPodTerminal(p) && p.DeletionTimestamp != nil {
			continue
		}
		if node := targetNode(p); node != "" {
			v.nodePods[node] = append(v.nodePods[node], p)
		}
	}
	for _, ps := range v.nodePods {
		slices.SortFunc(ps, comparePods)
	}
	return v, nil
}

// manage makes every node run what it should (daemonset.md §4): a pod where one should run
// and none does; no pod where none may stay; failed and succeeded pods deleted (failed ones
// with a per-node back-off, whose remaining delay it returns); extra pods deleted (without
// surge the oldest is kept; with surge the oldest updated and oldest outdated are, the
// outdated one until the updated one is available). Pods on nodes that no longer exist are
// deleted at once (grace period 0: no kubelet is left to confirm).
func (r *Reconciler) manage(ctx context.Context, req reconcile.Request, v *view) (time.Duration, error) {
	var create []string
	var del []*core.Pod
	var requeue time.Duration
	surge := allowsSurge(v.ds)
	for _, node := range v.nodes {
		run, stay := v.place.shouldRun(node)
		pods := v.nodePods[node.Name]
		switch {
		case run && len(pods) == 0:
			create = append(create, node.Name)
		case stay:
			var alive []*core.Pod
			for _, p := range pods {
				switch {
				case p.DeletionTimestamp != nil:
				case p.Status.Phase == core.PodFailed:
					key := fmt.Sprintf("%s/%d/%s", v.ds.UID, v.ds.Status.ObservedGeneration, node.Name)
					if wait, delay := r.failed.InBackoff(key, v.now); wait {
						if requeue == 0 || delay < requeue {
							requeue = delay
						}
						continue
					}
					r.failed.Next(key, v.now)
					r.recorder.Eventf(v.ds, core.EventTypeWarning, FailedDaemonPodReason,
						"Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, node.Name)
					del = append(del, p)
				case p.Status.Phase == core.PodSucceeded:
					r.recorder.Eventf(v.ds, core.EventTypeNormal, SucceededDaemonPodReason,
						"Found succeeded daemon pod %s/%s on node %s, will try to delete it", p.Namespace, p.Name, node.Name)
					del = append(del, p)
				default:
					alive = append(alive, p)
				}
			}
			if !surge {
				if len(alive) > 1 {
					del = append(del, alive[1:]...) // keep the oldest
				}
				continue
			}
			if len(alive) == 0 && run {
				create = append(create, node.Name)
				continue
			}
			del = append(del, v.pruneSurge(alive)...)
		case len(pods) > 0:
			for _, p := range pods {
				if p.DeletionTimestamp == nil {
					del = append(del, p)
				}
			}
		}
	}
	for name, pods := range v.nodePods {
		if _, ok := v.byName[name]; ok {
			continue
		}
		for _, p := range pods {
			if p.DeletionTimestamp == nil {
				del = append(del, p)
			}
		}
	}
	return requeue, r.syncNodes(ctx, req, v, del, create)
}

// pruneSurge returns the pods to delete among a node's running pods, oldest first, when
// surging: all but the oldest updated and the oldest outdated pod, and that outdated pod
// too once it is not ready or the updated one is available.
func (v *view) pruneSurge(alive []*core.Pod) []*core.Pod {
	var del []*core.Pod
	var newest, oldest *core.Pod // the oldest updated and the oldest outdated pod
	for _, p := range alive {
		switch {
		case isUpdated(p, v.hash, v.generation) && newest == nil:
			newest = p
		case !isUpdated(p, v.hash, v.generation) && oldest == nil:
			oldest = p
		default:
			del = append(del, p)
		}
	}
	if newest != nil && oldest != nil && (!core.IsPodReady(oldest) || v.available(newest)) {
		del = append(del, oldest)
	}
	return del
}

// allowsSurge reports whether ds's rolling update creates before it deletes.
func allowsSurge(ds *apps.DaemonSet) bool {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != apps.RollingUpdateDaemonSetStrategyType || ru == nil || ru.MaxSurge == nil {
		return false
	}
	n, err := intstr.ScaledValue(ru.MaxSurge, 1, true) // any positive count or percentage
	return err == nil && n > 0
}

// syncNodes deletes del and creates a pod on each node of create, at most burst of each per
// sync, recording expectations first (daemonset.md §4 step 5). Creations go in slow-start
// batches (1, 2, 4, …) and stop after a batch with a failure; deletions run in parallel.
// Failed and skipped writes are given back to the expectations.
func (r *Reconciler) syncNodes(ctx context.Context, req reconcile.Request, v *view, del []*core.Pod, create []string) error {
	create = create[:min(len(create), r.burst)]
	del = del[:min(len(del), r.burst)]
	ckey, dkey := expKey{req, false}, expKey{req, true}
	uids := make([]meta.UID, len(del))
	for i, p := range del {
		uids[i] = p.UID
	}
	if len(create) > 0 {
		r.exp.ExpectCreations(ckey, len(create))
	}
	if len(del) > 0 {
		r.exp.ExpectDeletions(dkey, uids)
	}
	var errs []error
	if len(create) > 0 {
		template := podTemplate(v.ds, v.place.tols, v.hash, v.generation)
		ref := controllerref.NewControllerRef(v.ds, scheme.DaemonSetGVK)
		var next atomic.Int64
		_, err := podcontrol.SlowStartBatch(len(create), podcontrol.SlowStartInitialBatchSize, func() error {
			node := create[next.Add(1)-1]
			_, err := r.podControl.CreatePod(ctx, v.ds.Namespace, podTemplateFor(template, node), v.ds, ref)
			if err != nil {
				r.exp.CreationObserved(ckey)
			}
			return err
		})
		if skipped := len(create) - int(next.Load()); skipped > 0 {
			r.exp.CreationsSkipped(ckey, skipped)
		}
		if err != nil && !podcontrol.IsNamespaceTerminating(err) {
			errs = append(errs, err)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range del {
		wg.Go(func() {
			if err := r.deletePod(ctx, v, p); err != nil {
				r.exp.DeletionObserved(dkey, p.UID)
				if !store.IsNotFound(err) {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// deletePod deletes a daemon pod through podcontrol (events included); a pod whose node is
// gone is deleted with grace period 0, as Kubernetes' pod garbage collector would.
func (r *Reconciler) deletePod(ctx context.Context, v *view, p *core.Pod) error {
	if _, ok := v.byName[targetNode(p)]; ok {
		return r.podControl.DeletePod(ctx, p.Namespace, p.Name, v.ds)
	}
	_, err := r.pods.Delete(ctx, p.Namespace, p.Name, client.GracePeriod(0), client.PreconditionUID(p.UID))
	if err == nil {
		r.recorder.Eventf(v.ds, core.EventTypeNormal, podcontrol.SuccessfulDeleteReason, "Deleted pod: %v", p.Name)
	}
	return err
}
