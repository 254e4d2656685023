package statefulset

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Reconciler syncs one StatefulSet: see the package documentation for the algorithm. Add
// builds it; it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	sets        *client.Typed[*apps.StatefulSet]
	pods        *client.Typed[*core.Pod]
	claims      *client.Typed[*core.PersistentVolumeClaim]
	setLister   informer.Lister[*apps.StatefulSet]
	podLister   informer.Lister[*core.Pod]
	claimLister informer.Lister[*core.PersistentVolumeClaim]
	history     *history.History
	recorder    controller.EventRecorder
	clock       clock.Clock
	maxBatch    int // the most pods a Parallel set creates or deletes at once
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// Reconcile syncs the StatefulSet req names (../shared/spec/statefulset.md §4).
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	log := logr.FromContextOrDiscard(ctx)
	set, err := r.setLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	selector, err := labels.FromLabelSelector(set.Spec.Selector)
	if err != nil || selector.Empty() {
		log.Error(err, "Invalid or empty selector; not syncing")
		return reconcile.Result{}, nil // retrying cannot help: the set must change first
	}
	ref := controllerref.NewControllerRef(set, scheme.StatefulSetGVK)
	canAdopt := onceErr(controllerref.RecheckDeletion(r.sets, set))

	revs, err := r.history.Claim(ctx, set, ref, selector, canAdopt)
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("claiming revisions: %w", err)
	}
	pods, err := r.claimPods(ctx, set, ref, selector, canAdopt)
	if err != nil {
		return reconcile.Result{}, fmt.Errorf("claiming pods: %w", err)
	}

	status, rv, syncErr := r.sync(ctx, set, ref, revs, pods)
	var statusErr, truncErr error
	if status != nil {
		statusErr = client.IgnoreNotFound(r.writeStatus(ctx, set, status))
		if errors.Is(statusErr, errReplaced) {
			statusErr = nil // the new set gets its own sync
		}
	}
	if rv != nil {
		truncErr = r.truncateHistory(ctx, set, pods, revs, rv)
	}
	if err := errors.Join(syncErr, statusErr, truncErr); err != nil {
		return reconcile.Result{}, err
	}
	// Pods ready but not yet available become available by the clock alone: look again then.
	if set.Spec.MinReadySeconds > 0 && status != nil && int(status.AvailableReplicas) != replicaCount(set) {
		return reconcile.Result{RequeueAfter: time.Duration(set.Spec.MinReadySeconds) * time.Second}, nil
	}
	return reconcile.Result{}, nil
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

// claimPods returns the pods set owns (../shared/spec/objects.md §4), adopting orphans whose
// labels match and whose names are "<set>-<ordinal>", releasing owned pods that stopped
// matching. The candidates are the pods the selector matches and those set controls.
func (r *Reconciler) claimPods(ctx context.Context, set *apps.StatefulSet, ref meta.OwnerReference, selector labels.Selector, canAdopt func(context.Context) error) ([]*core.Pod, error) {
	candidates := r.podLister.Namespace(set.Namespace).List(selector)
	owned, _ := r.podLister.ByIndex(informer.IndexControllerUID, string(set.UID)) // Add made the index
	for _, p := range owned {
		if !selector.Matches(labels.Set(p.Labels)) && p.Namespace == set.Namespace {
			candidates = append(candidates, p)
		}
	}
	claimer := controllerref.NewClaimer(r.pods, ref, selector, controllerref.Options[*core.Pod]{
		Namespace: set.Namespace,
		Deleting:  set.DeletionTimestamp != nil,
		Filter:    func(p *core.Pod) bool { return isMemberOf(set, p) },
		CanAdopt:  canAdopt,
	})
	return claimer.Claim(ctx, candidates)
}

// sync is one pass of the algorithm over set's pods. It returns the status to write (nil
// when not even the revisions are known), the revisions, and the first error that stopped
// it. set, revs and pods are the cache's: read-only.
func (r *Reconciler) sync(ctx context.Context, set *apps.StatefulSet, ref meta.OwnerReference, revs []*apps.ControllerRevision, pods []*core.Pod) (*apps.StatefulSetStatus, *revisions, error) {
	rv, err := r.resolveRevisions(ctx, set, ref, revs)
	if err != nil {
		return nil, nil, err
	}
	now := r.clock.Now()
	status := &apps.StatefulSetStatus{
		ObservedGeneration: set.Generation,
		CurrentRevision:    rv.current.Name,
		UpdateRevision:     rv.update.Name,
		CollisionCount:     new(rv.collisionCount),
	}
	replicas, condemned := splitPods(set, ref, rv, pods)
	minReady := set.Spec.MinReadySeconds
	countPods(status, minReady, now, replicas, condemned)
	if set.DeletionTimestamp != nil {
		return status, rv, nil // a set being deleted only reports
	}
	first := firstUnhealthy(replicas, condemned)
	monotonic := set.Spec.PodManagementPolicy != apps.ParallelPodManagement

	// Step 3: every replica in ordinal order (monotonic stops at the first that blocks).
	if exit, err := r.runForAll(len(replicas), monotonic, func(i int) (bool, error) {
		return r.processReplica(ctx, set, monotonic, replicas[i], now)
	}); exit || err != nil {
		return status, rv, err
	}
	// Step 4: the claims of condemned pods follow the retention policy before they go.
	if exit, err := r.runForAll(len(condemned), monotonic, func(i int) (bool, error) {
		if r.claimsMatchPolicy(set, condemned[i]) {
			return false, nil
		}
		err := r.fixClaimRefs(ctx, set, condemned[i])
		return err != nil, err
	}); exit || err != nil {
		return status, rv, err
	}
	// Step 5: scale down, highest ordinal first (monotonic: one at a time).
	if exit, err := r.runForAll(len(condemned), monotonic, func(i int) (bool, error) {
		return r.processCondemned(ctx, set, monotonic, condemned[i], first, now)
	}); exit || err != nil {
		return status, rv, err
	}
	// Steps 6 and 7: updates.
	if set.Spec.UpdateStrategy.Type == apps.OnDeleteStatefulSetStrategyType {
		return status, rv, nil
	}
	return status, rv, r.rollingUpdate(ctx, set, rv, replicas, status, now)
}

// splitPods sorts pods into replicas, indexed by ordinal − start, with a virtual pod (not
// created: no phase) for each missing ordinal, and condemned pods (ordinals out of range),
// highest ordinal first. A virtual pod is made from the current revision when the strategy
// is RollingUpdate and its index is below the partition, else from the update revision.
func splitPods(set *apps.StatefulSet, ref meta.OwnerReference, rv *revisions, pods []*core.Pod) (replicas, condemned []*core.Pod) {
	start, n := startOrdinal(set), replicaCount(set)
	replicas = make([]*core.Pod, max(n, 0))
	for _, p := range pods {
		if !isMemberOf(set, p) {
			continue // claimed pods are members; others are never counted
		}
		switch ord := ordinalOf(p); {
		case ord >= start && ord < start+n:
			replicas[ord-start] = p
		case ord >= 0:
			condemned = append(condemned, p)
		}
	}
	partition := 0
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		partition = int(*ru.Partition)
	}
	rolling := set.Spec.UpdateStrategy.Type == apps.RollingUpdateStatefulSetStrategyType
	for i := range replicas {
		if replicas[i] != nil {
			continue
		}
		if rolling && i < partition {
			replicas[i] = newPod(rv.currentSet, ref, start+i, rv.current.Name)
		} else {
			replicas[i] = newPod(rv.updateSet, ref, start+i, rv.update.Name)
		}
	}
	slices.SortFunc(condemned, func(a, b *core.Pod) int { return ordinalOf(b) - ordinalOf(a) })
	return replicas, condemned
}

// firstUnhealthy returns the first pod, in ordinal order, that is not Running, Ready and
// alive: among replicas first, then among condemned pods (given highest first). A monotonic
// scale-down may delete it even though it is unhealthy.
func firstUnhealthy(replicas, condemned []*core.Pod) *core.Pod {
	for _, p := range replicas {
		if !isHealthy(p) {
			return p
		}
	}
	for i := len(condemned) - 1; i >= 0; i-- {
		if !isHealthy(condemned[i]) {
			return condemned[i]
		}
	}
	return nil
}

// runForAll runs fn over indexes [0, n): in order, stopping at the first call that asks to
// exit or fails, when monotonic; otherwise in slow-start batches (1, 2, 4, … at most
// maxBatch at once), stopping only on errors. It reports whether the pass must stop.
func (r *Reconciler) runForAll(n int, monotonic bool, fn func(i int) (bool, error)) (bool, error) {
	if monotonic {
		for i := range n {
			if exit, err := fn(i); exit || err != nil {
				return true, err
			}
		}
		return false, nil
	}
	if _, err := slowStartBatch(n, 1, r.maxBatch, func(i int) error {
		_, err := fn(i)
		return err
	}); err != nil {
		return true, err
	}
	return false, nil
}

// processReplica is step 3 for one replica. It reports whether a monotonic pass must stop.
func (r *Reconciler) processReplica(ctx context.Context, set *apps.StatefulSet, monotonic bool, pod *core.Pod, now time.Time) (bool, error) {
	// A pod that stopped for good is deleted; its replacement comes once it is gone.
	if isFinished(pod) {
		if !isTerminating(pod) {
			if err := r.deletePod(ctx, set, pod); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	if !isCreated(pod) {
		if r.claimsStale(set, pod) {
			return true, nil // a claim of an earlier pod waits for the garbage collector
		}
		if err := r.createPod(ctx, set, pod); err != nil {
			if store.IsAlreadyExists(err) {
				return true, r.checkExisting(ctx, set, pod)
			}
			return true, err
		}
		return monotonic, nil
	}
	if pod.Status.Phase == core.PodPending {
		if err := r.createClaims(ctx, set, pod); err != nil {
			return true, err
		}
	}
	if monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !core.IsPodAvailable(pod, set.Spec.MinReadySeconds, now)) {
		return true, nil // its successors wait
	}
	if err := r.updatePod(ctx, set, pod); err != nil {
		return true, err
	}
	return false, nil
}

// checkExisting explains a pod creation that found the name taken: if set controls the pod
// that exists, the cache was behind (its event is on the way) and nothing is wrong;
// otherwise another pod squats the name and the set cannot progress.
func (r *Reconciler) checkExisting(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	existing, err := r.pods.Get(ctx, pod.Namespace, pod.Name)
	switch {
	case store.IsNotFound(err):
		return nil // gone again: the next sync creates it
	case err != nil:
		return err
	case meta.IsControlledBy(existing, set):
		return nil
	}
	return fmt.Errorf("pod %s exists and is not controlled by StatefulSet %s", pod.Name, set.Name)
}

// processCondemned is step 5 for one condemned pod. It reports whether a monotonic pass
// must stop: after any deletion, and while a condemned pod is terminating or (unless it is
// the first unhealthy pod) not Running, Ready and available.
func (r *Reconciler) processCondemned(ctx context.Context, set *apps.StatefulSet, monotonic bool, pod, first *core.Pod, now time.Time) (bool, error) {
	if isTerminating(pod) {
		return monotonic, nil
	}
	if monotonic && pod != first && (!isRunningAndReady(pod) || !core.IsPodAvailable(pod, set.Spec.MinReadySeconds, now)) {
		return true, nil
	}
	return true, r.deletePod(ctx, set, pod)
}
