package kubelet_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// epoch is the fake clock's start: every test's times are offsets from it.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// waitTimeout bounds every wait for the kubelet's goroutines, in real time. Tests never sleep.
const waitTimeout = 20 * time.Second

const (
	testNode = "node-1"
	testNS   = "default"
)

// env is a store, a client, a Host with one node and a simulated runtime, all on one fake
// clock, and a recorder of every version of every pod.
type env struct {
	t    *testing.T
	clk  *clock.Fake
	st   *boltstore.Store
	c    client.Client
	pods *client.Typed[*core.Pod]
	host *kubelet.Host
	rt   *sim.Runtime

	mu      sync.Mutex // guards history and changed
	history map[string][]*core.Pod
	changed chan struct{} // closed and replaced on every recorded event
}

// newEnv starts everything, registers testNode and waits until its Node and Lease exist.
func newEnv(t *testing.T, simOpts sim.Options) *env {
	t.Helper()
	clk := clock.NewFake(epoch)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewLocal(st, sch)
	f := informer.NewFactory(c, informer.FactoryOptions{Scheme: sch, Clock: clk})
	simOpts.Clock = clk
	rt := sim.New(simOpts)
	h, err := kubelet.NewHost(c, f, kubelet.Options{Runtime: rt, Clock: clk, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clk: clk, st: st, c: c, pods: client.For[*core.Pod](c), host: h, rt: rt,
		history: map[string][]*core.Pod{}, changed: make(chan struct{})}

	ctx, cancel := context.WithCancel(context.Background())
	w, err := c.Watch(ctx, scheme.PodGVK, store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { e.record(w) })
	done := make(chan error, 1)
	wg.Go(func() { done <- h.Start(ctx) })
	t.Cleanup(func() {
		cancel()
		w.Stop()
		wg.Wait()
		if err := <-done; err != nil {
			t.Errorf("Start: %v", err)
		}
		f.Shutdown()
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	if err := h.AddNode(kubelet.NodeConfig{Name: testNode}); err != nil {
		t.Fatal(err)
	}
	e.waitObject(scheme.LeaseGVK, kubelet.NodeLeaseNamespace, testNode, "exists", func(o meta.Object) bool { return o != nil })
	return e
}

// record appends every pod event to the history until the watch ends.
func (e *env) record(w store.Watcher) {
	for ev := range w.ResultChan() {
		p, ok := ev.Object.(*core.Pod)
		if !ok || (ev.Type != store.Added && ev.Type != store.Modified && ev.Type != store.Deleted) {
			continue
		}
		e.mu.Lock()
		if ev.Type == store.Deleted {
			e.history[p.Name] = append(e.history[p.Name], p, nil)
		} else {
			e.history[p.Name] = append(e.history[p.Name], p)
		}
		close(e.changed)
		e.changed = make(chan struct{})
		e.mu.Unlock()
	}
}

// latest returns the last recorded version of a pod (nil once deleted) and a channel closed
// at the next event.
func (e *env) latest(name string) (*core.Pod, bool, <-chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	h := e.history[name]
	if len(h) == 0 {
		return nil, false, e.changed
	}
	return h[len(h)-1], true, e.changed
}

// versions returns every recorded version of a pod; nil stands for its deletion.
func (e *env) versions(name string) []*core.Pod {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.history[name])
}

// waitPod waits until the latest version of a pod satisfies cond (nil: the pod is gone) and
// returns it.
func (e *env) waitPod(name, what string, cond func(*core.Pod) bool) *core.Pod {
	e.t.Helper()
	timeout := time.NewTimer(waitTimeout)
	defer timeout.Stop()
	for {
		p, seen, changed := e.latest(name)
		if seen && cond(p) {
			return p
		}
		select {
		case <-changed:
		case <-timeout.C:
			e.t.Fatalf("at %s: pod %s: timed out waiting for %s; last seen: %s", e.elapsed(), name, what, describe(p))
		}
	}
}

// waitSeen waits until the kubelet has written the pod's status once: tests must not move
// the clock before the kubelet has seen a pod.
func (e *env) waitSeen(name string) *core.Pod {
	e.t.Helper()
	return e.waitPod(name, "the kubelet's first status", func(p *core.Pod) bool { return p != nil && p.Status.StartTime != nil })
}

// waitStatus waits until the pod's STATUS column reads status and cond (if any) holds.
func (e *env) waitStatus(name, status string, cond func(*core.Pod) bool) *core.Pod {
	e.t.Helper()
	return e.waitPod(name, "STATUS "+status, func(p *core.Pod) bool {
		return podStatusString(p) == status && (cond == nil || (p != nil && cond(p)))
	})
}

// waitObject waits until the object of kind gvk named ns/name satisfies cond (nil: it does
// not exist), watching the store, and returns it.
func (e *env) waitObject(gvk scheme.GroupVersionKind, ns, name, what string, cond func(meta.Object) bool) meta.Object {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	w, err := e.c.Watch(ctx, gvk, store.WatchOptions{Namespace: ns, AllowBookmarks: true,
		FieldSelector: fields.OneTermEqualSelector("metadata.name", name)})
	if err != nil {
		e.t.Fatal(err)
	}
	defer w.Stop()
	var last meta.Object
	for ev := range w.ResultChan() {
		switch ev.Type {
		case store.Added, store.Modified:
			last = ev.Object
		case store.Deleted:
			last = nil
		case store.Bookmark:
		default:
			continue
		}
		if cond(last) {
			return last
		}
	}
	e.t.Fatalf("at %s: timed out waiting for %s %s/%s: %s", e.elapsed(), gvk.Kind, ns, name, what)
	return nil
}

// settle waits until the Host has caught up with the clock: nothing queued or being
// synced, several times in a row (a worker that just took an item from the queue is counted
// a moment later). This is bounded polling: the Host's workers are real goroutines.
func (e *env) settle() {
	e.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for quiet := 0; quiet < 5; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			e.t.Fatalf("at %s: the kubelet did not settle: %+v\n%s", e.elapsed(), e.host.Stats(), buf)
		}
		if st := e.host.Stats(); st.Queued == 0 && st.Syncing == 0 {
			quiet++
		} else {
			quiet = 0
		}
		poll := time.NewTimer(20 * time.Microsecond)
		<-poll.C
	}
}

// at moves the fake clock to epoch + d one due timer at a time, letting the Host catch up
// at each, as if time had passed continuously.
func (e *env) at(d time.Duration) {
	e.t.Helper()
	target := epoch.Add(d)
	for {
		e.settle()
		next, ok := e.clk.NextDue()
		if !ok || next.After(target) {
			break
		}
		e.clk.SetTime(next)
	}
	if e.clk.Now().Before(target) {
		e.clk.SetTime(target)
		e.settle()
	}
}

func (e *env) elapsed() time.Duration { return e.clk.Now().Sub(epoch) }

// create creates a pod bound to testNode.
func (e *env) create(p *core.Pod) *core.Pod {
	e.t.Helper()
	p.Namespace = testNS
	if p.Spec.NodeName == "" {
		p.Spec.NodeName = testNode
	}
	out, err := e.pods.Create(context.Background(), p)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// delete deletes a pod with the grace period given (nil: the pod's own).
func (e *env) delete(name string, grace *int64) {
	e.t.Helper()
	var opts []client.DeleteOption
	if grace != nil {
		opts = append(opts, client.GracePeriod(*grace))
	}
	if _, err := e.pods.Delete(context.Background(), testNS, name, opts...); err != nil {
		e.t.Fatal(err)
	}
}

// podSpec returns a pod with one container "app" and the given annotations ("k=v").
func newPod(name string, policy core.RestartPolicy, ann ...string) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: name},
		Spec: core.PodSpec{
			RestartPolicy: policy,
			Containers:    []core.Container{{Name: "app", Image: "nginx:1.27"}},
		},
	}
	for _, kv := range ann {
		k, v, _ := strings.Cut(kv, "=")
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[k] = v
	}
	return p
}

// describe renders a pod's status compactly for failure messages.
func describe(p *core.Pod) string {
	if p == nil {
		return "<none>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "STATUS=%s phase=%s reason=%q deleting=%v", podStatusString(p), p.Status.Phase, p.Status.Reason, p.DeletionTimestamp != nil)
	for _, list := range [][]core.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for _, s := range list {
			fmt.Fprintf(&b, " [%s ready=%v restarts=%d %s]", s.Name, s.Ready, s.RestartCount, stateString(s.State))
		}
	}
	for _, c := range p.Status.Conditions {
		fmt.Fprintf(&b, " %s=%s", c.Type, c.Status)
	}
	return b.String()
}

func stateString(s core.ContainerState) string {
	switch {
	case s.Waiting != nil:
		return "waiting:" + s.Waiting.Reason
	case s.Running != nil:
		return "running@" + s.Running.StartedAt.Sub(epoch).String()
	case s.Terminated != nil:
		return fmt.Sprintf("terminated:%s(%d)@%s", s.Terminated.Reason, s.Terminated.ExitCode, s.Terminated.FinishedAt.Sub(epoch))
	}
	return "none"
}

// podStatusString is kubectl get pods' STATUS column (spec/pod-lifecycle.md §9, with two
// refinements of kubectl's printPod since: containers are looked at when the Initialized
// condition is True even if an init container is in trouble, and a terminal pod is never
// shown Terminating), which the kubelet's status must produce.
func podStatusString(p *core.Pod) string {
	if p == nil {
		return "<gone>"
	}
	reason := string(p.Status.Phase)
	if p.Status.Reason != "" {
		reason = p.Status.Reason
	}
	if c := core.GetPodCondition(&p.Status, core.PodScheduled); c != nil && c.Reason == core.PodReasonSchedulingGated {
		reason = core.PodReasonSchedulingGated
	}
	initializing := false
	for i, s := range p.Status.InitContainerStatuses {
		sidecar := false
		for _, c := range p.Spec.InitContainers {
			if c.Name == s.Name {
				sidecar = core.IsRestartableInitContainer(&c)
			}
		}
		switch {
		case s.State.Terminated != nil && s.State.Terminated.ExitCode == 0:
			continue
		case sidecar && s.Started != nil && *s.Started:
			continue
		case s.State.Terminated != nil:
			switch t := s.State.Terminated; {
			case t.Reason != "":
				reason = "Init:" + t.Reason
			case t.Signal != 0:
				reason = fmt.Sprintf("Init:Signal:%d", t.Signal)
			default:
				reason = fmt.Sprintf("Init:ExitCode:%d", t.ExitCode)
			}
		case s.State.Waiting != nil && s.State.Waiting.Reason != "" && s.State.Waiting.Reason != core.ContainerReasonPodInitializing:
			reason = "Init:" + s.State.Waiting.Reason
		default:
			reason = fmt.Sprintf("Init:%d/%d", i, len(p.Spec.InitContainers))
		}
		initializing = true
		break
	}
	if c := core.GetPodCondition(&p.Status, core.PodInitialized); !initializing || (c != nil && c.Status == core.ConditionTrue) {
		hasRunning := false
		for i := len(p.Status.ContainerStatuses) - 1; i >= 0; i-- {
			s := p.Status.ContainerStatuses[i]
			switch {
			case s.State.Waiting != nil && s.State.Waiting.Reason != "":
				reason = s.State.Waiting.Reason
			case s.State.Terminated != nil && s.State.Terminated.Reason != "":
				reason = s.State.Terminated.Reason
			case s.State.Terminated != nil && s.State.Terminated.Signal != 0:
				reason = fmt.Sprintf("Signal:%d", s.State.Terminated.Signal)
			case s.State.Terminated != nil:
				reason = fmt.Sprintf("ExitCode:%d", s.State.Terminated.ExitCode)
			case s.Ready && s.State.Running != nil:
				hasRunning = true
			}
		}
		if reason == core.ContainerReasonCompleted && hasRunning {
			reason = "NotReady"
			if core.IsPodReady(p) {
				reason = string(core.PodRunning)
			}
		}
	}
	switch {
	case p.DeletionTimestamp != nil && p.Status.Reason == core.PodReasonNodeLost:
		return string(core.PodUnknown)
	case p.DeletionTimestamp != nil && !core.IsPodTerminal(p):
		return "Terminating"
	}
	return reason
}
