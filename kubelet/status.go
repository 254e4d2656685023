package kubelet

import (
	"fmt"
	"reflect"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// Pod-level reasons and messages the kubelet writes.
const (
	deadlineMessage       = "Pod was active on the node longer than the specified deadline"
	reasonPodFailed       = "PodFailed"
	reasonStatusUnknown   = "ContainerStatusUnknown"
	messageStatusUnknown  = "The container could not be located when the pod was terminated"
	exitCodeStatusUnknown = 137
)

// podStatus computes the pod's status from the runtime and the kubelet's memory, on a copy
// of the pod's current status so that the fields and conditions others own are kept. It
// also reports whether any container is still created or running.
func (h *Host) podStatus(pod *core.Pod, ps *podState, agent *nodeAgent, now time.Time, w *wake) (*core.PodStatus, bool) {
	st := pod.Status.DeepCopy()
	st.ObservedGeneration = pod.Generation
	st.HostIP, st.HostIPs = agent.ip, []core.HostIP{{IP: agent.ip}}
	if ps.ip != "" {
		st.PodIP, st.PodIPs = ps.ip, []core.PodIP{{IP: ps.ip}}
	}
	st.StartTime = meta.NewTimePtr(ps.startTime)
	st.QOSClass = qosClass(&pod.Spec)

	defaultReason := core.ContainerReasonContainerCreating
	if len(pod.Spec.InitContainers) > 0 {
		defaultReason = core.ContainerReasonPodInitializing
	}
	b := statusBuilder{h: h, pod: pod, ps: ps, now: now, w: w, defaultReason: defaultReason}
	st.InitContainerStatuses = b.containers(pod.Spec.InitContainers, ps.init, true)
	st.ContainerStatuses = b.containers(pod.Spec.Containers, ps.main, false)

	phase := podPhase(&pod.Spec, st.InitContainerStatuses, st.ContainerStatuses, ps.kill != nil)
	if isTerminal(phase) && b.active {
		// Terminal only once every container has stopped.
		phase = pod.Status.Phase
		if phase == "" || isTerminal(phase) {
			phase = core.PodPending
		}
	}
	if ps.deadlineExceeded {
		// As the stock kubelet's active-deadline handler: Failed at once, while the
		// containers are being stopped.
		phase = core.PodFailed
		st.Reason, st.Message = core.PodReasonDeadlineExceeded, deadlineMessage
	}
	st.Phase = phase
	setConditions(st, &pod.Spec, pod.Generation, ps.sandbox && !isTerminal(phase), now)
	return st, b.active
}

func isTerminal(p core.PodPhase) bool { return p == core.PodSucceeded || p == core.PodFailed }

// statusBuilder computes container statuses.
type statusBuilder struct {
	h             *Host
	pod           *core.Pod
	ps            *podState
	now           time.Time
	w             *wake
	defaultReason string // the waiting reason of containers not created yet
	active        bool   // some container is created or running
}

func (b *statusBuilder) containers(cs []core.Container, states []containerState, init bool) []core.ContainerStatus {
	if len(cs) == 0 {
		return nil
	}
	out := make([]core.ContainerStatus, len(cs))
	for i := range cs {
		out[i] = b.container(&cs[i], &states[i], init)
	}
	return out
}

// container computes one container's status (spec/pod-lifecycle.md §4).
func (b *statusBuilder) container(c *core.Container, cst *containerState, init bool) core.ContainerStatus {
	s := core.ContainerStatus{Name: c.Name, Image: c.Image, Started: new(bool)}
	killing := b.ps.kill != nil
	rs, ok := b.h.rt.ContainerStatus(b.pod, c.Name)
	if !ok {
		switch {
		case killing:
			s.State.Terminated = &core.ContainerStateTerminated{
				ExitCode: exitCodeStatusUnknown, Reason: reasonStatusUnknown, Message: messageStatusUnknown,
			}
		case cst.startReason != "":
			s.State.Waiting = cst.startWaiting(c, b.now)
		default:
			s.State.Waiting = &core.ContainerStateWaiting{Reason: b.defaultReason}
		}
		return s
	}
	s.ContainerID, s.ImageID, s.RestartCount = rs.ID, rs.ImageRef, rs.Attempt
	if cst.prevTerm != nil {
		t := *cst.prevTerm
		s.LastTerminationState.Terminated = &t
	}
	switch rs.State {
	case ContainerCreated:
		b.active = true
		s.State.Waiting = &core.ContainerStateWaiting{Reason: b.defaultReason}
	case ContainerRunning:
		b.active = true
		s.State.Running = &core.ContainerStateRunning{StartedAt: meta.NewTime(rs.StartedAt)}
		*s.Started = cst.started(c, rs)
		sidecar := core.IsRestartableInitContainer(c)
		s.Ready = *s.Started && (!init || sidecar) && b.ready(c, cst, &rs)
	case ContainerExited:
		term := terminatedState(&rs)
		if killing || !b.restarts(c, init, rs.ExitCode) {
			s.State.Terminated = term
			s.Ready = init && !core.IsRestartableInitContainer(c) && rs.ExitCode == 0
			break
		}
		s.LastTerminationState.Terminated = term
		s.State.Waiting = b.restartWaiting(c, cst, &rs)
	}
	return s
}

// restarts reports whether an exited container will be started again.
func (b *statusBuilder) restarts(c *core.Container, init bool, code int32) bool {
	switch {
	case !init:
		return restartMain(b.pod.Spec.RestartPolicy)(code)
	case core.IsRestartableInitContainer(c):
		return true
	}
	return restartInit(b.pod.Spec.RestartPolicy)(code)
}

// restartWaiting is the waiting state of an exited container about to be restarted.
func (b *statusBuilder) restartWaiting(c *core.Container, cst *containerState, rs *ContainerStatus) *core.ContainerStateWaiting {
	if cst.startReason != "" {
		return cst.startWaiting(c, b.now)
	}
	if wait, until := cst.crash.inBackOffSince(rs.FinishedAt, b.now); wait {
		b.w.add(until)
		return &core.ContainerStateWaiting{
			Reason: core.ContainerReasonCrashLoopBackOff,
			Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s_%s(%s)",
				cst.crash.delay, c.Name, b.pod.Name, b.pod.Namespace, b.pod.UID),
		}
	}
	return &core.ContainerStateWaiting{Reason: b.defaultReason}
}

// startWaiting is the waiting state of a container whose last start failed.
func (cst *containerState) startWaiting(c *core.Container, now time.Time) *core.ContainerStateWaiting {
	if cst.startReason == core.ContainerReasonErrImagePull && !now.Before(cst.pullBackOffFrom()) {
		return &core.ContainerStateWaiting{
			Reason:  core.ContainerReasonImagePullBackOff,
			Message: fmt.Sprintf("Back-off pulling image %q: %s", c.Image, cst.startMessage),
		}
	}
	return &core.ContainerStateWaiting{Reason: cst.startReason, Message: cst.startMessage}
}

// ready says whether a running, started container is ready: its readiness probe has
// succeeded, or it has none and the runtime's ReadyAt has passed.
func (b *statusBuilder) ready(c *core.Container, cst *containerState, rs *ContainerStatus) bool {
	if c.ReadinessProbe != nil {
		return cst.probes[ProbeReadiness].result == probeSuccess
	}
	if !rs.ReadyAt.IsZero() && b.now.Before(rs.ReadyAt) {
		b.w.add(rs.ReadyAt)
		return false
	}
	return true
}

// terminatedState converts an exited container's runtime status.
func terminatedState(rs *ContainerStatus) *core.ContainerStateTerminated {
	t := &core.ContainerStateTerminated{
		ExitCode:    rs.ExitCode,
		Reason:      rs.Reason,
		Message:     rs.Message,
		FinishedAt:  meta.NewTime(rs.FinishedAt),
		ContainerID: rs.ID,
	}
	if !rs.StartedAt.IsZero() {
		t.StartedAt = meta.NewTime(rs.StartedAt)
	}
	if t.Reason == "" {
		t.Reason = core.ContainerReasonCompleted
		if rs.ExitCode != 0 {
			t.Reason = core.ContainerReasonError
		}
	}
	return t
}

// statusEqual reports whether writing a would change nothing.
func statusEqual(a, b *core.PodStatus) bool { return reflect.DeepEqual(a, b) }

// qosClass is the pod's quality-of-service class: BestEffort without any cpu or memory
// request or limit, Guaranteed when every container limits both and requests equal limits,
// Burstable otherwise.
func qosClass(spec *core.PodSpec) core.PodQOSClass {
	none, guaranteed := true, true
	check := func(cs []core.Container) {
		for i := range cs {
			r := &cs[i].Resources
			for _, name := range []core.ResourceName{core.ResourceCPU, core.ResourceMemory} {
				req, hasReq := r.Requests[name]
				lim, hasLim := r.Limits[name]
				if (hasReq && !req.IsZero()) || (hasLim && !lim.IsZero()) {
					none = false
				}
				if !hasLim || lim.IsZero() || (hasReq && req.Cmp(lim) != 0) {
					guaranteed = false
				}
			}
		}
	}
	check(spec.InitContainers)
	check(spec.Containers)
	switch {
	case none:
		return core.PodQOSBestEffort
	case guaranteed:
		return core.PodQOSGuaranteed
	}
	return core.PodQOSBurstable
}
