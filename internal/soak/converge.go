package soak

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// unconverged is a workload (or node) not yet at its spec, and why.
type unconverged struct{ object, detail string }

// cronJobGrace is how long a Job a CronJob just started may run before convergence expects
// it complete.
const cronJobGrace = 40 * time.Second

// converge waits, at most ConvergeTimeout, until every workload is at its spec; it returns
// whether they got there and, if not, what was still off.
func (r *runner) converge(ctx context.Context) (bool, []unconverged) {
	deadline := time.Now().Add(r.cfg.ConvergeTimeout)
	last := time.Now()
	for {
		off, err := r.unconverged(ctx)
		if err == nil && len(off) == 0 {
			return true, nil
		}
		if err != nil {
			off = append(off, unconverged{"plane", err.Error()})
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false, off
		}
		if time.Since(last) >= 15*time.Second {
			last = time.Now()
			r.progress("not yet converged: %d objects, e.g. %s: %s", len(off), off[0].object, off[0].detail)
		}
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// snapshot is the state convergence is judged on.
type snapshot struct {
	nodes []*core.Node
	pods  []*core.Pod
	rss   []*apps.ReplicaSet
}

// unconverged lists what is not yet at its spec.
func (r *runner) unconverged(ctx context.Context) ([]unconverged, error) {
	c, err := r.client(ctx)
	if err != nil {
		return nil, err
	}
	var off []unconverged
	add := func(obj meta.Object, format string, args ...any) {
		off = append(off, unconverged{obj.GetObjectMeta().Name, fmt.Sprintf(format, args...)})
	}
	ns := store.ListOptions{Namespace: Namespace}
	nodes, err := client.For[*core.Node](c).List(ctx, store.ListOptions{})
	if err != nil {
		return nil, err
	}
	pods, err := client.For[*core.Pod](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	rss, err := client.For[*apps.ReplicaSet](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	s := snapshot{nodes: nodes.Items, pods: pods.Items, rss: rss.Items}

	for _, n := range s.nodes {
		if n.DeletionTimestamp != nil {
			continue
		}
		if !core.IsNodeReady(n) {
			add(n, "node not ready")
		}
		for _, t := range n.Spec.Taints {
			if strings.HasPrefix(t.Key, "node.kubernetes.io/") {
				add(n, "node has taint %s", t)
			}
		}
	}
	r.mu.Lock()
	leading := r.leaderLocked() != nil
	r.mu.Unlock()
	if !leading {
		off = append(off, unconverged{"managers", "no controller manager leads"})
	}

	deps, err := client.For[*apps.Deployment](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	for _, d := range deps.Items {
		if why := s.deploymentOff(d); why != "" {
			add(d, "deployment: %s", why)
		}
	}
	sets, err := client.For[*apps.StatefulSet](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	for _, set := range sets.Items {
		if why := s.statefulSetOff(set); why != "" {
			add(set, "statefulset: %s", why)
		}
	}
	dss, err := client.For[*apps.DaemonSet](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	for _, ds := range dss.Items {
		if why := s.daemonSetOff(ds); why != "" {
			add(ds, "daemonset: %s", why)
		}
	}
	jobs, err := client.For[*batch.Job](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	for _, j := range jobs.Items {
		ref := meta.GetControllerOf(j)
		if ref != nil && ref.Kind == "CronJob" && now.Sub(j.CreationTimestamp.Time) < cronJobGrace {
			continue
		}
		if why := jobOff(j); why != "" {
			add(j, "job: %s", why)
		}
	}
	crons, err := client.For[*batch.CronJob](c).List(ctx, ns)
	if err != nil {
		return nil, err
	}
	for _, cj := range crons.Items {
		if cj.Status.LastScheduleTime == nil {
			add(cj, "cronjob: has never run")
		}
	}
	return off, nil
}

// podsOf returns the live pods controlled by the object with uid, via a ReplicaSet when
// viaRS.
func (s snapshot) podsOf(owner meta.UID, viaRS bool) []*core.Pod {
	owners := map[meta.UID]bool{owner: true}
	if viaRS {
		owners = map[meta.UID]bool{}
		for _, rs := range s.rss {
			if ref := meta.GetControllerOf(rs); ref != nil && ref.UID == owner {
				owners[rs.UID] = true
			}
		}
	}
	var out []*core.Pod
	for _, p := range s.pods {
		if ref := meta.GetControllerOf(p); ref != nil && owners[ref.UID] && p.DeletionTimestamp == nil && !core.IsPodTerminal(p) {
			out = append(out, p)
		}
	}
	return out
}

func templateRev(t core.PodTemplateSpec) string { return t.Annotations[RevisionAnnotation] }

func podRev(p *core.Pod) string { return p.Annotations[RevisionAnnotation] }

func (s snapshot) deploymentOff(d *apps.Deployment) string {
	want := deref(d.Spec.Replicas, 1)
	if !stableDeployment(d) || d.Status.ObservedGeneration != d.Generation {
		s := d.Status
		return fmt.Sprintf("status replicas %d updated %d ready %d available %d (generation %d observed %d), want %d",
			s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas, d.Generation, s.ObservedGeneration, want)
	}
	pods := s.podsOf(d.UID, true)
	if len(pods) != int(want) {
		return fmt.Sprintf("%d live pods, want %d", len(pods), want)
	}
	for _, p := range pods {
		if !core.IsPodReady(p) || podRev(p) != templateRev(d.Spec.Template) {
			return fmt.Sprintf("pod %s not ready at template revision %s", p.Name, templateRev(d.Spec.Template))
		}
	}
	return ""
}

func (s snapshot) statefulSetOff(set *apps.StatefulSet) string {
	want := deref(set.Spec.Replicas, 1)
	st := set.Status
	if st.ObservedGeneration < set.Generation || st.Replicas != want || st.ReadyReplicas != want || st.CurrentRevision != st.UpdateRevision {
		return fmt.Sprintf("status replicas %d ready %d revisions %s/%s for %d at generation %d",
			st.Replicas, st.ReadyReplicas, st.CurrentRevision, st.UpdateRevision, want, set.Generation)
	}
	pods := s.podsOf(set.UID, false)
	if len(pods) != int(want) {
		return fmt.Sprintf("%d live pods, want %d", len(pods), want)
	}
	for _, p := range pods {
		ord, ok := ordinal(set.Name, p.Name)
		if !ok || ord >= int(want) || !core.IsPodReady(p) {
			return fmt.Sprintf("pod %s not ready or out of range", p.Name)
		}
	}
	return ""
}

// daemonSetOff checks that every ready node the DaemonSet may schedule to runs one ready pod
// of its current template, and that the status agrees. On a node with a taint it does not
// tolerate, a pod may stay (NoSchedule does not evict) or be gone.
func (s snapshot) daemonSetOff(ds *apps.DaemonSet) string {
	st := ds.Status
	if st.ObservedGeneration < ds.Generation || st.DesiredNumberScheduled != st.CurrentNumberScheduled ||
		st.DesiredNumberScheduled != st.NumberReady || st.DesiredNumberScheduled != st.UpdatedNumberScheduled {
		return fmt.Sprintf("status %+v at generation %d", st, ds.Generation)
	}
	misscheduled := 0 // pods left on nodes tainted since (NoSchedule does not evict)
	byNode := map[string][]*core.Pod{}
	for _, p := range s.podsOf(ds.UID, false) {
		byNode[daemonPodNode(p)] = append(byNode[daemonPodNode(p)], p)
	}
	tols := ds.Spec.Template.Spec.Tolerations
	eligible := 0
	for _, n := range s.nodes {
		if n.DeletionTimestamp != nil {
			continue
		}
		pods := byNode[n.Name]
		delete(byNode, n.Name)
		_, untolerated := core.FindUntoleratedTaint(n.Spec.Taints, tols, func(t *core.Taint) bool {
			return t.Effect == core.TaintEffectNoSchedule || t.Effect == core.TaintEffectNoExecute
		})
		if untolerated {
			if len(pods) > 1 {
				return fmt.Sprintf("%d pods on tainted node %s", len(pods), n.Name)
			}
			misscheduled += len(pods)
			continue
		}
		eligible++
		if len(pods) != 1 {
			return fmt.Sprintf("%d pods on node %s, want 1", len(pods), n.Name)
		}
		if p := pods[0]; !core.IsPodReady(p) || podRev(p) != templateRev(ds.Spec.Template) {
			return fmt.Sprintf("pod %s on node %s not ready at template revision %s", p.Name, n.Name, templateRev(ds.Spec.Template))
		}
	}
	if len(byNode) > 0 {
		nodes := make([]string, 0, len(byNode))
		for n := range byNode {
			nodes = append(nodes, n)
		}
		slices.Sort(nodes)
		return fmt.Sprintf("pods on nodes that do not exist: %v", nodes)
	}
	if int(st.NumberMisscheduled) != misscheduled {
		return fmt.Sprintf("numberMisscheduled %d, but %d pods run on nodes with taints they do not tolerate", st.NumberMisscheduled, misscheduled)
	}
	if int(st.DesiredNumberScheduled) < eligible {
		return fmt.Sprintf("desiredNumberScheduled %d, but %d nodes are eligible", st.DesiredNumberScheduled, eligible)
	}
	return ""
}

func jobOff(j *batch.Job) string {
	for _, c := range j.Status.Conditions {
		if c.Type == batch.JobComplete && c.Status == meta.ConditionTrue {
			if want := deref(j.Spec.Completions, 1); j.Status.Succeeded != want {
				return fmt.Sprintf("complete with %d succeeded, want %d", j.Status.Succeeded, want)
			}
			return ""
		}
		if c.Type == batch.JobFailed && c.Status == meta.ConditionTrue {
			return "failed: " + c.Reason
		}
	}
	return fmt.Sprintf("not complete (active %d, succeeded %d, failed %d)", j.Status.Active, j.Status.Succeeded, j.Status.Failed)
}
