package kubelet

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/resource"
)

// Container status shorthands.
var (
	waiting    = core.ContainerStatus{State: core.ContainerState{Waiting: &core.ContainerStateWaiting{Reason: "ContainerCreating"}}}
	running    = core.ContainerStatus{State: core.ContainerState{Running: &core.ContainerStateRunning{}}, Started: new(true), Ready: true}
	notStarted = core.ContainerStatus{State: core.ContainerState{Running: &core.ContainerStateRunning{}}, Started: new(false)}
	succeeded  = core.ContainerStatus{State: core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 0}}, Ready: true}
	failed     = core.ContainerStatus{State: core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 1}}}
	backingOff = core.ContainerStatus{
		State:                core.ContainerState{Waiting: &core.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
		LastTerminationState: core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 1}},
	}
)

func named(name string, s core.ContainerStatus) core.ContainerStatus {
	s.Name = name
	return s
}

// specOf builds a pod spec: init containers named i1, i2 … (s1, s2 … for sidecars) and
// containers c1, c2 ….
func specOf(policy core.RestartPolicy, inits []string, containers int) *core.PodSpec {
	spec := &core.PodSpec{RestartPolicy: policy}
	always := core.ContainerRestartPolicyAlways
	for _, n := range inits {
		c := core.Container{Name: n}
		if n[0] == 's' {
			c.RestartPolicy = &always
		}
		spec.InitContainers = append(spec.InitContainers, c)
	}
	for i := range containers {
		spec.Containers = append(spec.Containers, core.Container{Name: "c" + string(rune('1'+i))})
	}
	return spec
}

func TestPodPhase(t *testing.T) {
	tests := []struct {
		name        string
		spec        *core.PodSpec
		init, main  []core.ContainerStatus
		terminating bool
		want        core.PodPhase
	}{
		{"no status yet", specOf(core.RestartPolicyAlways, nil, 1), nil, nil, false, core.PodPending},
		{"waiting", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", waiting)}, false, core.PodPending},
		{"running", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", running)}, false, core.PodRunning},
		{"one running, one waiting", specOf(core.RestartPolicyAlways, nil, 2), nil,
			[]core.ContainerStatus{named("c1", running), named("c2", waiting)}, false, core.PodPending},
		{"Always, all exited: restarting", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", succeeded)}, false, core.PodRunning},
		{"Always, crash-looping", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", backingOff)}, false, core.PodRunning},
		{"Never, all succeeded", specOf(core.RestartPolicyNever, nil, 2), nil,
			[]core.ContainerStatus{named("c1", succeeded), named("c2", succeeded)}, false, core.PodSucceeded},
		{"Never, one failed", specOf(core.RestartPolicyNever, nil, 2), nil,
			[]core.ContainerStatus{named("c1", succeeded), named("c2", failed)}, false, core.PodFailed},
		{"OnFailure, one failed: restarting", specOf(core.RestartPolicyOnFailure, nil, 1), nil, []core.ContainerStatus{named("c1", failed)}, false, core.PodRunning},
		{"OnFailure, succeeded", specOf(core.RestartPolicyOnFailure, nil, 1), nil, []core.ContainerStatus{named("c1", succeeded)}, false, core.PodSucceeded},
		{"terminating Always pod, succeeded", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", succeeded)}, true, core.PodSucceeded},
		{"terminating Always pod, failed", specOf(core.RestartPolicyAlways, nil, 1), nil, []core.ContainerStatus{named("c1", failed)}, true, core.PodFailed},
		{"init running", specOf(core.RestartPolicyAlways, []string{"i1"}, 1),
			[]core.ContainerStatus{named("i1", running)}, []core.ContainerStatus{named("c1", waiting)}, false, core.PodPending},
		{"init failed, Never", specOf(core.RestartPolicyNever, []string{"i1"}, 1),
			[]core.ContainerStatus{named("i1", failed)}, []core.ContainerStatus{named("c1", waiting)}, false, core.PodFailed},
		{"init crash-looping, Always", specOf(core.RestartPolicyAlways, []string{"i1"}, 1),
			[]core.ContainerStatus{named("i1", backingOff)}, []core.ContainerStatus{named("c1", waiting)}, false, core.PodPending},
		{"init done, app running", specOf(core.RestartPolicyAlways, []string{"i1"}, 1),
			[]core.ContainerStatus{named("i1", succeeded)}, []core.ContainerStatus{named("c1", running)}, false, core.PodRunning},
		{"sidecar not started", specOf(core.RestartPolicyAlways, []string{"s1"}, 1),
			[]core.ContainerStatus{named("s1", notStarted)}, []core.ContainerStatus{named("c1", waiting)}, false, core.PodPending},
		{"sidecar running, app done, Never", specOf(core.RestartPolicyNever, []string{"s1"}, 1),
			[]core.ContainerStatus{named("s1", running)}, []core.ContainerStatus{named("c1", succeeded)}, false, core.PodRunning},
		{"sidecar stopped, app done, Never", specOf(core.RestartPolicyNever, []string{"s1"}, 1),
			[]core.ContainerStatus{named("s1", failed)}, []core.ContainerStatus{named("c1", succeeded)}, true, core.PodSucceeded},
		{"sidecar restarting after the app ran", specOf(core.RestartPolicyAlways, []string{"s1"}, 1),
			[]core.ContainerStatus{named("s1", notStarted)}, []core.ContainerStatus{named("c1", running)}, false, core.PodRunning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := podPhase(tc.spec, tc.init, tc.main, tc.terminating); got != tc.want {
				t.Errorf("phase %s, want %s", got, tc.want)
			}
		})
	}
}

func TestConditions(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type want struct {
		status core.ConditionStatus
		reason string
		msg    string
	}
	tests := []struct {
		name       string
		spec       *core.PodSpec
		phase      core.PodPhase
		init, main []core.ContainerStatus
		gates      map[core.PodConditionType]core.ConditionStatus
		want       map[core.PodConditionType]want
	}{{
		name: "all ready", spec: specOf(core.RestartPolicyAlways, nil, 1), phase: core.PodRunning,
		main: []core.ContainerStatus{named("c1", running)},
		want: map[core.PodConditionType]want{
			core.PodInitialized: {core.ConditionTrue, "", ""}, core.ContainersReady: {core.ConditionTrue, "", ""},
			core.PodReady: {core.ConditionTrue, "", ""}, core.PodScheduled: {core.ConditionTrue, "", ""},
		},
	}, {
		name: "not ready", spec: specOf(core.RestartPolicyAlways, nil, 2), phase: core.PodPending,
		main: []core.ContainerStatus{named("c1", running), named("c2", waiting)},
		want: map[core.PodConditionType]want{
			core.ContainersReady: {core.ConditionFalse, "ContainersNotReady", "containers with unready status: [c2]"},
			core.PodReady:        {core.ConditionFalse, "ContainersNotReady", "containers with unready status: [c2]"},
		},
	}, {
		name: "initializing", spec: specOf(core.RestartPolicyAlways, []string{"i1", "i2"}, 1), phase: core.PodPending,
		init: []core.ContainerStatus{named("i1", succeeded), named("i2", notStarted)}, main: []core.ContainerStatus{named("c1", waiting)},
		want: map[core.PodConditionType]want{
			core.PodInitialized: {core.ConditionFalse, "ContainersNotInitialized", "containers with incomplete status: [i2]"},
		},
	}, {
		name: "succeeded", spec: specOf(core.RestartPolicyNever, nil, 1), phase: core.PodSucceeded,
		main: []core.ContainerStatus{named("c1", succeeded)},
		want: map[core.PodConditionType]want{
			core.PodInitialized: {core.ConditionTrue, "PodCompleted", ""}, core.ContainersReady: {core.ConditionFalse, "PodCompleted", ""},
			core.PodReady: {core.ConditionFalse, "PodCompleted", ""},
		},
	}, {
		name: "failed", spec: specOf(core.RestartPolicyNever, nil, 1), phase: core.PodFailed,
		main: []core.ContainerStatus{named("c1", failed)},
		want: map[core.PodConditionType]want{core.PodReady: {core.ConditionFalse, "PodFailed", ""}},
	}, {
		name: "readiness gate missing", spec: func() *core.PodSpec {
			s := specOf(core.RestartPolicyAlways, nil, 1)
			s.ReadinessGates = []core.PodReadinessGate{{ConditionType: "example.com/lb"}}
			return s
		}(), phase: core.PodRunning,
		main: []core.ContainerStatus{named("c1", running)},
		want: map[core.PodConditionType]want{
			core.ContainersReady: {core.ConditionTrue, "", ""},
			core.PodReady:        {core.ConditionFalse, "ReadinessGatesNotReady", `corresponding condition of pod readiness gate "example.com/lb" does not exist.`},
		},
	}, {
		name: "readiness gate true", spec: func() *core.PodSpec {
			s := specOf(core.RestartPolicyAlways, nil, 1)
			s.ReadinessGates = []core.PodReadinessGate{{ConditionType: "example.com/lb"}}
			return s
		}(), phase: core.PodRunning,
		main:  []core.ContainerStatus{named("c1", running)},
		gates: map[core.PodConditionType]core.ConditionStatus{"example.com/lb": core.ConditionTrue},
		want:  map[core.PodConditionType]want{core.PodReady: {core.ConditionTrue, "", ""}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &core.PodStatus{Phase: tc.phase, InitContainerStatuses: tc.init, ContainerStatuses: tc.main}
			for typ, s := range tc.gates {
				st.Conditions = append(st.Conditions, core.PodCondition{Type: typ, Status: s})
			}
			setConditions(st, tc.spec, 1, true, now)
			for typ, w := range tc.want {
				c := core.GetPodCondition(st, typ)
				if c == nil {
					t.Fatalf("no %s condition", typ)
				}
				if c.Status != w.status || c.Reason != w.reason || c.Message != w.msg {
					t.Errorf("%s = %s %q %q, want %s %q %q", typ, c.Status, c.Reason, c.Message, w.status, w.reason, w.msg)
				}
			}
		})
	}
}

func TestConditionTransitionTimes(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	spec := specOf(core.RestartPolicyAlways, nil, 1)
	st := &core.PodStatus{Phase: core.PodPending, ContainerStatuses: []core.ContainerStatus{named("c1", waiting)}}
	setConditions(st, spec, 1, true, t0)
	st.ContainerStatuses = []core.ContainerStatus{named("c1", running)}
	setConditions(st, spec, 1, true, t0.Add(time.Minute))
	if c := core.GetPodCondition(st, core.PodReady); !c.LastTransitionTime.Time.Equal(t0.Add(time.Minute)) {
		t.Errorf("Ready changed at %s", c.LastTransitionTime)
	}
	if c := core.GetPodCondition(st, core.PodInitialized); !c.LastTransitionTime.Time.Equal(t0) {
		t.Errorf("Initialized kept at %s, want %s", c.LastTransitionTime, t0)
	}
}

func TestQOSClass(t *testing.T) {
	rl := func(cpu, mem string) core.ResourceList {
		out := core.ResourceList{}
		if cpu != "" {
			out[core.ResourceCPU] = resource.MustParse(cpu)
		}
		if mem != "" {
			out[core.ResourceMemory] = resource.MustParse(mem)
		}
		return out
	}
	tests := []struct {
		name     string
		requests core.ResourceList
		limits   core.ResourceList
		want     core.PodQOSClass
	}{
		{"nothing", nil, nil, core.PodQOSBestEffort},
		{"requests only", rl("100m", ""), nil, core.PodQOSBurstable},
		{"limits equal requests", rl("1", "1Gi"), rl("1", "1Gi"), core.PodQOSGuaranteed},
		{"limits only (requests default to them)", nil, rl("1", "1Gi"), core.PodQOSGuaranteed},
		{"cpu limit only", nil, rl("1", ""), core.PodQOSBurstable},
		{"requests below limits", rl("500m", "1Gi"), rl("1", "1Gi"), core.PodQOSBurstable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := &core.PodSpec{Containers: []core.Container{{Name: "c", Resources: core.ResourceRequirements{Requests: tc.requests, Limits: tc.limits}}}}
			if got := qosClass(spec); got != tc.want {
				t.Errorf("%s, want %s", got, tc.want)
			}
		})
	}
}
