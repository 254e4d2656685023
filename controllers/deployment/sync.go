package deployment

import (
	"context"
	"fmt"
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
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// MaxRetries is how many times in a row a failing Deployment is retried (with back-off)
// before it is dropped from the queue until its next event, as in Kubernetes.
const MaxRetries = 15

// Reconciler syncs one Deployment: see the package documentation for the algorithm. Add
// builds it; it is safe for concurrent use by the controller's workers.
type Reconciler struct {
	deployments *client.Typed[*apps.Deployment]
	rss         *client.Typed[*apps.ReplicaSet]
	dLister     informer.Lister[*apps.Deployment]
	rsLister    informer.Lister[*apps.ReplicaSet]
	podLister   informer.Lister[*core.Pod]
	recorder    controller.EventRecorder
	clock       clock.Clock

	// mu guards failures and written.
	mu sync.Mutex
	// failures counts the consecutive failed syncs of each Deployment.
	failures map[reconcile.Request]int
	// written is the revision of this controller's last write of each Deployment, until the
	// cache has caught up with it.
	written map[reconcile.Request]uint64
}

var _ reconcile.Reconciler = (*Reconciler)(nil)

// Reconcile syncs the Deployment req names. Errors are retried with back-off, MaxRetries
// times in a row at most: then the Deployment is dropped (a terminal error) until something
// about it changes. A namespace that is being deleted is not retried either.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	res, err := r.syncDeployment(ctx, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil || podcontrol.IsNamespaceTerminating(err) {
		delete(r.failures, req)
		return res, nil
	}
	r.failures[req]++
	if r.failures[req] > MaxRetries {
		delete(r.failures, req)
		logr.FromContextOrDiscard(ctx).Info("Dropping deployment out of the queue", "error", err.Error(), "retries", MaxRetries)
		return reconcile.Result{}, reconcile.TerminalError(err)
	}
	return reconcile.Result{}, err
}

// syncer is one sync of one Deployment: the reconciler's tools, the Deployment as the sync
// knows it — a copy of the cached one, replaced by what each write of it returns — and when to
// sync again.
type syncer struct {
	*Reconciler
	ctx      context.Context
	log      logr.Logger
	d        *apps.Deployment
	selector labels.Selector
	// rsList are the Deployment's ReplicaSets, each replaced by what a write of it returns.
	rsList []*apps.ReplicaSet

	// requeueAfter, when positive, asks for another sync after that delay (a progress
	// check); requeueNow asks for a rate-limited one.
	requeueAfter time.Duration
	requeueNow   bool
}

// syncDeployment is one sync (../shared/spec/deployment.md §5).
func (r *Reconciler) syncDeployment(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cached, err := r.dLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		r.forgetWrite(req)
		return reconcile.Result{}, nil // deleted: the garbage collector removes its ReplicaSets
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if r.cacheBehind(req, cached) {
		// The cache does not show this controller's last write yet: acting on it would only
		// conflict. The write's own event brings the Deployment back.
		return reconcile.Result{}, nil
	}
	s := &syncer{Reconciler: r, ctx: ctx, log: logr.FromContextOrDiscard(ctx), d: cached.DeepCopy()}
	err = s.sync()
	switch {
	case err != nil:
		return reconcile.Result{}, err
	case s.requeueNow:
		return reconcile.Result{Requeue: true}, nil
	default:
		return reconcile.Result{RequeueAfter: s.requeueAfter}, nil
	}
}

// noteWrite records the revision of a write of the Deployment req names.
func (r *Reconciler) noteWrite(req reconcile.Request, rv string) {
	rev, err := store.ParseResourceVersion(rv)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.written[req] = max(r.written[req], rev)
}

// cacheBehind reports whether cached is older than the controller's last write of it.
func (r *Reconciler) cacheBehind(req reconcile.Request, cached *apps.Deployment) bool {
	rev, err := store.ParseResourceVersion(cached.ResourceVersion)
	if err != nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.written[req]
	if !ok {
		return false
	}
	if rev >= w {
		delete(r.written, req)
		return false
	}
	return true
}

// forgetWrite drops the record of the writes of a deleted Deployment.
func (r *Reconciler) forgetWrite(req reconcile.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.written, req)
}

// sync dispatches a Deployment: deleting → status only; paused → scale only; a rollback
// request → rollback; a scaling event → proportional scaling; else the strategy's rollout.
func (s *syncer) sync() error {
	d := s.d
	if d.Spec.Selector != nil && len(d.Spec.Selector.MatchLabels) == 0 && len(d.Spec.Selector.MatchExpressions) == 0 {
		s.recorder.Event(d, core.EventTypeWarning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
		if d.Status.ObservedGeneration < d.Generation {
			st := *d.Status.DeepCopy()
			st.ObservedGeneration = d.Generation
			return s.updateStatus(st)
		}
		return nil
	}
	sel, err := labels.FromLabelSelector(d.Spec.Selector)
	if err != nil {
		return reconcile.TerminalError(fmt.Errorf("deployment %s/%s has an invalid label selector: %w", d.Namespace, d.Name, err))
	}
	s.selector = sel

	if s.rsList, err = s.claimReplicaSets(); err != nil {
		return err
	}
	if d.DeletionTimestamp != nil {
		return s.syncStatusOnly()
	}
	// Pausing and resuming are recorded, so that a resumed rollout is not reported as timed
	// out for the time it was paused.
	if err := s.checkPausedConditions(); err != nil {
		return err
	}
	if s.d.Spec.Paused {
		return s.syncScale()
	}
	// A rollback is not re-entrant (it changes revisions): nothing else until the request is
	// gone.
	if _, ok := rollbackTo(s.d); ok {
		return s.rollback()
	}
	scaling, err := s.isScalingEvent()
	if err != nil {
		return err
	}
	if scaling {
		return s.syncScale()
	}
	switch s.d.Spec.Strategy.Type {
	case apps.RecreateDeploymentStrategyType:
		return s.rolloutRecreate()
	case apps.RollingUpdateDeploymentStrategyType:
		return s.rolloutRolling()
	}
	return reconcile.TerminalError(fmt.Errorf("unexpected deployment strategy type: %s", s.d.Spec.Strategy.Type))
}

// claimReplicaSets returns the ReplicaSets the Deployment owns, adopting matching orphans and
// releasing owned ones that stopped matching (package controllerref). The candidates are the
// ReplicaSets of the namespace the selector matches and those the Deployment controls.
func (s *syncer) claimReplicaSets() ([]*apps.ReplicaSet, error) {
	candidates := s.rsLister.Namespace(s.d.Namespace).List(s.selector)
	owned, _ := s.rsLister.ByIndex(informer.IndexControllerUID, string(s.d.UID)) // the index exists (Add)
	seen := make(map[meta.UID]bool, len(candidates))
	for _, rs := range candidates {
		seen[rs.UID] = true
	}
	for _, rs := range owned {
		if !seen[rs.UID] && rs.Namespace == s.d.Namespace {
			candidates = append(candidates, rs)
		}
	}
	claimer := controllerref.NewClaimer(s.rss, controllerref.NewControllerRef(s.d, scheme.DeploymentGVK), s.selector,
		controllerref.Options[*apps.ReplicaSet]{
			Namespace: s.d.Namespace,
			Deleting:  s.d.DeletionTimestamp != nil,
			CanAdopt:  controllerref.RecheckDeletion(s.deployments, s.d),
		})
	return claimer.Claim(s.ctx, candidates)
}

// syncStatusOnly writes the status without changing any ReplicaSet: a Deployment being
// deleted.
func (s *syncer) syncStatusOnly() error {
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(false)
	if err != nil {
		return err
	}
	return s.syncDeploymentStatus(withNew(oldRSs, newRS), newRS)
}

// syncScale handles a scaling event or a paused Deployment: proportional scaling, the clean-up
// of old ReplicaSets when paused (without a pending rollback), then status. No rollout
// progress is made.
func (s *syncer) syncScale() error {
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(false)
	if err != nil {
		return err
	}
	if err := s.scale(newRS, oldRSs); err != nil {
		return err // the Deployment is synced again
	}
	if _, rollingBack := rollbackTo(s.d); s.d.Spec.Paused && !rollingBack {
		if err := s.cleanupDeployment(oldRSs); err != nil {
			return err
		}
	}
	return s.syncDeploymentStatus(withNew(oldRSs, newRS), newRS)
}

// checkPausedConditions records pausing and resuming in the Progressing condition (Unknown,
// DeploymentPaused or DeploymentResumed), unless the rollout already timed out.
func (s *syncer) checkPausedConditions() error {
	if !hasProgressDeadline(s.d) {
		return nil
	}
	cond := getCondition(&s.d.Status, apps.DeploymentProgressing)
	if cond != nil && cond.Reason == apps.TimedOutReason {
		return nil // a reported lack of progress stays
	}
	pausedCond := cond != nil && cond.Reason == apps.PausedDeployReason
	var c apps.DeploymentCondition
	now := s.clock.Now()
	switch {
	case s.d.Spec.Paused && !pausedCond:
		c = newCondition(apps.DeploymentProgressing, meta.ConditionUnknown, apps.PausedDeployReason, "Deployment is paused", now)
	case !s.d.Spec.Paused && pausedCond:
		c = newCondition(apps.DeploymentProgressing, meta.ConditionUnknown, apps.ResumedDeployReason, "Deployment is resumed", now)
	default:
		return nil
	}
	st := *s.d.Status.DeepCopy()
	setCondition(&st, c)
	return s.updateStatus(st)
}

// isScalingEvent reports whether the Deployment's replicas changed since its active
// ReplicaSets were last scaled: one of them has a desired-replicas annotation that differs.
func (s *syncer) isScalingEvent() (bool, error) {
	newRS, oldRSs, err := s.getAllReplicaSetsAndSyncRevision(false)
	if err != nil {
		return false, err
	}
	for _, rs := range filterActive(withNew(oldRSs, newRS)) {
		if desired, ok := intAnnotation(rs, apps.DesiredReplicasAnnotation); ok && desired != desiredReplicas(s.d) {
			return true, nil
		}
	}
	return false, nil
}

// remember makes rs, as just written, the sync's copy of that ReplicaSet.
func (s *syncer) remember(rs *apps.ReplicaSet) {
	for i, cur := range s.rsList {
		if cur.UID == rs.UID {
			s.rsList[i] = rs
			return
		}
	}
	s.rsList = append(s.rsList, rs)
}

// labelSet returns a pod's labels for matching.
func labelSet(p *core.Pod) labels.Set { return labels.Set(p.Labels) }
