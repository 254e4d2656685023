package soak

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// The invariants the checkers enforce, as violations name them.
const (
	InvDeploymentSurge       = "deployment-surge"
	InvDeploymentUnavailable = "deployment-unavailable"
	InvStatefulSetOrder      = "statefulset-order"
	InvDaemonSetOnePerNode   = "daemonset-one-per-node"
	InvJobCountedTwice       = "job-counted-twice"
	InvJobCountRegressed     = "job-count-regressed"
	InvCronJobForbid         = "cronjob-forbid-concurrent"
	InvWriteLost             = "acknowledged-write-lost"
	InvConvergence           = "convergence"
)

// Violation is one broken invariant.
type Violation struct {
	// At is when it was seen.
	At time.Time
	// Invariant names the invariant (Inv...).
	Invariant string
	// Object is the namespace/name of the object concerned.
	Object string
	// Revision is the store revision of the event that showed it (0 when none).
	Revision uint64
	// Detail says what was seen.
	Detail string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s (revision %d): %s", v.Invariant, v.Object, v.Revision, v.Detail)
}

// Checker watches the events of the plane, in revision order (see Sequencer), and records
// every violation of the workload invariants:
//
//   - a Deployment with a rolling-update strategy, once stable (fully available at its
//     size), never has ReplicaSets sized above replicas+maxSurge, nor more live pods than
//     that, until its size changes; and, if no disruption (a node lost, a pod killed, the
//     plane killed) happened since it was stable, never fewer ready pods than
//     replicas−maxUnavailable;
//   - a pod of an OrderedReady StatefulSet is created only when every lower ordinal is
//     running and ready (or stopped being so less than OrderGrace before, which the
//     controller may not have seen yet);
//   - no node has two live pods of one DaemonSet (without maxSurge);
//   - a Job never reports more succeeded (failed) pods than distinct pods of it were seen to
//     succeed (fail or be deleted), nor more successes than completions, and its counts
//     never go down;
//   - a CronJob with concurrencyPolicy Forbid never has two unfinished Jobs.
//
// A Checker is not safe for concurrent use.
type Checker struct {
	// OrderGrace is how recently a lower StatefulSet ordinal may have stopped being ready
	// when a higher one is created.
	OrderGrace time.Duration
	// Settle is how long after a disruption ended a Deployment must wait before a stable
	// status arms its checks again.
	Settle time.Duration

	pods map[string]*core.Pod
	rss  map[string]*apps.ReplicaSet
	deps map[string]*deploymentState
	sets map[string]*apps.StatefulSet
	dss  map[string]*apps.DaemonSet
	// jobObjs and crons are the Jobs and CronJobs by namespace/name.
	jobObjs map[string]*batch.Job
	crons   map[string]*batch.CronJob
	// badSince: StatefulSet pod key (namespace/name) → when it stopped being running and
	// ready (or was deleted).
	badSince map[string]time.Time

	// jobs survive Reset: the pods a Job counted may be gone from any later list.
	jobs map[meta.UID]*jobState

	disruptions   int            // disruptions in progress
	disruptedTill uint64         // the revision the last disruption ended at
	settleAfter   time.Time      // no arming before
	checks        map[string]int // invariant → evaluations
	violations    []Violation
}

// deploymentState is what the checker keeps of a Deployment. Its bounds are checked only
// once it has been seen stable at its current size (surgeArmed), and its availability only
// if that was also after every disruption had settled (availArmed): the controller bounds
// its surge whatever happens to the pods, not their availability.
type deploymentState struct {
	dep        *apps.Deployment
	surgeArmed bool
	availArmed bool
	replicas   int32
}

type jobState struct {
	succeeded map[meta.UID]bool
	failed    map[meta.UID]bool
	// the counts last seen in its status
	lastSucceeded, lastFailed int32
}

// NewChecker returns a Checker with the given grace periods.
func NewChecker(orderGrace, settle time.Duration) *Checker {
	c := &Checker{OrderGrace: orderGrace, Settle: settle, jobs: map[meta.UID]*jobState{}, checks: map[string]int{}}
	c.Reset()
	return c
}

// Reset forgets the state of every object but the pods each Job counted, before the watches
// start again from a list (after the plane was reopened). Deployments are disarmed.
func (c *Checker) Reset() {
	c.pods = map[string]*core.Pod{}
	c.rss = map[string]*apps.ReplicaSet{}
	c.deps = map[string]*deploymentState{}
	c.sets = map[string]*apps.StatefulSet{}
	c.dss = map[string]*apps.DaemonSet{}
	c.jobObjs = map[string]*batch.Job{}
	c.crons = map[string]*batch.CronJob{}
	c.badSince = map[string]time.Time{}
}

// StartDisruption says that a disruption (node lost, pod killed, plane killed) starts: every
// Deployment is disarmed until it is stable again after the disruption ended.
func (c *Checker) StartDisruption() {
	c.disruptions++
	for _, d := range c.deps {
		d.availArmed = false
	}
}

// EndDisruption says that a disruption ended at store revision rev, at now: Deployments
// arm again on a stable status newer than rev, seen Settle after now at the earliest.
func (c *Checker) EndDisruption(rev uint64, now time.Time) {
	c.disruptions = max(c.disruptions-1, 0)
	c.disruptedTill = max(c.disruptedTill, rev)
	c.settleAfter = now.Add(c.Settle)
}

// Violations returns the violations seen so far. The caller must not modify them.
func (c *Checker) Violations() []Violation { return c.violations }

// Checks returns how many invariant evaluations were made.
func (c *Checker) Checks() int {
	n := 0
	for _, x := range c.checks {
		n += x
	}
	return n
}

// ChecksByInvariant returns how many evaluations of each invariant were made (the
// Deployment bounds are one entry, "deployment-bounds"). The caller owns the map.
func (c *Checker) ChecksByInvariant() map[string]int { return maps.Clone(c.checks) }

// Report records a violation found outside the event stream (lost writes, convergence).
func (c *Checker) Report(v Violation) { c.violations = append(c.violations, v) }

func (c *Checker) violate(now time.Time, inv string, obj meta.Object, rev uint64, format string, args ...any) {
	c.violations = append(c.violations, Violation{At: now, Invariant: inv, Object: key(obj), Revision: rev, Detail: fmt.Sprintf(format, args...)})
}

func key(o meta.Object) string { return o.GetNamespace() + "/" + o.GetName() }

// Observe checks one event, seen at now. Events must come in revision order.
func (c *Checker) Observe(ev Event, now time.Time) {
	deleted := ev.Type == store.Deleted
	switch o := ev.Object.(type) {
	case *core.Pod:
		c.observePod(o, ev, deleted, now)
	case *apps.ReplicaSet:
		if deleted {
			delete(c.rss, key(o))
		} else {
			c.rss[key(o)] = o
		}
		if ref := meta.GetControllerOf(o); ref != nil && ref.Kind == "Deployment" {
			c.checkDeployment(o.Namespace+"/"+ref.Name, ev.Revision, now)
		}
	case *apps.Deployment:
		c.observeDeployment(o, ev, deleted, now)
	case *apps.StatefulSet:
		if deleted {
			delete(c.sets, key(o))
		} else {
			c.sets[key(o)] = o
		}
	case *apps.DaemonSet:
		if deleted {
			delete(c.dss, key(o))
		} else {
			c.dss[key(o)] = o
		}
	case *batch.Job:
		c.observeJob(o, ev, deleted, now)
	case *batch.CronJob:
		if deleted {
			delete(c.crons, key(o))
		} else {
			c.crons[key(o)] = o
		}
	}
}

func (c *Checker) observePod(p *core.Pod, ev Event, deleted bool, now time.Time) {
	k := key(p)
	if deleted {
		delete(c.pods, k)
	} else {
		c.pods[k] = p
	}
	ref := meta.GetControllerOf(p)
	if ref == nil {
		return
	}
	switch ref.Kind {
	case "ReplicaSet":
		if rs := c.rss[p.Namespace+"/"+ref.Name]; rs != nil {
			if dref := meta.GetControllerOf(rs); dref != nil && dref.Kind == "Deployment" {
				c.checkDeployment(p.Namespace+"/"+dref.Name, ev.Revision, now)
			}
		}
	case "StatefulSet":
		c.observeSetPod(p, ref.Name, ev, deleted, now)
	case "DaemonSet":
		if !deleted {
			c.checkDaemonPod(p, ref, ev.Revision, now)
		}
	case "Job":
		js := c.job(ref.UID)
		switch {
		case p.Status.Phase == core.PodSucceeded:
			js.succeeded[p.UID] = true
		case p.Status.Phase == core.PodFailed, p.DeletionTimestamp != nil, deleted:
			js.failed[p.UID] = true
		}
	}
}

func (c *Checker) job(uid meta.UID) *jobState {
	js := c.jobs[uid]
	if js == nil {
		js = &jobState{succeeded: map[meta.UID]bool{}, failed: map[meta.UID]bool{}}
		c.jobs[uid] = js
	}
	return js
}

// observeJob checks a Job's counts against the pods seen to finish.
func (c *Checker) observeJob(j *batch.Job, ev Event, deleted bool, now time.Time) {
	js := c.job(j.UID)
	c.checks[InvJobCountedTwice]++
	if n := int(j.Status.Succeeded); n > len(js.succeeded) {
		c.violate(now, InvJobCountedTwice, j, ev.Revision, "status.succeeded is %d but only %d distinct pods succeeded", n, len(js.succeeded))
	}
	if n := int(j.Status.Failed); n > len(js.failed) {
		c.violate(now, InvJobCountedTwice, j, ev.Revision, "status.failed is %d but only %d distinct pods failed or were deleted", n, len(js.failed))
	}
	if j.Spec.Completions != nil && j.Status.Succeeded > *j.Spec.Completions {
		c.violate(now, InvJobCountedTwice, j, ev.Revision, "status.succeeded is %d, above completions %d", j.Status.Succeeded, *j.Spec.Completions)
	}
	c.checks[InvJobCountRegressed]++
	if j.Status.Succeeded < js.lastSucceeded || j.Status.Failed < js.lastFailed {
		c.violate(now, InvJobCountRegressed, j, ev.Revision, "status went from %d succeeded, %d failed to %d, %d",
			js.lastSucceeded, js.lastFailed, j.Status.Succeeded, j.Status.Failed)
	}
	js.lastSucceeded, js.lastFailed = max(js.lastSucceeded, j.Status.Succeeded), max(js.lastFailed, j.Status.Failed)
	if deleted {
		delete(c.jobs, j.UID)
		delete(c.jobObjs, key(j))
		return
	}
	c.jobObjs[key(j)] = j
	c.checkCronConcurrency(j, ev.Revision, now)
}

// checkCronConcurrency checks that a CronJob with concurrencyPolicy Forbid never has two
// unfinished Jobs.
func (c *Checker) checkCronConcurrency(j *batch.Job, rev uint64, now time.Time) {
	ref := meta.GetControllerOf(j)
	if ref == nil || ref.Kind != "CronJob" || finishedJob(j) {
		return
	}
	cj := c.crons[j.Namespace+"/"+ref.Name]
	if cj == nil || cj.Spec.ConcurrencyPolicy != batch.ForbidConcurrent {
		return
	}
	c.checks[InvCronJobForbid]++
	var running []string
	for _, o := range c.jobObjs {
		oref := meta.GetControllerOf(o)
		if o.Namespace == j.Namespace && oref != nil && oref.UID == ref.UID && !finishedJob(o) {
			running = append(running, o.Name)
		}
	}
	if len(running) > 1 {
		slices.Sort(running)
		c.violate(now, InvCronJobForbid, cj, rev, "%d unfinished Jobs of a Forbid CronJob: %v", len(running), running)
	}
}

// finishedJob reports a Job that is Complete or Failed, or being deleted.
func finishedJob(j *batch.Job) bool {
	if j.DeletionTimestamp != nil {
		return true
	}
	for _, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == meta.ConditionTrue {
			return true
		}
	}
	return false
}

func (c *Checker) observeDeployment(d *apps.Deployment, ev Event, deleted bool, now time.Time) {
	k := key(d)
	if deleted {
		delete(c.deps, k)
		return
	}
	st := c.deps[k]
	if st == nil {
		st = &deploymentState{}
		c.deps[k] = st
	}
	replicas := deref(d.Spec.Replicas, 1)
	rolling := d.Spec.Strategy.Type == apps.RollingUpdateDeploymentStrategyType && !d.Spec.Paused
	if replicas != st.replicas || !rolling {
		// Resized: proportional scaling may pass through any sizes until it is stable again.
		st.surgeArmed, st.availArmed = false, false
	}
	st.dep = d
	if ev.Type != Sync && rolling && stableDeployment(d) {
		st.surgeArmed, st.replicas = true, replicas
		if c.disruptions == 0 && ev.Revision > c.disruptedTill && !now.Before(c.settleAfter) {
			st.availArmed = true
		}
	}
	c.checkDeployment(k, ev.Revision, now)
}

// stableDeployment reports a Deployment whose status shows its current spec fully rolled
// out and available.
func stableDeployment(d *apps.Deployment) bool {
	r := deref(d.Spec.Replicas, 1)
	s := d.Status
	return s.ObservedGeneration >= d.Generation && s.Replicas == r && s.UpdatedReplicas == r &&
		s.ReadyReplicas == r && s.AvailableReplicas == r && s.UnavailableReplicas == 0
}

// checkDeployment evaluates the bounds of an armed Deployment on the current state.
func (c *Checker) checkDeployment(k string, rev uint64, now time.Time) {
	st := c.deps[k]
	if st == nil || !st.surgeArmed {
		return
	}
	d := st.dep
	surge, unavailable, err := rollingBounds(d)
	if err != nil {
		return
	}
	c.checks["deployment-bounds"]++
	replicas := int(st.replicas)
	var sized int
	owned := map[string]bool{}
	for _, rs := range c.rss {
		if rs.Namespace != d.Namespace || rs.DeletionTimestamp != nil {
			continue
		}
		if ref := meta.GetControllerOf(rs); ref != nil && ref.Kind == "Deployment" && ref.UID == d.UID {
			sized += int(deref(rs.Spec.Replicas, 1))
			owned[rs.Name] = true
		}
	}
	var live, ready int
	for _, p := range c.pods {
		ref := meta.GetControllerOf(p)
		if p.Namespace != d.Namespace || ref == nil || ref.Kind != "ReplicaSet" || !owned[ref.Name] {
			continue
		}
		if p.DeletionTimestamp != nil || core.IsPodTerminal(p) {
			continue
		}
		live++
		if core.IsPodReady(p) {
			ready++
		}
	}
	// One report per episode: a violation disarms until the next stable status.
	switch {
	case sized > replicas+surge:
		c.violate(now, InvDeploymentSurge, d, rev, "its ReplicaSets ask for %d pods, above replicas %d + maxSurge %d", sized, replicas, surge)
		st.surgeArmed, st.availArmed = false, false
	case live > replicas+surge:
		c.violate(now, InvDeploymentSurge, d, rev, "%d live pods, above replicas %d + maxSurge %d", live, replicas, surge)
		st.surgeArmed, st.availArmed = false, false
	case st.availArmed && ready < replicas-unavailable:
		c.violate(now, InvDeploymentUnavailable, d, rev, "%d ready pods, below replicas %d - maxUnavailable %d", ready, replicas, unavailable)
		st.availArmed = false
	}
}

// rollingBounds returns a rolling-update Deployment's maxSurge and maxUnavailable as pod
// counts (surge rounded up, unavailable down, as the controller does).
func rollingBounds(d *apps.Deployment) (surge, unavailable int, err error) {
	replicas := int(deref(d.Spec.Replicas, 1))
	ru := d.Spec.Strategy.RollingUpdate
	def := intstr.FromString("25%")
	var ms, mu *intstr.IntOrString
	if ru != nil {
		ms, mu = ru.MaxSurge, ru.MaxUnavailable
	}
	s, mu2 := intstr.ValueOrDefault(ms, def), intstr.ValueOrDefault(mu, def)
	if surge, err = intstr.ScaledValue(&s, replicas, true); err != nil {
		return 0, 0, err
	}
	if unavailable, err = intstr.ScaledValue(&mu2, replicas, false); err != nil {
		return 0, 0, err
	}
	if surge == 0 && unavailable == 0 {
		unavailable = 1 // the controller's guard against a stuck rollout
	}
	return surge, unavailable, nil
}

// observeSetPod tracks the readiness of a StatefulSet's pods and checks the creation order.
func (c *Checker) observeSetPod(p *core.Pod, set string, ev Event, deleted bool, now time.Time) {
	k := key(p)
	ok := !deleted && p.DeletionTimestamp == nil && p.Status.Phase == core.PodRunning && core.IsPodReady(p)
	if ok {
		delete(c.badSince, k)
	} else if _, bad := c.badSince[k]; !bad {
		c.badSince[k] = now
	}
	sts := c.sets[p.Namespace+"/"+set]
	if ev.Type != store.Added || sts == nil || sts.Spec.PodManagementPolicy == apps.ParallelPodManagement {
		return
	}
	ord, ok := ordinal(set, p.Name)
	if !ok || ord == 0 {
		return
	}
	c.checks[InvStatefulSetOrder]++
	for j := range ord {
		name := fmt.Sprintf("%s-%d", set, j)
		lk := p.Namespace + "/" + name
		lower := c.pods[lk]
		since, bad := c.badSince[lk]
		switch {
		case lower == nil && !bad:
			c.violate(now, InvStatefulSetOrder, p, ev.Revision, "created while %s does not exist", name)
			return
		case bad && now.Sub(since) > c.OrderGrace:
			c.violate(now, InvStatefulSetOrder, p, ev.Revision, "created while %s has not been running and ready for %v", name, now.Sub(since).Round(time.Millisecond))
			return
		}
	}
}

// ordinal returns the ordinal of a StatefulSet pod's name.
func ordinal(set, pod string) (int, bool) {
	s, ok := strings.CutPrefix(pod, set+"-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// checkDaemonPod checks that p's node has no other live pod of its DaemonSet.
func (c *Checker) checkDaemonPod(p *core.Pod, ref *meta.OwnerReference, rev uint64, now time.Time) {
	if !liveDaemonPod(p) {
		return
	}
	node := daemonPodNode(p)
	if node == "" {
		return
	}
	limit := 1
	if ds := c.dss[p.Namespace+"/"+ref.Name]; ds != nil {
		if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxSurge != nil && ru.MaxSurge.String() != "0" && ru.MaxSurge.String() != "0%" {
			limit = 2 // a surge puts the new pod next to the old one
		}
	}
	c.checks[InvDaemonSetOnePerNode]++
	var names []string
	for _, o := range c.pods {
		oref := meta.GetControllerOf(o)
		if o.Namespace == p.Namespace && oref != nil && oref.UID == ref.UID && liveDaemonPod(o) && daemonPodNode(o) == node {
			names = append(names, o.Name)
		}
	}
	if len(names) > limit {
		c.violate(now, InvDaemonSetOnePerNode, p, rev, "node %s has %d live pods of DaemonSet %s: %v", node, len(names), ref.Name, names)
	}
}

func liveDaemonPod(p *core.Pod) bool { return p.DeletionTimestamp == nil && !core.IsPodTerminal(p) }

// daemonPodNode returns the node a daemon pod is bound or pinned to (by its node affinity
// on metadata.name, before it is bound).
func daemonPodNode(p *core.Pod) string {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName
	}
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return ""
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, f := range term.MatchFields {
			if f.Key == "metadata.name" && len(f.Values) == 1 {
				return f.Values[0]
			}
		}
	}
	return ""
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
