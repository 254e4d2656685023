package statefulset_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/statefulset"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/manager"
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
	opts = append([]planetest.Option{planetest.WithLogger(quietLogger()), planetest.WithConfig(func(c *controlplane.Config) {
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
		e.fault = faultstore.New(p.Store(), faultstore.Options{Scheme: p.Scheme(), ConflictRate: 0.15, TransientRate: 0.15})
		mgr = startFaultyManager(t, p, e.fault)
		t.Cleanup(func() {
			n := e.fault.Counts()
			t.Logf("faults injected: %d conflicts, %d transient errors, %d writes passed", n.Conflicts, n.Transients, n.Passed)
			if n.Conflicts+n.Transients == 0 {
				t.Error("no fault was injected")
			}
		})
	}
	if err := statefulset.Add(mgr, statefulset.Options{}); err != nil {
		t.Fatal(err)
	}
	return e
}

// startFaultyManager runs a manager over fs until the end of the test.
func startFaultyManager(t testing.TB, p *planetest.Plane, fs *faultstore.Store) *manager.Manager {
	t.Helper()
	mgr, err := manager.New(manager.Options{Client: client.NewLocal(fs, p.Scheme()), Clock: p.Clock, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("faulty manager: %v", err)
		}
	})
	select {
	case <-mgr.Ready():
	case err := <-done:
		t.Fatalf("faulty manager stopped: %v", err)
	}
	return mgr
}

// quietLogger discards logs: the controllers log every injected fault.
func quietLogger() logr.Logger { return logr.FromSlogHandler(slog.NewTextHandler(io.Discard, nil)) }

// eventually waits for cond, moving the fake clock a second at a time (see step).
func (e *env) eventually(msg string, cond func() bool) {
	e.t.Helper()
	planetest.Eventually(e.t, func() bool {
		if cond() {
			return true
		}
		e.step()
		return false
	}, planetest.Message("%s", msg), planetest.Within(time.Minute))
}

// step moves the fake clock one second if the kubelets have caught up with it. Moving it
// faster than they renew their leases would make the node lifecycle controller find the
// nodes unreachable and their pods not ready.
func (e *env) step() {
	if st := e.p.Kubelets().Stats(); st.Queued == 0 && st.Syncing == 0 {
		e.p.Clock.Step(time.Second)
	}
}

// advance moves the fake clock by d, a second at a time (see step).
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

// podWatch follows every pod event of the namespace from the start, in store order, keeping
// the last state of each pod, and runs check on each event with that state (before the event
// is applied). It records what check reports.
type podWatch struct {
	// mu guards pods, log and problems.
	mu       sync.Mutex
	pods     map[string]*core.Pod
	log      []string // "create web-0", "delete web-2" (deletion started) in order
	problems []string
}

func (e *env) watchPods(check func(w *podWatch, ev client.Event[*core.Pod]) string) *podWatch {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	watcher, err := e.pods.Watch(ctx, store.WatchOptions{Namespace: "default"})
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	w := &podWatch{pods: map[string]*core.Pod{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range watcher.ResultChan() {
			w.apply(ev, check)
		}
	}()
	e.t.Cleanup(func() {
		cancel()
		watcher.Stop()
		<-done
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, p := range w.problems {
			e.t.Errorf("invariant violated: %s", p)
		}
	})
	return w
}

func (w *podWatch) apply(ev client.Event[*core.Pod], check func(*podWatch, client.Event[*core.Pod]) string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ev.Type == store.Error {
		w.problems = append(w.problems, fmt.Sprintf("watch failed: %v", ev.Err))
		return
	}
	if ev.Type == store.Bookmark {
		return
	}
	p := ev.Object
	old := w.pods[p.Name]
	if check != nil {
		if msg := check(w, ev); msg != "" {
			w.problems = append(w.problems, msg)
		}
	}
	switch {
	case ev.Type == store.Added:
		w.log = append(w.log, "create "+p.Name)
	case ev.Type == store.Deleted && (old == nil || old.DeletionTimestamp == nil):
		w.log = append(w.log, "delete "+p.Name)
	case ev.Type == store.Modified && p.DeletionTimestamp != nil && old != nil && old.DeletionTimestamp == nil:
		w.log = append(w.log, "delete "+p.Name)
	}
	if ev.Type == store.Deleted {
		delete(w.pods, p.Name)
	} else {
		w.pods[p.Name] = p
	}
}

// entries returns the log entries from index from on.
func (w *podWatch) entries(from int) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.log[min(from, len(w.log)):]...)
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
func orderedReadyCheck(name string, start int, scaleDown *atomic.Bool) func(*podWatch, client.Event[*core.Pod]) string {
	return func(w *podWatch, ev client.Event[*core.Pod]) string {
		p := ev.Object
		ord := ordinal(name, p.Name)
		if ord < 0 {
			return ""
		}
		old := w.pods[p.Name]
		switch {
		case ev.Type == store.Added && ord > start:
			prev := w.pods[fmt.Sprintf("%s-%d", name, ord-1)]
			if prev == nil || !running(prev) {
				return fmt.Sprintf("%s created while %s-%d was not Running and Ready (%v)", p.Name, name, ord-1, describe(prev))
			}
		case scaleDown.Load() && startsDeletion(ev, old):
			for n, q := range w.pods {
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
