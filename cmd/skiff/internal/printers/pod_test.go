package printers

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

var now = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// Container states.
func running() core.ContainerState {
	return core.ContainerState{Running: &core.ContainerStateRunning{StartedAt: meta.NewTime(now.Add(-time.Hour))}}
}
func waiting(reason string) core.ContainerState {
	return core.ContainerState{Waiting: &core.ContainerStateWaiting{Reason: reason}}
}
func terminated(code int32, reason string) core.ContainerState {
	return core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: code, Reason: reason,
		FinishedAt: meta.NewTime(now.Add(-5 * time.Minute))}}
}
func signaled(sig int32) core.ContainerState {
	return core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 128 + sig, Signal: sig}}
}

// pod builds a pod with the named app containers and their statuses.
func pod(phase core.PodPhase, names []string, statuses ...core.ContainerStatus) *core.Pod {
	p := &core.Pod{ObjectMeta: meta.ObjectMeta{Name: "p", Namespace: "default", CreationTimestamp: meta.NewTime(now.Add(-time.Hour))}}
	for _, n := range names {
		p.Spec.Containers = append(p.Spec.Containers, core.Container{Name: n, Image: "img"})
	}
	p.Status.Phase = phase
	p.Status.ContainerStatuses = statuses
	return p
}

func cs(name string, ready bool, restarts int32, st core.ContainerState) core.ContainerStatus {
	return core.ContainerStatus{Name: name, Ready: ready, RestartCount: restarts, State: st}
}

func withInit(p *core.Pod, names []string, statuses ...core.ContainerStatus) *core.Pod {
	for _, n := range names {
		p.Spec.InitContainers = append(p.Spec.InitContainers, core.Container{Name: n, Image: "img"})
	}
	p.Status.InitContainerStatuses = statuses
	return p
}

func withCondition(p *core.Pod, t core.PodConditionType, s core.ConditionStatus, reason string) *core.Pod {
	p.Status.Conditions = append(p.Status.Conditions, core.PodCondition{Type: t, Status: s, Reason: reason})
	return p
}

func deleting(p *core.Pod) *core.Pod {
	ts := meta.NewTime(now)
	p.DeletionTimestamp = &ts
	return p
}

func TestSummarizePod(t *testing.T) {
	always := core.ContainerRestartPolicyAlways
	sidecar := func(p *core.Pod) *core.Pod {
		p.Spec.InitContainers[0].RestartPolicy = &always
		return p
	}
	started := true
	startedStatus := func(s core.ContainerStatus) core.ContainerStatus {
		s.Started = &started
		return s
	}
	lastTerminated := func(s core.ContainerStatus, ago time.Duration) core.ContainerStatus {
		s.LastTerminationState = core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 1,
			FinishedAt: meta.NewTime(now.Add(-ago))}}
		return s
	}
	tests := []struct {
		name                    string
		pod                     *core.Pod
		ready, status, restarts string
	}{
		{"pending without statuses", pod(core.PodPending, []string{"a"}), "0/1", "Pending", "0"},
		{"running and ready", pod(core.PodRunning, []string{"a"}, cs("a", true, 0, running())), "1/1", "Running", "0"},
		{"running, not ready", pod(core.PodRunning, []string{"a"}, cs("a", false, 0, running())), "0/1", "Running", "0"},
		{"container creating", pod(core.PodPending, []string{"a"}, cs("a", false, 0, waiting("ContainerCreating"))),
			"0/1", "ContainerCreating", "0"},
		{"crash loop with last restart", pod(core.PodRunning, []string{"a"},
			lastTerminated(cs("a", false, 4, waiting("CrashLoopBackOff")), 3*time.Minute)),
			"0/1", "CrashLoopBackOff", "4 (3m ago)"},
		{"image pull back-off", pod(core.PodPending, []string{"a"}, cs("a", false, 0, waiting("ImagePullBackOff"))),
			"0/1", "ImagePullBackOff", "0"},
		{"err image pull", pod(core.PodPending, []string{"a"}, cs("a", false, 0, waiting("ErrImagePull"))),
			"0/1", "ErrImagePull", "0"},
		{"completed", pod(core.PodSucceeded, []string{"a"}, cs("a", false, 0, terminated(0, "Completed"))),
			"0/1", "Completed", "0"},
		{"error", pod(core.PodFailed, []string{"a"}, cs("a", false, 0, terminated(1, "Error"))), "0/1", "Error", "0"},
		{"oom killed", pod(core.PodRunning, []string{"a"}, cs("a", false, 1, terminated(137, "OOMKilled"))),
			"0/1", "OOMKilled", "1"},
		{"exit code without reason", pod(core.PodFailed, []string{"a"}, cs("a", false, 0, terminated(2, ""))),
			"0/1", "ExitCode:2", "0"},
		{"signal without reason", pod(core.PodFailed, []string{"a"}, cs("a", false, 0, signaled(9))),
			"0/1", "Signal:9", "0"},
		{"first container's problem wins", pod(core.PodRunning, []string{"a", "b"},
			cs("a", false, 0, waiting("CrashLoopBackOff")), cs("b", false, 0, waiting("ImagePullBackOff"))),
			"0/2", "CrashLoopBackOff", "0"},
		{"completed with a running ready container, pod ready", withCondition(pod(core.PodRunning, []string{"a", "b"},
			cs("a", false, 0, terminated(0, "Completed")), cs("b", true, 0, running())), core.PodReady, core.ConditionTrue, ""),
			"1/2", "Running", "0"},
		{"completed with a running ready container, pod not ready", pod(core.PodRunning, []string{"a", "b"},
			cs("a", false, 0, terminated(0, "Completed")), cs("b", true, 0, running())),
			"1/2", "NotReady", "0"},
		{"restarts summed", pod(core.PodRunning, []string{"a", "b"}, cs("a", true, 2, running()), cs("b", true, 3, running())),
			"2/2", "Running", "5"},
		{"init 0/1 without status", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			core.ContainerStatus{Name: "i", State: waiting("")}), "0/1", "Init:0/1", "0"},
		{"init waiting PodInitializing", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			cs("i", false, 0, waiting("PodInitializing"))), "0/1", "Init:0/1", "0"},
		{"init running", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			cs("i", false, 0, running())), "0/1", "Init:0/1", "0"},
		{"second init running", withInit(pod(core.PodPending, []string{"a"}), []string{"i", "j"},
			cs("i", false, 0, terminated(0, "Completed")), cs("j", false, 0, running())), "0/1", "Init:1/2", "0"},
		{"init error", withInit(pod(core.PodFailed, []string{"a"}), []string{"i"},
			cs("i", false, 0, terminated(1, "Error"))), "0/1", "Init:Error", "0"},
		{"init exit code", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			cs("i", false, 0, terminated(3, ""))), "0/1", "Init:ExitCode:3", "0"},
		{"init signal", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			cs("i", false, 0, signaled(15))), "0/1", "Init:Signal:15", "0"},
		{"init crash loop", withInit(pod(core.PodPending, []string{"a"}), []string{"i"},
			lastTerminated(cs("i", false, 3, waiting("CrashLoopBackOff")), 90*time.Second)),
			"0/1", "Init:CrashLoopBackOff", "3 (90s ago)"},
		{"init done, app creating", withInit(pod(core.PodPending, []string{"a"}, cs("a", false, 0, waiting("ContainerCreating"))),
			[]string{"i"}, cs("i", false, 0, terminated(0, "Completed"))), "0/1", "ContainerCreating", "0"},
		{"started sidecar counts as ready container", sidecar(withInit(pod(core.PodRunning, []string{"a"}, cs("a", true, 0, running())),
			[]string{"s"}, startedStatus(cs("s", true, 1, running())))), "2/2", "Running", "1"},
		{"sidecar not started keeps initializing", sidecar(withInit(pod(core.PodPending, []string{"a"}),
			[]string{"s"}, cs("s", false, 0, running()))), "0/2", "Init:0/1", "0"},
		{"terminating", deleting(pod(core.PodRunning, []string{"a"}, cs("a", true, 0, running()))), "1/1", "Terminating", "0"},
		{"deleted terminal pod keeps its status", deleting(pod(core.PodSucceeded, []string{"a"}, cs("a", false, 0, terminated(0, "Completed")))),
			"0/1", "Completed", "0"},
		{"node lost", func() *core.Pod {
			p := deleting(pod(core.PodRunning, []string{"a"}, cs("a", true, 0, running())))
			p.Status.Reason = core.PodReasonNodeLost
			return p
		}(), "1/1", "Unknown", "0"},
		{"evicted", func() *core.Pod {
			p := pod(core.PodFailed, []string{"a"})
			p.Status.Reason = core.PodReasonEvicted
			return p
		}(), "0/1", "Evicted", "0"},
		{"scheduling gated", withCondition(pod(core.PodPending, []string{"a"}), core.PodScheduled, core.ConditionFalse, "SchedulingGated"),
			"0/1", "SchedulingGated", "0"},
		{"unschedulable stays pending", withCondition(pod(core.PodPending, []string{"a"}), core.PodScheduled, core.ConditionFalse, "Unschedulable"),
			"0/1", "Pending", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SummarizePod(tc.pod, now)
			want := PodSummary{Ready: tc.ready, Status: tc.status, Restarts: tc.restarts}
			if got != want {
				t.Errorf("SummarizePod = %+v, want %+v", got, want)
			}
			if s := PodStatus(tc.pod); s != tc.status {
				t.Errorf("PodStatus = %q, want %q", s, tc.status)
			}
		})
	}
}
