package kubelet_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// stage is one moment of a scenario: the clock is set to epoch+at, then the pod must show
// status and satisfy every check.
type stage struct {
	at     time.Duration
	status string
	checks []check
}

// check is a named predicate on a pod.
type check struct {
	name string
	ok   func(*core.Pod) bool
}

func (c check) String() string { return c.name }

// runStages drives a scenario.
func runStages(t *testing.T, e *env, name string, stages []stage) {
	t.Helper()
	for _, s := range stages {
		e.at(s.at)
		p := e.waitPod(name, fmt.Sprintf("STATUS %s %v at %s", s.status, s.checks, s.at), func(p *core.Pod) bool {
			if podStatusString(p) != s.status {
				return false
			}
			for _, c := range s.checks {
				if !c.ok(p) {
					return false
				}
			}
			return true
		})
		_ = p
	}
}

// Checks on the first regular container (or the named init container) and the pod.

func phase(ph core.PodPhase) check {
	return check{"phase " + string(ph), func(p *core.Pod) bool { return p.Status.Phase == ph }}
}

func ready(want bool) check {
	return check{fmt.Sprint("ready ", want), func(p *core.Pod) bool {
		return core.IsPodReady(p) == want && len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].Ready == want
	}}
}

func restarts(n int32) check {
	return check{fmt.Sprint("restarts ", n), func(p *core.Pod) bool {
		return len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].RestartCount == n
	}}
}

func runningSince(d time.Duration) check {
	return check{"running since " + d.String(), func(p *core.Pod) bool {
		if len(p.Status.ContainerStatuses) == 0 {
			return false
		}
		r := p.Status.ContainerStatuses[0].State.Running
		return r != nil && r.StartedAt.Time.Equal(epoch.Add(d))
	}}
}

func terminated(code int32, at time.Duration) check {
	return check{fmt.Sprintf("terminated %d at %s", code, at), func(p *core.Pod) bool {
		if len(p.Status.ContainerStatuses) == 0 {
			return false
		}
		term := p.Status.ContainerStatuses[0].State.Terminated
		return term != nil && term.ExitCode == code && term.FinishedAt.Time.Equal(epoch.Add(at))
	}}
}

func lastExit(code int32, at time.Duration) check {
	return check{fmt.Sprintf("last exit %d at %s", code, at), func(p *core.Pod) bool {
		if len(p.Status.ContainerStatuses) == 0 {
			return false
		}
		term := p.Status.ContainerStatuses[0].LastTerminationState.Terminated
		return term != nil && term.ExitCode == code && term.FinishedAt.Time.Equal(epoch.Add(at))
	}}
}

func waitingMessage(substr string) check {
	return check{"waiting message ~ " + substr, func(p *core.Pod) bool {
		if len(p.Status.ContainerStatuses) == 0 {
			return false
		}
		w := p.Status.ContainerStatuses[0].State.Waiting
		return w != nil && strings.Contains(w.Message, substr)
	}}
}

func condition(t core.PodConditionType, status core.ConditionStatus, reason string) check {
	return check{fmt.Sprintf("%s=%s(%s)", t, status, reason), func(p *core.Pod) bool {
		c := core.GetPodCondition(&p.Status, t)
		return c != nil && c.Status == status && c.Reason == reason
	}}
}

func podReason(reason string) check {
	return check{"reason " + reason, func(p *core.Pod) bool { return p.Status.Reason == reason }}
}

// crashLoopStages is the restart schedule of a container that exits at once on every start
// (spec/pod-lifecycle.md §5): first start at 1s (the startup delay), immediate first restart,
// then waits of 10, 20, 40, 80, 160, 300, 300 s measured from each exit.
func crashLoopStages() []stage {
	stages := []stage{{at: time.Second, status: "CrashLoopBackOff", checks: []check{
		restarts(1), lastExit(1, time.Second), waitingMessage("back-off 10s restarting failed container=app pod=crash_default("), phase(core.PodRunning),
	}}}
	exit, delay := time.Second, 10*time.Second
	for n := int32(2); n <= 8; n++ {
		restart := exit + delay
		stages = append(stages,
			stage{at: restart - time.Second, status: "CrashLoopBackOff", checks: []check{restarts(n - 1)}},
			stage{at: restart, status: "CrashLoopBackOff", checks: []check{restarts(n), lastExit(1, restart)}},
		)
		exit, delay = restart, min(2*delay, 300*time.Second)
		stages[len(stages)-1].checks = append(stages[len(stages)-1].checks, waitingMessage(fmt.Sprintf("back-off %s ", delay)))
	}
	return stages
}

// TestPodLifecycle drives pods through every STATUS a user sees in get pods, with the fake
// clock, checking the times the kubelet reports.
func TestPodLifecycle(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		pod    *core.Pod
		stages []stage
	}{{
		name: "ContainerCreating then Running",
		pod:  newPod("web", core.RestartPolicyAlways),
		stages: []stage{
			{0, "ContainerCreating", []check{phase(core.PodPending), ready(false), condition(core.PodReady, core.ConditionFalse, core.PodReasonContainersNotReady)}},
			{s, "Running", []check{phase(core.PodRunning), ready(true), runningSince(s), condition(core.ContainersReady, core.ConditionTrue, "")}},
		},
	}, {
		name: "startup annotation",
		pod:  newPod("web", core.RestartPolicyAlways, sim.AnnotationStartup+"=5s"),
		stages: []stage{
			{4 * s, "ContainerCreating", nil},
			{5 * s, "Running", []check{runningSince(5 * s), ready(true)}},
		},
	}, {
		name: "ready-after annotation without a readiness probe",
		pod:  newPod("web", core.RestartPolicyAlways, sim.AnnotationReadyAfter+"=10s"),
		stages: []stage{
			{s, "Running", []check{ready(false), runningSince(s)}},
			{11 * s, "Running", []check{ready(true)}},
		},
	}, {
		name: "Completed",
		pod:  newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=3s"),
		stages: []stage{
			{s, "Running", nil},
			{4 * s, "Completed", []check{phase(core.PodSucceeded), terminated(0, 4*s), condition(core.PodReady, core.ConditionFalse, core.PodReasonPodCompleted),
				condition(core.PodInitialized, core.ConditionTrue, core.PodReasonPodCompleted)}},
		},
	}, {
		name: "batch pods exit after the default run time",
		pod:  newPod("job", core.RestartPolicyOnFailure),
		stages: []stage{
			{5 * s, "Running", nil},
			{6 * s, "Completed", []check{phase(core.PodSucceeded), terminated(0, 6*s)}},
		},
	}, {
		name: "Error",
		pod:  newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=2s", sim.AnnotationExitCode+"=3"),
		stages: []stage{
			{3 * s, "Error", []check{phase(core.PodFailed), terminated(3, 3*s), condition(core.ContainersReady, core.ConditionFalse, "PodFailed")}},
		},
	}, {
		name: "OnFailure restarts a failed container with back-off",
		pod:  newPod("job", core.RestartPolicyOnFailure, sim.AnnotationRunFor+"=2s", sim.AnnotationExitCode+"=1"),
		stages: []stage{
			{3 * s, "Running", []check{restarts(1), runningSince(3 * s), lastExit(1, 3*s)}},
			{5 * s, "CrashLoopBackOff", []check{restarts(1), lastExit(1, 5*s), phase(core.PodRunning)}},
			{15 * s, "Running", []check{restarts(2), runningSince(15 * s)}},
		},
	}, {
		name: "Always restarts a container that exits 0",
		pod:  newPod("web", core.RestartPolicyAlways, sim.AnnotationRunFor+"=2s"),
		stages: []stage{
			{3 * s, "Running", []check{restarts(1), lastExit(0, 3*s)}},
			{5 * s, "CrashLoopBackOff", []check{restarts(1), lastExit(0, 5*s), phase(core.PodRunning)}},
			{15 * s, "Running", []check{restarts(2), runningSince(15 * s)}},
		},
	}, {
		name:   "CrashLoopBackOff back-off doubles from 10s to 300s",
		pod:    newPod("crash", core.RestartPolicyAlways, sim.AnnotationCrash+"=true"),
		stages: crashLoopStages(),
	}, {
		name: "crash-loop back-off resets after 10 minutes without a restart",
		pod:  newPod("slow", core.RestartPolicyAlways, sim.AnnotationCrash+"=true", sim.AnnotationRunFor+"=11m"),
		stages: []stage{
			{11*time.Minute + s, "Running", []check{restarts(1), runningSince(11*time.Minute + s)}},
			{22*time.Minute + s, "Running", []check{restarts(2), runningSince(22*time.Minute + s)}},
			{33*time.Minute + s, "Running", []check{restarts(3), runningSince(33*time.Minute + s)}},
		},
	}, {
		name: "ErrImagePull and ImagePullBackOff",
		pod: func() *core.Pod {
			p := newPod("pull", core.RestartPolicyAlways)
			p.Spec.Containers[0].Image = "nginx:doesnotexist"
			return p
		}(),
		stages: []stage{
			{0, "ErrImagePull", []check{phase(core.PodPending), waitingMessage("not found")}},
			{5 * s, "ImagePullBackOff", []check{waitingMessage(`Back-off pulling image "nginx:doesnotexist"`)}},
			{10 * s, "ErrImagePull", nil},
			{20 * s, "ImagePullBackOff", nil},
			{30 * s, "ErrImagePull", nil},
			{50 * s, "ImagePullBackOff", nil},
			{70 * s, "ErrImagePull", nil},
		},
	}, {
		name: "invalid sim annotation",
		pod:  newPod("bad", core.RestartPolicyAlways, sim.AnnotationStartup+"=soon"),
		stages: []stage{
			{0, "CreateContainerConfigError", []check{waitingMessage(sim.AnnotationStartup)}},
		},
	}, {
		name: "activeDeadlineSeconds",
		pod: func() *core.Pod {
			p := newPod("deadline", core.RestartPolicyAlways)
			p.Spec.ActiveDeadlineSeconds = new(int64(30))
			return p
		}(),
		stages: []stage{
			{29 * s, "Running", nil},
			{30 * s, "Error", []check{phase(core.PodFailed), podReason(core.PodReasonDeadlineExceeded), terminated(143, 30*s)}},
		},
	}, {
		name: "activeDeadlineSeconds waits for containers to stop",
		pod: func() *core.Pod {
			p := newPod("deadline", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true")
			p.Spec.ActiveDeadlineSeconds = new(int64(30))
			p.Spec.TerminationGracePeriodSeconds = new(int64(10))
			return p
		}(),
		stages: []stage{
			{30 * s, "DeadlineExceeded", []check{phase(core.PodFailed), runningSince(s)}},
			{40 * s, "Error", []check{phase(core.PodFailed), podReason(core.PodReasonDeadlineExceeded), terminated(137, 40*s)}},
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
