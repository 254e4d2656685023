package kubelet_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

func started(want bool) check {
	return check{fmt.Sprint("started ", want), func(p *core.Pod) bool {
		if len(p.Status.ContainerStatuses) == 0 {
			return false
		}
		s := p.Status.ContainerStatuses[0].Started
		return s != nil && *s == want
	}}
}

func readySince(d time.Duration) check {
	return check{"Ready since " + d.String(), func(p *core.Pod) bool {
		c := core.GetPodCondition(&p.Status, core.PodReady)
		return c != nil && c.Status == core.ConditionTrue && c.LastTransitionTime.Time.Equal(epoch.Add(d))
	}}
}

// withProbes sets the app container's probes.
func withProbes(p *core.Pod, startup, liveness, readiness *core.Probe) *core.Pod {
	c := &p.Spec.Containers[0]
	c.StartupProbe, c.LivenessProbe, c.ReadinessProbe = startup, liveness, readiness
	return p
}

// probe returns an exec probe with the given timing; zero fields get the API defaults.
func probe(initialDelay, period, success, failure int32) *core.Probe {
	p := &core.Probe{
		ProbeHandler:        core.ProbeHandler{Exec: &core.ExecAction{Command: []string{"true"}}},
		InitialDelaySeconds: initialDelay, PeriodSeconds: period, SuccessThreshold: success, FailureThreshold: failure,
	}
	core.DefaultProbe(p)
	return p
}

// TestProbes checks readiness, liveness and startup probes with their delays, periods and
// thresholds (spec/pod-lifecycle.md §7). The container runs from 1s (the startup delay).
func TestProbes(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		pod    *core.Pod
		stages []stage
	}{{
		name: "readiness needs successThreshold successes, failureThreshold failures",
		pod: withProbes(newPod("web", core.RestartPolicyAlways, sim.AnnotationReadyAfter+"=12s", sim.AnnotationUnhealthyAfter+"=40s"),
			nil, nil, probe(0, 5, 2, 3)),
		// probes at 1, 6, 11, 16, 21 … (ran 0, 5, 10, 15, 20 …): fail until ran 12, then ok.
		stages: []stage{
			{16 * s, "Running", []check{ready(false), started(true)}},
			{21 * s, "Running", []check{ready(true), readySince(21 * s)}},
			// unhealthy from ran 40: failures at 41, 46, 51.
			{46 * s, "Running", []check{ready(true)}},
			{51 * s, "Running", []check{ready(false), restarts(0)}},
		},
	}, {
		name: "liveness failure restarts the container",
		pod: withProbes(newPod("web", core.RestartPolicyAlways, sim.AnnotationUnhealthyAfter+"=20s"),
			nil, probe(0, 10, 1, 3), nil),
		// failures at ran 20, 30, 40: killed at 41 (exit 143), restarted at once; the new
		// instance fails at 81 and waits 10s of back-off.
		stages: []stage{
			{40 * s, "Running", []check{restarts(0)}},
			{41 * s, "Running", []check{restarts(1), runningSince(41 * s), lastExit(143, 41*s)}},
			{81 * s, "CrashLoopBackOff", []check{restarts(1), lastExit(143, 81*s)}},
			{91 * s, "Running", []check{restarts(2), runningSince(91 * s)}},
		},
	}, {
		name: "liveness kill honours the probe's terminationGracePeriodSeconds",
		pod: func() *core.Pod {
			p := withProbes(newPod("web", core.RestartPolicyAlways, sim.AnnotationUnhealthyAfter+"=20s", sim.AnnotationIgnoreSIGTERM+"=true"),
				nil, probe(0, 10, 1, 3), nil)
			p.Spec.Containers[0].LivenessProbe.TerminationGracePeriodSeconds = new(int64(5))
			return p
		}(),
		stages: []stage{
			{45 * s, "Running", []check{restarts(0)}},
			{46 * s, "Running", []check{restarts(1), lastExit(137, 46*s)}},
		},
	}, {
		name: "the startup probe gates readiness",
		pod: withProbes(newPod("web", core.RestartPolicyAlways),
			probe(10, 10, 1, 3), nil, probe(0, 1, 1, 3)),
		stages: []stage{
			{10 * s, "Running", []check{ready(false), started(false)}},
			{11 * s, "Running", []check{ready(true), started(true), readySince(11 * s)}},
		},
	}, {
		name: "startup probe failure restarts the container",
		pod: withProbes(newPod("web", core.RestartPolicyAlways, sim.AnnotationUnhealthyAfter+"=0s"),
			probe(0, 10, 1, 3), probe(0, 1, 1, 1), nil),
		// startup failures at 1, 11, 21; liveness never runs before the startup probe passes.
		stages: []stage{
			{20 * s, "Running", []check{restarts(0), started(false)}},
			{21 * s, "Running", []check{restarts(1), runningSince(21 * s), lastExit(143, 21*s)}},
		},
	}, {
		name: "a Never pod whose liveness probe fails ends Error",
		pod: withProbes(newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=1h", sim.AnnotationUnhealthyAfter+"=0s"),
			nil, probe(0, 10, 1, 1), nil),
		stages: []stage{
			{s, "Error", []check{phase(core.PodFailed), terminated(143, s)}},
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
