package replicaset_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/internal/rstest"
	"github.com/skiff-dev/skiff/controllers/replicaset"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// env is a bbolt store and a manager running the ReplicaSet controller on a fake clock
// (managertest). Nothing schedules or runs pods: tests bind them and write their status by
// hand.
type env struct {
	t      *testing.T
	ctx    context.Context
	Clock  *clock.Fake
	Client client.Client
	rss    *client.Typed[*apps.ReplicaSet]
	pods   *client.Typed[*core.Pod]
	mgr    *manager.Manager // runs the controller
}

// newEnv starts the controller; admit, when set, is the store's admission hook. The manager
// is stopped and the store closed when the test ends.
func newEnv(t *testing.T, opts replicaset.Options, admit store.AdmitFunc) *env {
	t.Helper()
	mo := managertest.Options{}
	if admit != nil {
		mo.Admission = admission(admit)
	}
	m := managertest.New(t, mo)
	if err := replicaset.Add(m.Manager, opts); err != nil {
		t.Fatal(err)
	}
	m.Start(t)
	return &env{t: t, ctx: context.Background(), Clock: m.Clock, Client: m.Client,
		rss: client.For[*apps.ReplicaSet](m.Client), pods: client.For[*core.Pod](m.Client), mgr: m.Manager}
}

// admission makes an admission hook that needs no store reader a managertest.Admission.
type admission store.AdmitFunc

func (a admission) Admit(ctx context.Context, attrs store.Attributes) error { return a(ctx, attrs) }
func (admission) SetReader(store.Reader)                                    {}

func newReplicaSet(name string, replicas int32) *apps.ReplicaSet {
	lbls := map[string]string{"app": name}
	return &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: apps.ReplicaSetSpec{
			Replicas: new(replicas),
			Selector: &meta.LabelSelector{MatchLabels: lbls},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbls},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx:1.27"}}},
			},
		},
	}
}

func (e *env) create(rs *apps.ReplicaSet) *apps.ReplicaSet {
	e.t.Helper()
	return rstest.Create(e.t, e.rss, rs)
}

func (e *env) get(name string) *apps.ReplicaSet {
	e.t.Helper()
	return rstest.Get(e.t, e.rss, ns, name)
}

func (e *env) scale(name string, replicas int32) {
	e.t.Helper()
	rstest.Update(e.t, e.rss, ns, name, func(rs *apps.ReplicaSet) { rs.Spec.Replicas = new(replicas) })
}

// activePods returns the active pods controlled by the named ReplicaSet, by name.
func (e *env) activePods(name string) []*core.Pod {
	e.t.Helper()
	rs := e.get(name)
	return rstest.ActivePods(e.t, e.Client, ns, func(p *core.Pod) bool { return meta.IsControlledBy(p, rs) })
}

// eventually waits for cond, stepping the fake clock by step (if not 0) between polls, so
// that rate-limited retries and delayed requeues fire.
func (e *env) eventually(what string, step time.Duration, cond func() bool) {
	e.t.Helper()
	opts := []planetest.WaitOption{planetest.Message("%s", what), planetest.Within(20 * time.Second)}
	if step > 0 {
		opts = append(opts, planetest.Stepping(e.Clock, step))
	}
	planetest.Eventually(e.t, cond, opts...)
}

// settled waits until the ReplicaSet has n active pods and a status that says so for its
// current generation.
func (e *env) settled(name string, n int) []*core.Pod {
	e.t.Helper()
	var pods []*core.Pod
	e.eventually(fmt.Sprintf("%s with %d pods", name, n), 0, func() bool {
		pods = e.activePods(name)
		rs := e.get(name)
		return len(pods) == n && rs.Status.Replicas == int32(n) && rs.Status.ObservedGeneration == rs.Generation
	})
	return pods
}

// setPod binds a pod to node (if not empty and not bound yet) and sets its phase and
// readiness, ready since the fake clock's now.
func (e *env) setPod(name, node string, phase core.PodPhase, ready bool) {
	e.t.Helper()
	if node != "" {
		if _, err := client.GuaranteedUpdate(e.ctx, e.pods, ns, name, func(p *core.Pod) error {
			if p.Spec.NodeName == "" {
				p.Spec.NodeName = node
			}
			return nil
		}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := client.GuaranteedUpdateStatus(e.ctx, e.pods, ns, name, func(p *core.Pod) error {
		p.Status.Phase = phase
		st := core.ConditionFalse
		if ready {
			st = core.ConditionTrue
		}
		core.UpdatePodCondition(&p.Status, &core.PodCondition{Type: core.PodReady, Status: st,
			LastTransitionTime: meta.NewTime(e.Clock.Now())})
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// events returns the messages of the events recorded about the named ReplicaSet with reason.
func (e *env) events(name, reason string) []string {
	e.t.Helper()
	return rstest.EventMessages(e.t, e.Client, ns, "ReplicaSet", name, reason)
}

func podNames(pods []*core.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return out
}

func selectorOf(rs *apps.ReplicaSet) labels.Selector {
	sel, err := labels.FromLabelSelector(rs.Spec.Selector)
	if err != nil {
		panic(err)
	}
	return sel
}
