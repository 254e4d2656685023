package deployment_test

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/deployment"
)

// setDefaultFlag sets a flag unless the command line did.
func setDefaultFlag(name, value string) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if !set {
		_ = flag.Set(name, value)
	}
}

// model is what a Deployment of the property test should converge to.
type model struct {
	name     string
	replicas int32
	image    string
	paused   bool
	// rolledOut is the image of the pods when unpaused; while paused, template changes wait.
	rolledOut string
}

// TestPropertyConverges drives Deployments through random sequences of scaling, template
// changes, pausing and resuming. After every action it waits for the state the sequence
// implies and checks it; during every rollout a checker holds the pods to maxSurge and
// maxUnavailable at each event, and during every scaling between the old and the new size. (rapid.checks and rapid.steps default to 6 and 8 here, to keep
// the package's tests short; raise them on the command line for a longer search.)
func TestPropertyConverges(t *testing.T) {
	setDefaultFlag("rapid.checks", "6")
	setDefaultFlag("rapid.steps", "8")
	p := startPlane(t, planeOptions{})
	seq := 0
	rapid.Check(t, func(rt *rapid.T) {
		seq++
		m := &model{name: fmt.Sprintf("prop-%d", seq), replicas: rapid.Int32Range(0, 5).Draw(rt, "replicas"), image: "img:v1"}
		m.rolledOut = m.image
		d := newDeployment(m.name, m.replicas, m.image)
		if _, err := p.deployments.Create(p.ctx, d); err != nil {
			rt.Fatal(err)
		}
		converge(rt, p, m)
		rt.Repeat(map[string]func(*rapid.T){
			"scale": func(rt *rapid.T) {
				from, to := m.replicas, rapid.Int32Range(0, 6).Draw(rt, "replicas")
				m.replicas = to
				// One ReplicaSet runs (the last step converged): it grows or shrinks, and the
				// pods never overshoot the larger size nor drop below the smaller.
				bounds := func(c *checker) { c.arm(max(from, to), 0, max(from, to)-min(from, to), 0) }
				checked(rt, p, m, bounds, func() { p.update(m.name, func(d *apps.Deployment) { d.Spec.Replicas = new(to) }) })
			},
			"template": func(rt *rapid.T) {
				m.image = rapid.SampledFrom([]string{"img:v1", "img:v2", "img:v3"}).Draw(rt, "image")
				rollout(rt, p, m, func() { p.update(m.name, setImage(m.image)) })
			},
			"pause": func(rt *rapid.T) {
				m.paused = true
				p.update(m.name, func(d *apps.Deployment) { d.Spec.Paused = true })
				converge(rt, p, m)
			},
			"resume": func(rt *rapid.T) {
				m.paused = false
				rollout(rt, p, m, func() { p.update(m.name, func(d *apps.Deployment) { d.Spec.Paused = false }) })
			},
			"": func(rt *rapid.T) { check(rt, p, m) },
		})
		// Free the nodes for the next sequence: the garbage collector removes the rest.
		if _, err := p.deployments.Delete(p.ctx, ns, m.name); err != nil {
			rt.Fatal(err)
		}
	})
}

// rollout performs change — which may start a rollout — with a checker of the surge and
// availability bounds armed, then waits for convergence.
func rollout(rt *rapid.T, p *plane, m *model, change func()) {
	bounds := func(c *checker) {
		if !m.paused && m.replicas > 0 {
			surge, unavailable, _ := deployment.ResolveFenceposts(new(intstr.FromString("25%")), new(intstr.FromString("25%")), m.replicas)
			c.arm(m.replicas, surge, min(unavailable, m.replicas), 0)
		}
	}
	checked(rt, p, m, bounds, change)
}

// checked performs change with a checker of the pods armed by arm, waits for convergence, and
// fails on any violation the checker saw at any pod event on the way.
func checked(rt *rapid.T, p *plane, m *model, arm func(*checker), change func()) {
	c := watchPods(p.t, p, m.name)
	arm(c)
	change()
	converge(rt, p, m)
	violations, _, _, _ := c.result()
	for _, v := range violations {
		rt.Error(v)
	}
	if len(violations) > 0 {
		rt.FailNow()
	}
}

// converge waits until the Deployment reached the state the model implies.
func converge(rt *rapid.T, p *plane, m *model) {
	if !m.paused {
		m.rolledOut = m.image
	}
	ok := p.waitFor(func() bool {
		d, err := p.deployments.Get(p.ctx, ns, m.name)
		if err != nil || d.Status.ObservedGeneration != d.Generation || d.Spec.Paused != m.paused {
			return false
		}
		// The revisions have settled: the Deployment carries the highest (writing it is an
		// update of the Deployment, which raises its generation again).
		rss := p.replicaSets(m.name)
		var maxRev int
		for _, rs := range rss {
			var rev int
			fmt.Sscan(rs.Annotations[apps.RevisionAnnotation], &rev)
			maxRev = max(maxRev, rev)
		}
		if len(rss) > 0 && d.Annotations[apps.RevisionAnnotation] != fmt.Sprint(maxRev) {
			return false
		}
		if !m.paused {
			return p.complete(m.name)
		}
		var active int32
		for _, rs := range rss {
			if *rs.Spec.Replicas > 0 {
				active += *rs.Spec.Replicas
				if rs.Status.AvailableReplicas != *rs.Spec.Replicas || rs.Status.Replicas != *rs.Spec.Replicas {
					return false
				}
			}
		}
		return active == m.replicas && d.Status.AvailableReplicas == m.replicas
	}, 10*time.Millisecond)
	if !ok {
		d := p.get(m.name)
		rt.Fatalf("%s did not converge to %+v: status %+v", m.name, *m, d.Status)
	}
}

// check verifies the invariants of a converged Deployment.
func check(rt *rapid.T, p *plane, m *model) {
	d := p.get(m.name)
	rss := p.replicaSets(m.name)
	if m.paused && m.replicas > 0 {
		// Scaling a paused Deployment up from 0 revives the ReplicaSet of its current
		// template if there is one, else the newest old one (Kubernetes' FindActiveOrLatest):
		// what runs is whatever single ReplicaSet is active.
		for _, rs := range rss {
			if *rs.Spec.Replicas > 0 {
				m.rolledOut = rs.Spec.Template.Spec.Containers[0].Image
			}
		}
	}
	var current *apps.ReplicaSet
	var maxRev int
	for _, rs := range rss {
		if *rs.Spec.Replicas > m.replicas {
			rt.Fatalf("ReplicaSet %s has %d replicas, the Deployment %d", rs.Name, *rs.Spec.Replicas, m.replicas)
		}
		var rev int
		fmt.Sscan(rs.Annotations[apps.RevisionAnnotation], &rev)
		maxRev = max(maxRev, rev)
		if rs.Spec.Template.Spec.Containers[0].Image == m.rolledOut && (*rs.Spec.Replicas > 0 || m.replicas == 0) {
			if current != nil && *current.Spec.Replicas > 0 {
				rt.Fatalf("two ReplicaSets run %s: %s and %s", m.rolledOut, current.Name, rs.Name)
			}
			current = rs
		}
	}
	if m.replicas > 0 && current == nil {
		rt.Fatalf("no ReplicaSet runs %s: %v", m.rolledOut, rss)
	}
	if !m.paused && current != nil {
		if rev := current.Annotations[apps.RevisionAnnotation]; rev != fmt.Sprint(maxRev) || d.Annotations[apps.RevisionAnnotation] != rev {
			rt.Fatalf("current revision %s, highest %d, deployment %s", rev, maxRev, d.Annotations[apps.RevisionAnnotation])
		}
	}
	if len(rss) > 4 {
		rt.Fatalf("%d ReplicaSets for three templates", len(rss))
	}
	pods := p.activePods(m.name)
	if int32(len(pods)) != m.replicas {
		rt.Fatalf("%d active pods, want %d", len(pods), m.replicas)
	}
	for _, pod := range pods {
		if pod.Spec.Containers[0].Image != m.rolledOut || !ownedByOneOf(pod, rss) {
			rt.Fatalf("pod %s runs %s (want %s) or has a foreign owner", pod.Name, pod.Spec.Containers[0].Image, m.rolledOut)
		}
	}
	st := d.Status
	if st.AvailableReplicas > st.ReadyReplicas || st.ReadyReplicas > st.Replicas || st.ObservedGeneration != d.Generation {
		rt.Fatalf("status %+v", st)
	}
	if m.replicas > 0 && conditionReason(d, apps.DeploymentAvailable) != apps.MinimumReplicasAvailable {
		rt.Fatalf("not Available: %+v", st.Conditions)
	}
	if m.paused && conditionReason(d, apps.DeploymentProgressing) != apps.PausedDeployReason {
		rt.Fatalf("paused without the DeploymentPaused condition: %+v", st.Conditions)
	}
}

func ownedByOneOf(pod *core.Pod, rss map[string]*apps.ReplicaSet) bool {
	ref := meta.GetControllerOf(pod)
	return ref != nil && rss[ref.Name] != nil && rss[ref.Name].UID == ref.UID
}
