package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// testScheme is the built-in scheme: the scheduler binds through an ordinary pod update, which
// may set spec.nodeName once.
func testScheme() *scheme.Scheme { return scheme.NewBuiltin() }

// Object builders. Options modify the object in place.

func node(name string, cpu, memory string, pods int64, opts ...func(*core.Node)) *core.Node {
	n := &core.Node{
		ObjectMeta: meta.ObjectMeta{Name: name, Labels: map[string]string{core.LabelHostname: name}},
		Status: core.NodeStatus{Allocatable: core.ResourceList{
			core.ResourceCPU:    resource.MustParse(cpu),
			core.ResourceMemory: resource.MustParse(memory),
			core.ResourcePods:   *resource.NewQuantity(pods, resource.DecimalSI),
		}},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

func nodeLabels(kv ...string) func(*core.Node) {
	return func(n *core.Node) {
		for i := 0; i < len(kv); i += 2 {
			n.Labels[kv[i]] = kv[i+1]
		}
	}
}

func cordoned(n *core.Node) { n.Spec.Unschedulable = true }

func taints(ts ...core.Taint) func(*core.Node) {
	return func(n *core.Node) { n.Spec.Taints = append(n.Spec.Taints, ts...) }
}

func allocatable(name core.ResourceName, q string) func(*core.Node) {
	return func(n *core.Node) { n.Status.Allocatable[name] = resource.MustParse(q) }
}

func pod(name string, opts ...func(*core.Pod)) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, UID: meta.UID("uid-" + name)},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "app:1"}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func resources(kv ...string) core.ResourceList {
	rl := core.ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		rl[core.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return rl
}

// requests sets the requests of the first container: "cpu", "500m", "memory", "1Gi", ...
func requests(kv ...string) func(*core.Pod) {
	return func(p *core.Pod) { p.Spec.Containers[0].Resources.Requests = resources(kv...) }
}

func container(name string, kv ...string) func(*core.Pod) {
	return func(p *core.Pod) {
		p.Spec.Containers = append(p.Spec.Containers, core.Container{
			Name: name, Image: "app:1", Resources: core.ResourceRequirements{Requests: resources(kv...)},
		})
	}
}

func initContainer(name string, kv ...string) func(*core.Pod) {
	return func(p *core.Pod) {
		p.Spec.InitContainers = append(p.Spec.InitContainers, core.Container{
			Name: name, Image: "init:1", Resources: core.ResourceRequirements{Requests: resources(kv...)},
		})
	}
}

func overhead(kv ...string) func(*core.Pod) {
	return func(p *core.Pod) { p.Spec.Overhead = resources(kv...) }
}

func nodeSelector(kv ...string) func(*core.Pod) {
	return func(p *core.Pod) {
		p.Spec.NodeSelector = map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			p.Spec.NodeSelector[kv[i]] = kv[i+1]
		}
	}
}

func requiredAffinity(terms ...core.NodeSelectorTerm) func(*core.Pod) {
	return func(p *core.Pod) {
		p.Spec.Affinity = &core.Affinity{NodeAffinity: &core.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &core.NodeSelector{NodeSelectorTerms: terms},
		}}
	}
}

func preferredAffinity(weight int32, term core.NodeSelectorTerm) func(*core.Pod) {
	return func(p *core.Pod) {
		if p.Spec.Affinity == nil {
			p.Spec.Affinity = &core.Affinity{NodeAffinity: &core.NodeAffinity{}}
		}
		na := p.Spec.Affinity.NodeAffinity
		na.PreferredDuringSchedulingIgnoredDuringExecution = append(na.PreferredDuringSchedulingIgnoredDuringExecution,
			core.PreferredSchedulingTerm{Weight: weight, Preference: term})
	}
}

func expr(key string, op core.NodeSelectorOperator, values ...string) core.NodeSelectorTerm {
	return core.NodeSelectorTerm{MatchExpressions: []core.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}}
}

func tolerations(ts ...core.Toleration) func(*core.Pod) {
	return func(p *core.Pod) { p.Spec.Tolerations = append(p.Spec.Tolerations, ts...) }
}

func ownedBy(uid string) func(*core.Pod) {
	return func(p *core.Pod) {
		t := true
		p.OwnerReferences = []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs-" + uid, UID: meta.UID(uid), Controller: &t}}
	}
}

func boundTo(nodeName string) func(*core.Pod) {
	return func(p *core.Pod) { p.Spec.NodeName = nodeName }
}

// env is a scheduler running against a real store in t.TempDir(), through a Local client and
// an informer factory, on a fake clock.
type env struct {
	t     *testing.T
	clk   *clock.Fake
	st    *boltstore.Store
	pods  *client.Typed[*core.Pod]
	nodes *client.Typed[*core.Node]
	sched *Scheduler
	ctx   context.Context
}

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newEnv creates nodes, starts informers and a scheduler with opts (Clock is set), and stops
// everything at the end of the test.
func newEnv(t *testing.T, opts Options, nodes ...*core.Node) *env {
	t.Helper()
	clk := clock.NewFake(epoch)
	sch := testScheme()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewLocal(st, sch)
	e := &env{t: t, clk: clk, st: st, pods: client.For[*core.Pod](c), nodes: client.For[*core.Node](c)}
	ctx, cancel := context.WithCancel(context.Background())
	e.ctx = ctx
	for _, n := range nodes {
		e.createNode(n)
	}
	f := informer.NewFactory(st, informer.FactoryOptions{Scheme: sch, Clock: clk})
	opts.Clock = clk
	if opts.Logger.GetSink() == nil {
		opts.Logger = testr.New(t)
	}
	e.sched = New(c, f, opts)
	f.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- e.sched.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Start: %v", err)
		}
		f.Shutdown()
		if err := st.Close(); err != nil {
			t.Errorf("closing store: %v", err)
		}
	})
	return e
}

func (e *env) createNode(n *core.Node) *core.Node {
	e.t.Helper()
	out, err := e.nodes.Create(e.ctx, n)
	if err != nil {
		e.t.Fatalf("creating node %s: %v", n.Name, err)
	}
	return out
}

func (e *env) createPod(p *core.Pod) *core.Pod {
	e.t.Helper()
	p = p.DeepCopy()
	p.UID = "" // the store assigns it
	out, err := e.pods.Create(e.ctx, p)
	if err != nil {
		e.t.Fatalf("creating pod %s: %v", p.Name, err)
	}
	return out
}

func (e *env) getPod(name string) *core.Pod {
	e.t.Helper()
	p, err := e.pods.Get(e.ctx, "default", name)
	if err != nil {
		e.t.Fatalf("getting pod %s: %v", name, err)
	}
	return p
}

// eventually polls cond, stepping the fake clock by step between polls, until it holds or
// 20 s of real time have passed. The scheduler runs on goroutines of its own (informer
// handlers, the scheduling loop, binders), so a bounded poll is the only way to wait for it.
func (e *env) eventually(what string, step time.Duration, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
		if step > 0 {
			e.clk.Step(step)
		}
	}
}

// waitBound waits until the pod is bound and returns it.
func (e *env) waitBound(name string) *core.Pod {
	e.t.Helper()
	var p *core.Pod
	e.eventually("pod "+name+" bound", 100*time.Millisecond, func() bool {
		p = e.getPod(name)
		return p.Spec.NodeName != "" && podScheduled(p) == core.ConditionTrue
	})
	return p
}

// waitUnschedulable waits until the pod's PodScheduled condition is False with reason
// Unschedulable, and returns its message.
func (e *env) waitUnschedulable(name string) string {
	e.t.Helper()
	var c *core.PodCondition
	e.eventually("pod "+name+" unschedulable", 0, func() bool {
		p := e.getPod(name)
		c = core.GetPodCondition(&p.Status, core.PodScheduled)
		return c != nil && c.Status == core.ConditionFalse && c.Reason == core.PodReasonUnschedulable
	})
	return c.Message
}

// waitMessage waits until the pod's PodScheduled condition has message want, stepping the
// clock past back-offs.
func (e *env) waitMessage(name, want string) {
	e.t.Helper()
	e.eventually("pod "+name+" message "+want, 100*time.Millisecond, func() bool {
		c := core.GetPodCondition(&e.getPod(name).Status, core.PodScheduled)
		return c != nil && c.Message == want
	})
}

func podScheduled(p *core.Pod) core.ConditionStatus {
	if c := core.GetPodCondition(&p.Status, core.PodScheduled); c != nil {
		return c.Status
	}
	return ""
}

// writes returns the store's write count.
func (e *env) writes() uint64 { return e.st.Stats().Writes }

// podsPerNode lists every pod and counts them by spec.nodeName ("" for pending).
func (e *env) podsPerNode() map[string]int {
	e.t.Helper()
	l, err := e.pods.List(e.ctx, store.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for _, p := range l.Items {
		out[p.Spec.NodeName]++
	}
	return out
}
