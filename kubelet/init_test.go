package kubelet_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// initState checks the state of the named init container: "waiting:<reason>",
// "running@<d>", or "terminated:<reason>(<code>)@<d>".
func initState(name, want string) check {
	return check{name + " " + want, func(p *core.Pod) bool {
		s := core.GetContainerStatus(p.Status.InitContainerStatuses, name)
		return s != nil && stateString(s.State) == want
	}}
}

// mainState checks the state of the named regular container, as initState.
func mainState(name, want string) check {
	return check{name + " " + want, func(p *core.Pod) bool {
		s := core.GetContainerStatus(p.Status.ContainerStatuses, name)
		return s != nil && stateString(s.State) == want
	}}
}

// withInit adds init containers to a pod; names starting with "side" are sidecars.
func withInit(p *core.Pod, names ...string) *core.Pod {
	for _, n := range names {
		c := core.Container{Name: n, Image: "busybox:1.36"}
		if len(n) >= 4 && n[:4] == "side" {
			always := core.ContainerRestartPolicyAlways
			c.RestartPolicy = &always
		}
		p.Spec.InitContainers = append(p.Spec.InitContainers, c)
	}
	return p
}

// TestInitContainers checks that init containers run one at a time, in order, each to
// completion before the next, that sidecars start before the containers after them and are
// stopped when the pod's work is done, and the Init: statuses along the way.
func TestInitContainers(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		pod    *core.Pod
		stages []stage
	}{{
		name: "in order, then the app",
		pod:  withInit(newPod("web", core.RestartPolicyAlways, sim.AnnotationStartup+"=2s"), "init-a", "init-b"),
		stages: []stage{
			{0, "Init:0/2", []check{phase(core.PodPending), initState("init-a", "waiting:PodInitializing"), initState("init-b", "waiting:PodInitializing"),
				mainState("app", "waiting:PodInitializing"), condition(core.PodInitialized, core.ConditionFalse, core.PodReasonContainersNotInitialized)}},
			{2 * s, "Init:1/2", []check{initState("init-a", "terminated:Completed(0)@2s"), initState("init-b", "waiting:PodInitializing")}},
			{4 * s, "PodInitializing", []check{initState("init-b", "terminated:Completed(0)@4s"), mainState("app", "waiting:PodInitializing"),
				condition(core.PodInitialized, core.ConditionTrue, "")}},
			{6 * s, "Running", []check{mainState("app", "running@6s"), ready(true)}},
		},
	}, {
		name: "a failing init container fails a Never pod",
		pod:  withInit(newPod("job", core.RestartPolicyNever, sim.AnnotationCrash+"=true"), "init-a"),
		stages: []stage{
			{s, "Init:Error", []check{phase(core.PodFailed), initState("init-a", "terminated:Error(1)@1s"), mainState("app", "waiting:PodInitializing")}},
		},
	}, {
		name: "a failing init container is retried with back-off",
		pod:  withInit(newPod("web", core.RestartPolicyAlways, sim.AnnotationCrash+"=true"), "init-a"),
		stages: []stage{
			{s, "Init:CrashLoopBackOff", []check{phase(core.PodPending), mainState("app", "waiting:PodInitializing")}},
			{11 * s, "Init:CrashLoopBackOff", []check{initRestarts("init-a", 2)}},
		},
	}, {
		name: "sidecars start first and stop when the work is done",
		pod: withInit(newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=5s"),
			"sidecar", "init-a"),
		stages: []stage{
			{0, "Init:0/2", []check{initState("sidecar", "waiting:PodInitializing")}},
			{s, "Init:1/2", []check{initState("sidecar", "running@1s"), initState("init-a", "waiting:PodInitializing"), sidecarReady(true)}},
			{2 * s, "PodInitializing", []check{initState("init-a", "terminated:Completed(0)@2s"), mainState("app", "waiting:PodInitializing")}},
			{3 * s, "Running", []check{mainState("app", "running@3s"), ready(true), initState("sidecar", "running@1s")}},
			{8 * s, "Completed", []check{phase(core.PodSucceeded), mainState("app", "terminated:Completed(0)@8s"),
				initState("sidecar", "terminated:Error(143)@8s")}},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			e.create(tc.pod)
			e.waitSeen(tc.pod.Name)
			runStages(t, e, tc.pod.Name, tc.stages)
		})
	}
}

func initRestarts(name string, n int32) check {
	return check{fmt.Sprintf("%s restarts %d", name, n), func(p *core.Pod) bool {
		s := core.GetContainerStatus(p.Status.InitContainerStatuses, name)
		return s != nil && s.RestartCount == n
	}}
}

func sidecarReady(want bool) check {
	return check{fmt.Sprint("sidecar ready ", want), func(p *core.Pod) bool {
		s := core.GetContainerStatus(p.Status.InitContainerStatuses, "sidecar")
		return s != nil && s.Ready == want && s.Started != nil && *s.Started == want
	}}
}
