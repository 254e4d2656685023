package deployment_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/deployment"
	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/controllers/internal/rstest"
	"github.com/skiff-dev/skiff/controllers/replicaset"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheduler"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/faultstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// epoch is where the fake clock starts.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// planeOptions configure a test plane.
type planeOptions struct {
	nodes        int     // simulated nodes (default 3)
	faultRate    float64 // fraction of writes failing (half conflicts, half transient errors)
	realClock    bool    // the real clock instead of a fake one (benchmarks)
	startupDelay time.Duration
	readyDelay   time.Duration
	noGC         bool
	quiet        bool // discard the logs (tests whose failures are expected to log)
	benchmark    bool // no mutation detection, more history, logs discarded
}

// plane is what the issue calls a test control plane: a bbolt store (optionally behind the
// fault injector), a manager running the ReplicaSet, Deployment and garbage collector
// controllers, the scheduler and a kubelet host with simulated nodes, all on one clock.
//
// controlplane/planetest starts the plane without these components (and cannot wrap the
// store with faults or turn mutation detection off), so the tests assemble it here from the
// public constructors.
type plane struct {
	t      testing.TB
	ctx    context.Context
	clock  clock.Clock
	fake   *clock.Fake // nil with the real clock
	store  *boltstore.Store
	faults *faultstore.Store // nil without faults
	c      client.Client
	mgr    *manager.Manager
	host   *kubelet.Host

	deployments *client.Typed[*apps.Deployment]
	rss         *client.Typed[*apps.ReplicaSet]
	pods        *client.Typed[*core.Pod]
}

func startPlane(t testing.TB, o planeOptions) *plane {
	t.Helper()
	if o.nodes == 0 {
		o.nodes = 3
	}
	if o.startupDelay == 0 {
		o.startupDelay = -1 // none
	}
	sch := scheme.NewBuiltin()
	p := &plane{t: t, ctx: context.Background()}
	if o.realClock {
		p.clock = clock.Real{}
	} else {
		p.fake = clock.NewFake(epoch)
		p.clock = p.fake
	}
	bo := boltstore.Options{Scheme: sch, Clock: p.clock}
	if o.benchmark {
		bo.CompactMaxRevisions = 200_000
	}
	st, err := boltstore.Open(t.TempDir(), bo)
	if err != nil {
		t.Fatal(err)
	}
	p.store = st
	var backend store.Store = st
	if o.faultRate > 0 {
		p.faults = faultstore.New(st, faultstore.Options{Scheme: sch, ConflictRate: o.faultRate / 2, TransientRate: o.faultRate / 2, Seed: 42})
		backend = p.faults
	}
	p.c = client.NewLocal(backend, sch)
	mo := manager.Options{Client: p.c, Clock: p.clock, Logger: rstest.Logger(t, o.benchmark || o.quiet)}
	if o.benchmark {
		mo.Informers = informer.FactoryOptions{MutationCheck: informer.MutationCheckOff,
			Transform: informer.DropManagedFields[meta.Object]}
	}
	if p.mgr, err = manager.New(mo); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(replicaset.Add(p.mgr, replicaset.Options{}))
	must(deployment.Add(p.mgr, deployment.Options{}))
	if !o.noGC {
		_, err := garbagecollector.Add(p.mgr, garbagecollector.Options{})
		must(err)
	}
	must(p.mgr.Add(scheduler.New(p.c, p.mgr.Informers(), scheduler.Options{Clock: p.clock, Logger: p.mgr.Logger().WithName("scheduler")})))
	rt := sim.New(sim.Options{Clock: p.clock, StartupDelay: o.startupDelay, ReadyDelay: o.readyDelay})
	p.host, err = kubelet.NewHost(p.c, p.mgr.Informers(), kubelet.Options{Runtime: rt, Clock: p.clock, Logger: p.mgr.Logger().WithName("kubelet")})
	must(err)
	for i := 1; i <= o.nodes; i++ {
		capacity := core.ResourceList{}
		if o.benchmark {
			capacity = core.ResourceList{core.ResourcePods: resource.MustParse("500")}
		}
		must(p.host.AddNode(kubelet.NodeConfig{Name: fmt.Sprintf("node-%d", i), Capacity: capacity}))
	}
	must(p.mgr.Add(p.host))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
		// testing keeps a finished benchmark's cleanups reachable until the whole benchmark
		// ends: let go of the store, and all it holds, for the next run's heap figure.
		st = nil
	})
	select {
	case <-p.mgr.Ready():
	case err := <-done:
		done <- err
		t.Fatalf("the manager stopped before it was ready: %v", err)
	}
	p.deployments = client.For[*apps.Deployment](p.c)
	p.rss = client.For[*apps.ReplicaSet](p.c)
	p.pods = client.For[*core.Pod](p.c)
	p.waitNodes(o.nodes)
	return p
}

// waitNodes waits until the nodes are registered and ready.
func (p *plane) waitNodes(n int) {
	p.t.Helper()
	nodes := client.For[*core.Node](p.c)
	p.eventually("nodes ready", func() bool {
		l, err := nodes.List(p.ctx, store.ListOptions{})
		if err != nil || len(l.Items) != n {
			return false
		}
		for _, node := range l.Items {
			if !core.IsNodeReady(node) {
				return false
			}
		}
		return true
	})
}

// eventually waits, stepping the fake clock by 10 ms between polls so that back-offs and
// delayed requeues fire: bounded polling, never a sleep on the fake clock.
func (p *plane) eventually(what string, cond func() bool) {
	p.t.Helper()
	p.eventuallyStep(what, 10*time.Millisecond, cond)
}

func (p *plane) eventuallyStep(what string, step time.Duration, cond func() bool) {
	p.t.Helper()
	opts := []planetest.WaitOption{planetest.Message("%s", what), planetest.Within(60 * time.Second)}
	if p.fake != nil && step > 0 {
		opts = append(opts, planetest.Stepping(p.fake, step))
	}
	planetest.Eventually(p.t, cond, opts...)
}

// waitFor polls cond like eventually, stepping the fake clock by step, and reports whether it
// held within the bound instead of failing the test (for property tests, which report through
// their own T).
func (p *plane) waitFor(cond func() bool, step time.Duration) bool {
	deadline := time.Now().Add(60 * time.Second)
	timer := time.NewTimer(time.Millisecond)
	defer timer.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		if p.fake != nil && step > 0 {
			p.fake.Step(step)
		}
		timer.Reset(time.Millisecond)
		<-timer.C
	}
	return true
}

// newDeployment returns a Deployment of replicas pods labelled app=name running image.
func newDeployment(name string, replicas int32, image string) *apps.Deployment {
	lbls := map[string]string{"app": name}
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: apps.DeploymentSpec{
			Replicas: new(replicas),
			Selector: &meta.LabelSelector{MatchLabels: lbls},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbls},
				Spec: core.PodSpec{
					Containers:                    []core.Container{{Name: "app", Image: image}},
					TerminationGracePeriodSeconds: new(int64(0)),
				},
			},
		},
	}
}

func withStrategy(d *apps.Deployment, surge, unavailable string) *apps.Deployment {
	d.Spec.Strategy = apps.DeploymentStrategy{Type: apps.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &apps.RollingUpdateDeployment{MaxSurge: new(intstr.Parse(surge)), MaxUnavailable: new(intstr.Parse(unavailable))}}
	return d
}

func (p *plane) create(d *apps.Deployment) *apps.Deployment {
	p.t.Helper()
	return rstest.Create(p.t, p.deployments, d)
}

func (p *plane) get(name string) *apps.Deployment {
	p.t.Helper()
	return rstest.Get(p.t, p.deployments, ns, name)
}

// update changes the named Deployment with change, retrying on conflicts.
func (p *plane) update(name string, change func(*apps.Deployment)) *apps.Deployment {
	p.t.Helper()
	return rstest.Update(p.t, p.deployments, ns, name, change)
}

func setImage(image string) func(*apps.Deployment) {
	return func(d *apps.Deployment) { d.Spec.Template.Spec.Containers[0].Image = image }
}

// replicaSets returns the ReplicaSets the named Deployment controls, by name.
func (p *plane) replicaSets(name string) map[string]*apps.ReplicaSet {
	p.t.Helper()
	d := p.get(name)
	l, err := p.rss.List(p.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		p.t.Fatal(err)
	}
	out := map[string]*apps.ReplicaSet{}
	for _, rs := range l.Items {
		if meta.IsControlledBy(rs, d) {
			out[rs.Name] = rs
		}
	}
	return out
}

// complete reports whether the named Deployment has rolled out its current template: status
// complete for the current generation, no old replica left, and Available.
func (p *plane) complete(name string) bool {
	d, err := p.deployments.Get(p.ctx, ns, name)
	if err != nil {
		return false
	}
	want := *d.Spec.Replicas
	st := d.Status
	if st.ObservedGeneration < d.Generation || st.UpdatedReplicas != want || st.Replicas != want ||
		st.AvailableReplicas != want || st.UnavailableReplicas != 0 {
		return false
	}
	for _, rs := range p.replicaSets(name) {
		if !deployment.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) && (*rs.Spec.Replicas != 0 || rs.Status.Replicas != 0) {
			return false
		}
	}
	return conditionReason(d, apps.DeploymentAvailable) == apps.MinimumReplicasAvailable
}

func (p *plane) waitComplete(name string) *apps.Deployment {
	p.t.Helper()
	p.eventually(name+" rolled out", func() bool { return p.complete(name) })
	return p.get(name)
}

// conditionReason returns the reason of d's condition of type t, "" if absent.
func conditionReason(d *apps.Deployment, t apps.DeploymentConditionType) string {
	for _, c := range d.Status.Conditions {
		if c.Type == t {
			return c.Reason
		}
	}
	return ""
}

func condition(d *apps.Deployment, t apps.DeploymentConditionType) *apps.DeploymentCondition {
	for _, c := range d.Status.Conditions {
		if c.Type == t {
			return &c
		}
	}
	return nil
}

// events returns the messages of the events about the named Deployment with reason.
func (p *plane) events(name, reason string) []string {
	p.t.Helper()
	return rstest.EventMessages(p.t, p.c, ns, "Deployment", name, reason)
}

// activePods returns the active pods the selector app=name matches.
func (p *plane) activePods(name string) []*core.Pod {
	p.t.Helper()
	return rstest.ActivePods(p.t, p.c, ns, func(pod *core.Pod) bool { return pod.Labels["app"] == name })
}
