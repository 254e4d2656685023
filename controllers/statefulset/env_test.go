package statefulset_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/internal/watchtest"
	"github.com/skiff-dev/skiff/controllers/statefulset"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/faultstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// mode is how a scenario runs: on the plane's own manager, or on a second manager whose
// writes go through a fault-injecting store (conflicts and transient errors).
type mode struct {
	name   string
	faults bool
}

var modes = []mode{{name: "plain"}, {name: "faults", faults: true}}

// env is a test control plane (fake clock, scheduler, simulated nodes) running the
// StatefulSet controller.
type env struct {
	t   testing.TB
	ctx context.Context
	p   *planetest.Plane
	// c is the plane's own client: the test's writes never fail.
	c     client.Client
	sets  *client.Typed[*apps.StatefulSet]
	pods  *client.Typed[*core.Pod]
	pvcs  *client.Typed[*core.PersistentVolumeClaim]
	revs  *client.Typed[*apps.ControllerRevision]
	fault *faultstore.Store // nil without faults
}

// startEnv starts a plane with nodes whose containers start after a second and are ready at
// once, and adds the controller: to the plane's manager, or, with faults, to a manager of
// its own writing through faultstore.
func startEnv(t testing.TB, m mode, opts ...planetest.Option) *env {
	t.Helper()
	opts = append([]planetest.Option{planetest.WithLogger(managertest.QuietLogger()), planetest.WithConfig(func(c *controlplane.Config) {
		c.Nodes.Count = 3
		c.Nodes.StartupDelay = time.Second
		// The built-in controllers are off: each test runs its own instance of this one
		// (and, when it needs one, a garbage collector).
		c.Controllers.Disabled = true
	})}, opts...)
	p := planetest.Start(t, opts...)
	e := &env{t: t, ctx: context.Background(), p: p, c: p.Client()}
	e.sets = client.For[*apps.StatefulSet](e.c)
	e.pods = client.For[*core.Pod](e.c)
	e.pvcs = client.For[*core.PersistentVolumeClaim](e.c)
	e.revs = client.For[*apps.ControllerRevision](e.c)
	mgr := p.Manager()
	if m.faults {
		f := managertest.NewFaulty(t, p.Store(), p.Clock, faultstore.Options{Scheme: p.Scheme(), ConflictRate: 0.15, TransientRate: 0.15})
		f.Start(t)
		f.ExpectFaults(t)
		e.fault, mgr = f.Faults, f.Manager
	}
	if err := statefulset.Add(mgr, statefulset.Options{}); err != nil {
		t.Fatal(err)
	}
	return e
}

// eventually waits for cond, moving the fake clock a second at a time while the kubelets
// are idle (see planetest.Plane.Step).
func (e *env) eventually(msg string, cond func() bool) {
	e.t.Helper()
	e.p.Eventually(cond, e.p.Step(time.Second), planetest.Message("%s", msg), planetest.Within(time.Minute))
}

// advance moves the fake clock by d, a second at a time (see eventually).
func (e *env) advance(d time.Duration) {
	e.t.Helper()
	end := e.p.Clock.Now().Add(d)
	e.eventually(fmt.Sprintf("the clock to advance %v", d), func() bool { return !e.p.Clock.Now().Before(end) })
}

// newSet returns a StatefulSet "name" of replicas pods with one claim template "data".
func newSet(name string, replicas int32, mutate ...func(*apps.StatefulSet)) *apps.StatefulSet {
	lbls := map[string]string{"app": name}
	s := &apps.StatefulSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: apps.StatefulSetSpec{
			Replicas:    &replicas,
			Selector:    &meta.LabelSelector{MatchLabels: lbls},
			ServiceName: name + "-svc",
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbls},
				Spec: core.PodSpec{Containers: []core.Container{{
					Name: "app", Image: "nginx:1.0",
					VolumeMounts: []core.VolumeMount{{Name: "data", MountPath: "/data"}},
				}}},
			},
			VolumeClaimTemplates: []core.PersistentVolumeClaim{{
				ObjectMeta: meta.ObjectMeta{Name: "data"},
				Spec: core.PersistentVolumeClaimSpec{
					AccessModes: []core.PersistentVolumeAccessMode{core.ReadWriteOnce},
					Resources:   core.VolumeResourceRequirements{Requests: core.ResourceList{core.ResourceStorage: resource.MustParse("1Gi")}},
				},
			}},
		},
	}
	for _, m := range mutate {
		m(s)
	}
	return s
}

func (e *env) create(s *apps.StatefulSet) *apps.StatefulSet {
	e.t.Helper()
	out, err := e.sets.Create(e.ctx, s)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// update changes the named set with mutate.
func (e *env) update(name string, mutate func(*apps.StatefulSet)) {
	e.t.Helper()
	if _, err := client.GuaranteedUpdate(e.ctx, e.sets, "default", name, func(s *apps.StatefulSet) error {
		mutate(s)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) get(name string) *apps.StatefulSet {
	e.t.Helper()
	s, err := e.sets.Get(e.ctx, "default", name)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// podsOf returns the set's pods by name.
func (e *env) podsOf(name string) map[string]*core.Pod {
	e.t.Helper()
	l, err := e.pods.List(e.ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]*core.Pod{}
	for _, p := range l.Items {
		if strings.HasPrefix(p.Name, name+"-") {
			out[p.Name] = p
		}
	}
	return out
}

func running(p *core.Pod) bool {
	return p.DeletionTimestamp == nil && p.Status.Phase == core.PodRunning && core.IsPodReady(p)
}

// settled reports whether the set has exactly the pods of ordinals [start, start+n), all
// Running and Ready, at revision rev (any when empty), and its status says so.
func (e *env) settled(name string, start, n int, rev string) bool {
	pods := e.podsOf(name)
	if len(pods) != n {
		return false
	}
	for i := start; i < start+n; i++ {
		p := pods[fmt.Sprintf("%s-%d", name, i)]
		if p == nil || !running(p) || (rev != "" && p.Labels[apps.StatefulSetRevisionLabel] != rev) {
			return false
		}
	}
	s := e.get(name)
	st := s.Status
	return st.ObservedGeneration == s.Generation && int(st.Replicas) == n && int(st.ReadyReplicas) == n &&
		int(st.AvailableReplicas) == n && int(st.UpdatedReplicas) == n && st.CurrentRevision == st.UpdateRevision &&
		(rev == "" || st.UpdateRevision == rev)
}

// calmFaults stops injecting faults, so that a scenario's end state can settle for sure.
func (e *env) calmFaults() {
	if e.fault != nil {
		e.fault.SetRates(0, 0)
	}
}

// podWatch checks the pods of the namespace on every event (see watchtest) and logs, in
// store order, each pod's creation and the start of each deletion.
type podWatch struct {
	// mu guards log.
	mu  sync.Mutex
	log []string // "create web-0", "delete web-2" (deletion started) in order
}

// watchPods starts a podWatch that runs check, when not nil, on every event.
func (e *env) watchPods(check watchtest.Check[*core.Pod]) *podWatch {
	e.t.Helper()
	w := &podWatch{}
	watchtest.Start(e.t, e.pods, "default", func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
		w.record(before[ev.Object.Name], ev)
		if check == nil {
			return ""
		}
		return check(before, ev)
	})
	return w
}

// record logs what ev does to p, given its state old before ev (nil when absent).
func (w *podWatch) record(old *core.Pod, ev client.Event[*core.Pod]) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case ev.Type == store.Added:
		w.log = append(w.log, "create "+ev.Object.Name)
	case ev.Type == store.Deleted && (old == nil || old.DeletionTimestamp == nil):
		w.log = append(w.log, "delete "+ev.Object.Name)
	case ev.Type == store.Modified && ev.Object.DeletionTimestamp != nil && old != nil && old.DeletionTimestamp == nil:
		w.log = append(w.log, "delete "+ev.Object.Name)
	}
}

// entries returns the log entries from index from on.
func (w *podWatch) entries(from int) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.log[min(from, len(w.log)):]...)
}

// waitFor waits, in real time and bounded, until the log holds at least n entries. The
// watch runs on its own goroutine and can lag behind what the test reads from the store:
// entries, mark and the scaleDown switch are only meaningful once it has caught up.
func (w *podWatch) waitFor(t testing.TB, n int) {
	t.Helper()
	planetest.Eventually(t, func() bool { return w.mark() >= n }, planetest.Message("the pod watch to log %d entries", n))
}

// mark returns the current length of the log.
func (w *podWatch) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.log)
}

// orderedReadyCheck is the OrderedReady invariant of set name: pod k+1 is created only while
// pod k exists, Running and Ready. While scaleDown is set it also checks scale-down: a
// deletion starts only when no other pod of the set is terminating, and takes the highest
// ordinal present.
func orderedReadyCheck(name string, start int, scaleDown *atomic.Bool) watchtest.Check[*core.Pod] {
	return func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
		p := ev.Object
		ord := ordinal(name, p.Name)
		if ord < 0 {
			return ""
		}
		old := before[p.Name]
		switch {
		case ev.Type == store.Added && ord > start:
			prev := before[fmt.Sprintf("%s-%d", name, ord-1)]
			if prev == nil || !running(prev) {
				return fmt.Sprintf("%s created while %s-%d was not Running and Ready (%v)", p.Name, name, ord-1, describe(prev))
			}
		case scaleDown.Load() && startsDeletion(ev, old):
			for n, q := range before {
				o := ordinal(name, n)
				if o < 0 || n == p.Name {
					continue
				}
				if q.DeletionTimestamp != nil {
					return fmt.Sprintf("%s deleted while %s was terminating", p.Name, n)
				}
				if o > ord {
					return fmt.Sprintf("%s deleted before the higher ordinal %s", p.Name, n)
				}
			}
		}
		return ""
	}
}

// startsDeletion reports whether ev is the start of a pod's deletion.
func startsDeletion(ev client.Event[*core.Pod], old *core.Pod) bool {
	p := ev.Object
	switch ev.Type {
	case store.Deleted:
		return old != nil && old.DeletionTimestamp == nil
	case store.Modified:
		return p.DeletionTimestamp != nil && old != nil && old.DeletionTimestamp == nil
	}
	return false
}

func ordinal(set, pod string) int {
	rest, ok := strings.CutPrefix(pod, set+"-")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return -1
	}
	return n
}

func describe(p *core.Pod) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprintf("phase %s, ready %v, terminating %v", p.Status.Phase, core.IsPodReady(p), p.DeletionTimestamp != nil)
}
