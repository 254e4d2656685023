package sim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func pod(policy core.RestartPolicy, ann ...string) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "p", UID: "uid-1", Annotations: map[string]string{}},
		Spec: core.PodSpec{
			RestartPolicy: policy,
			Containers:    []core.Container{{Name: "app", Image: "nginx:1.27"}},
		},
	}
	for _, kv := range ann {
		k, v, _ := strings.Cut(kv, "=")
		p.Annotations[k] = v
	}
	return p
}

// state renders a container status at the clock's time: "none", "created",
// "running(+ready)", "exited(code,at)".
func state(rt *sim.Runtime, p *core.Pod, name string) string {
	s, ok := rt.ContainerStatus(p, name)
	switch {
	case !ok:
		return "none"
	case s.State == kubelet.ContainerCreated:
		return "created"
	case s.State == kubelet.ContainerRunning:
		return fmt.Sprintf("running@%s", s.StartedAt.Sub(epoch))
	}
	return fmt.Sprintf("exited(%d,%s)@%s", s.ExitCode, s.Reason, s.FinishedAt.Sub(epoch))
}

// TestTimeline starts the app container of a pod at 0 and checks its state at later times.
func TestTimeline(t *testing.T) {
	const s = time.Second
	type at struct {
		t    time.Duration
		want string
	}
	tests := []struct {
		name string
		pod  *core.Pod
		want []at
	}{
		{"service: default startup, runs forever", pod(core.RestartPolicyAlways),
			[]at{{0, "created"}, {999 * time.Millisecond, "created"}, {s, "running@1s"}, {time.Hour, "running@1s"}}},
		{"startup annotation", pod(core.RestartPolicyAlways, sim.AnnotationStartup+"=3s"),
			[]at{{2 * s, "created"}, {3 * s, "running@3s"}}},
		{"batch: exits 0 after the default run time", pod(core.RestartPolicyNever),
			[]at{{5 * s, "running@1s"}, {6 * s, "exited(0,Completed)@6s"}}},
		{"run-for and exit-code", pod(core.RestartPolicyAlways, sim.AnnotationRunFor+"=10s", sim.AnnotationExitCode+"=2"),
			[]at{{10 * s, "running@1s"}, {11 * s, "exited(2,Error)@11s"}}},
		{"crash: exits 1 at once", pod(core.RestartPolicyAlways, sim.AnnotationCrash+"=true"),
			[]at{{0, "created"}, {s, "exited(1,Error)@1s"}}},
		{"crash with run-for and exit-code", pod(core.RestartPolicyOnFailure, sim.AnnotationCrash+"=true", sim.AnnotationRunFor+"=2s", sim.AnnotationExitCode+"=7"),
			[]at{{2 * s, "running@1s"}, {3 * s, "exited(7,Error)@3s"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(epoch)
			rt := sim.New(sim.Options{Clock: clk})
			if err := rt.RunPodSandbox(tc.pod, "10.0.0.2"); err != nil {
				t.Fatal(err)
			}
			if err := rt.StartContainer(tc.pod, &tc.pod.Spec.Containers[0]); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				clk.SetTime(epoch.Add(w.t))
				if got := state(rt, tc.pod, "app"); got != w.want {
					t.Errorf("at %s: %s, want %s", w.t, got, w.want)
				}
			}
		})
	}
}

func TestNextChangeAndReadyAt(t *testing.T) {
	clk := clock.NewFake(epoch)
	rt := sim.New(sim.Options{Clock: clk, StartupDelay: 2 * time.Second})
	p := pod(core.RestartPolicyAlways, sim.AnnotationReadyAfter+"=5s", sim.AnnotationRunFor+"=1m")
	_ = rt.RunPodSandbox(p, "10.0.0.2")
	if err := rt.StartContainer(p, &p.Spec.Containers[0]); err != nil {
		t.Fatal(err)
	}
	s, _ := rt.ContainerStatus(p, "app")
	if s.NextChange.Sub(epoch) != 2*time.Second || s.ImageRef != "" {
		t.Errorf("created: next change %s, image ref %q", s.NextChange.Sub(epoch), s.ImageRef)
	}
	clk.SetTime(epoch.Add(2 * time.Second))
	s, _ = rt.ContainerStatus(p, "app")
	if s.ReadyAt.Sub(epoch) != 7*time.Second || s.NextChange.Sub(epoch) != 7*time.Second {
		t.Errorf("running: ready at %s, next change %s", s.ReadyAt.Sub(epoch), s.NextChange.Sub(epoch))
	}
	if !strings.HasPrefix(s.ImageRef, "nginx@sha256:") || !strings.HasPrefix(s.ID, "sim://") {
		t.Errorf("image ref %q, id %q", s.ImageRef, s.ID)
	}
	clk.SetTime(epoch.Add(8 * time.Second))
	if s, _ = rt.ContainerStatus(p, "app"); s.NextChange.Sub(epoch) != 62*time.Second {
		t.Errorf("ready: next change %s, want the exit at 62s", s.NextChange.Sub(epoch))
	}
}

func TestStopAndRestart(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name    string
		pod     *core.Pod
		stopAt  time.Duration
		timeout time.Duration
		want    string
	}{
		{"stop signal", pod(core.RestartPolicyAlways), 10 * s, 30 * s, "exited(143,Error)@10s"},
		{"ignores SIGTERM: killed at the timeout", pod(core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 10 * s, 30 * s, "exited(137,Error)@40s"},
		{"ignores SIGTERM but exits first", pod(core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true", sim.AnnotationRunFor+"=19s"), 10 * s, 30 * s, "exited(0,Completed)@20s"},
		{"timeout 0: SIGKILL", pod(core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 10 * s, 0, "exited(137,Error)@10s"},
		{"stopped while being created", pod(core.RestartPolicyAlways, sim.AnnotationStartup+"=1m"), 10 * s, 30 * s, "exited(137,Error)@10s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.NewFake(epoch)
			rt := sim.New(sim.Options{Clock: clk})
			_ = rt.RunPodSandbox(tc.pod, "10.0.0.2")
			if err := rt.StartContainer(tc.pod, &tc.pod.Spec.Containers[0]); err != nil {
				t.Fatal(err)
			}
			clk.SetTime(epoch.Add(tc.stopAt))
			if err := rt.StopContainer(tc.pod, "app", tc.timeout); err != nil {
				t.Fatal(err)
			}
			clk.SetTime(epoch.Add(time.Hour))
			if got := state(rt, tc.pod, "app"); got != tc.want {
				t.Errorf("%s, want %s", got, tc.want)
			}
		})
	}

	t.Run("a restart runs at once and counts an attempt", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		rt := sim.New(sim.Options{Clock: clk})
		p := pod(core.RestartPolicyAlways, sim.AnnotationCrash+"=true")
		_ = rt.RunPodSandbox(p, "10.0.0.2")
		c := &p.Spec.Containers[0]
		_ = rt.StartContainer(p, c)
		if err := rt.StartContainer(p, c); err == nil {
			t.Error("restarting a container that has not exited succeeded")
		}
		clk.Step(10 * time.Second)
		if err := rt.StartContainer(p, c); err != nil {
			t.Fatal(err)
		}
		st, _ := rt.ContainerStatus(p, "app")
		if st.Attempt != 1 || st.State != kubelet.ContainerExited || !st.StartedAt.Equal(epoch.Add(10*time.Second)) {
			t.Errorf("restart: %+v", st)
		}
		rt.RemovePod(p.UID)
		if _, ok := rt.ContainerStatus(p, "app"); ok || rt.Pods() != 0 {
			t.Error("RemovePod left the container")
		}
	})
}

func TestInitAndSidecars(t *testing.T) {
	clk := clock.NewFake(epoch)
	rt := sim.New(sim.Options{Clock: clk, StartupDelay: -1})
	always := core.ContainerRestartPolicyAlways
	p := pod(core.RestartPolicyNever, sim.AnnotationRunFor+"=1m", sim.AnnotationExitCode+"=3")
	p.Spec.InitContainers = []core.Container{{Name: "side", Image: "envoy", RestartPolicy: &always}, {Name: "init", Image: "busybox"}}
	_ = rt.RunPodSandbox(p, "10.0.0.2")
	for i := range p.Spec.InitContainers {
		if err := rt.StartContainer(p, &p.Spec.InitContainers[i]); err != nil {
			t.Fatal(err)
		}
	}
	_ = rt.StartContainer(p, &p.Spec.Containers[0])
	clk.SetTime(epoch.Add(time.Hour))
	for name, want := range map[string]string{"side": "running@0s", "init": "exited(0,Completed)@0s", "app": "exited(3,Error)@1m0s"} {
		if got := state(rt, p, name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

func TestProbe(t *testing.T) {
	clk := clock.NewFake(epoch)
	rt := sim.New(sim.Options{Clock: clk, StartupDelay: -1})
	p := pod(core.RestartPolicyAlways, sim.AnnotationReadyAfter+"=10s", sim.AnnotationUnhealthyAfter+"=30s")
	_ = rt.RunPodSandbox(p, "10.0.0.2")
	_ = rt.StartContainer(p, &p.Spec.Containers[0])
	tests := []struct {
		at                           time.Duration
		readiness, liveness, startup bool
	}{
		{0, false, true, true},
		{10 * time.Second, true, true, true},
		{30 * time.Second, false, false, false},
	}
	for _, tc := range tests {
		clk.SetTime(epoch.Add(tc.at))
		got := [3]bool{rt.Probe(p, "app", kubelet.ProbeReadiness, nil), rt.Probe(p, "app", kubelet.ProbeLiveness, nil), rt.Probe(p, "app", kubelet.ProbeStartup, nil)}
		if got != [3]bool{tc.readiness, tc.liveness, tc.startup} {
			t.Errorf("at %s: readiness, liveness, startup = %v", tc.at, got)
		}
	}
	if rt.Probe(p, "nope", kubelet.ProbeLiveness, nil) {
		t.Error("a probe of a missing container succeeded")
	}
	done, _ := rt.RunHook(p, "app", &core.LifecycleHandler{Sleep: &core.SleepAction{Seconds: 7}})
	if done.Sub(clk.Now()) != 7*time.Second {
		t.Errorf("sleep hook done after %s", done.Sub(clk.Now()))
	}
	done, _ = rt.RunHook(p, "app", &core.LifecycleHandler{Exec: &core.ExecAction{Command: []string{"true"}}})
	if !done.Equal(clk.Now()) {
		t.Errorf("exec hook done after %s", done.Sub(clk.Now()))
	}
}

func TestStartErrors(t *testing.T) {
	rt := sim.New(sim.Options{Clock: clock.NewFake(epoch)})
	p := pod(core.RestartPolicyAlways)
	if err := rt.StartContainer(p, &p.Spec.Containers[0]); err == nil {
		t.Error("a container started without a sandbox")
	}
	_ = rt.RunPodSandbox(p, "10.0.0.2")
	bad := core.Container{Name: "app", Image: "nginx:doesnotexist"}
	if err := rt.StartContainer(p, &bad); !errors.Is(err, kubelet.ErrImagePull) {
		t.Errorf("pull of a missing image: %v", err)
	}
	for _, kv := range []string{
		sim.AnnotationStartup + "=soon", sim.AnnotationReadyAfter + "=-1s", sim.AnnotationCrash + "=maybe",
		sim.AnnotationExitCode + "=256", sim.AnnotationIgnoreSIGTERM + "=2",
	} {
		p := pod(core.RestartPolicyAlways, kv)
		_ = rt.RunPodSandbox(p, "10.0.0.2")
		err := rt.StartContainer(p, &p.Spec.Containers[0])
		key, _, _ := strings.Cut(kv, "=")
		if !errors.Is(err, kubelet.ErrCreateContainerConfig) || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v", kv, err)
		}
		rt.RemovePod(p.UID)
	}
}
