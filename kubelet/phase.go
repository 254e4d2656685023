package kubelet

import (
	"fmt"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// podPhase computes status.phase from the container statuses, as the stock kubelet's
// getPhase does (spec/pod-lifecycle.md §2). terminating says the pod's containers are being
// stopped for good (deletion, deadline): then stopped containers make it Succeeded or Failed
// whatever the restart policy.
func podPhase(spec *core.PodSpec, initStatuses, statuses []core.ContainerStatus, terminating bool) core.PodPhase {
	pendingInit, failedInit := 0, 0
	var unknown, running, waiting, stopped, succeeded int
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		s := core.GetContainerStatus(initStatuses, c.Name)
		if core.IsRestartableInitContainer(c) {
			switch {
			case s == nil:
				pendingInit++
				unknown++
			case s.State.Running != nil:
				if s.Started == nil || !*s.Started {
					pendingInit++
				}
				running++
			case s.State.Terminated != nil, s.State.Waiting != nil && s.LastTerminationState.Terminated != nil:
				// an exited sidecar is ignored
			case s.State.Waiting != nil:
				pendingInit++
				waiting++
			default:
				pendingInit++
				unknown++
			}
			continue
		}
		switch {
		case s == nil || s.State.Running != nil:
			pendingInit++
		case s.State.Terminated != nil:
			if s.State.Terminated.ExitCode != 0 {
				failedInit++
			}
		case s.State.Waiting != nil && s.LastTerminationState.Terminated != nil:
			if s.LastTerminationState.Terminated.ExitCode != 0 {
				failedInit++
			}
		default:
			pendingInit++
		}
	}
	for i := range spec.Containers {
		s := core.GetContainerStatus(statuses, spec.Containers[i].Name)
		switch {
		case s == nil:
			unknown++
		case s.State.Running != nil:
			running++
		case s.State.Terminated != nil:
			stopped++
			if s.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case s.State.Waiting != nil && s.LastTerminationState.Terminated != nil:
			stopped++
		case s.State.Waiting != nil:
			waiting++
		default:
			unknown++
		}
	}

	switch {
	case failedInit > 0 && spec.RestartPolicy == core.RestartPolicyNever:
		return core.PodFailed
	case pendingInit > 0 && !anyRegularStarted(spec, statuses), waiting > 0:
		return core.PodPending
	case running > 0 && unknown == 0:
		return core.PodRunning
	case running == 0 && stopped > 0 && unknown == 0:
		switch {
		case terminating && stopped == succeeded:
			return core.PodSucceeded
		case terminating:
			return core.PodFailed
		case spec.RestartPolicy == core.RestartPolicyAlways:
			return core.PodRunning // restarting
		case stopped == succeeded:
			return core.PodSucceeded
		case spec.RestartPolicy == core.RestartPolicyNever:
			return core.PodFailed
		}
		return core.PodRunning // OnFailure, restarting
	}
	return core.PodPending
}

// anyRegularStarted reports whether some regular container has run: it is running, has
// terminated, or waits after a termination.
func anyRegularStarted(spec *core.PodSpec, statuses []core.ContainerStatus) bool {
	for i := range spec.Containers {
		s := core.GetContainerStatus(statuses, spec.Containers[i].Name)
		if s != nil && (s.State.Running != nil || s.State.Terminated != nil || s.LastTerminationState.Terminated != nil) {
			return true
		}
	}
	return false
}

// setConditions sets the conditions the kubelet owns (spec/pod-lifecycle.md §3):
// PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled, as the
// stock kubelet's status generators do. Conditions of other owners are kept; a condition
// keeps its lastTransitionTime while its status does not change.
func setConditions(st *core.PodStatus, spec *core.PodSpec, generation int64, sandboxReady bool, now time.Time) {
	all := make([]core.ContainerStatus, 0, len(st.InitContainerStatuses)+len(st.ContainerStatuses))
	all = append(append(all, st.InitContainerStatuses...), st.ContainerStatuses...)
	set := func(t core.PodConditionType, ok bool, reason, message string) {
		c := core.PodCondition{Type: t, Status: core.ConditionFalse, Reason: reason, Message: message,
			ObservedGeneration: generation, LastTransitionTime: meta.NewTime(now)}
		if ok {
			c.Status = core.ConditionTrue
		}
		core.UpdatePodCondition(st, &c)
	}
	set(core.PodReadyToStartContainers, sandboxReady, "", "")
	ok, reason, msg := initializedCondition(spec, all, st.Phase)
	set(core.PodInitialized, ok, reason, msg)
	cok, creason, cmsg := containersReadyCondition(spec, all, st.Phase)
	rok, rreason, rmsg := cok, creason, cmsg
	if cok {
		rok, rreason, rmsg = readinessGates(spec, st.Conditions)
	}
	set(core.PodReady, rok, rreason, rmsg)
	set(core.ContainersReady, cok, creason, cmsg)
	if c := core.GetPodCondition(st, core.PodScheduled); c == nil || c.Status != core.ConditionTrue {
		set(core.PodScheduled, true, "", "")
	}
}

// initializedCondition: every regular init container completed and every sidecar started,
// or some regular container has run already.
func initializedCondition(spec *core.PodSpec, all []core.ContainerStatus, phase core.PodPhase) (bool, string, string) {
	var unknown, incomplete []string
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		s := core.GetContainerStatus(all, c.Name)
		switch {
		case s == nil:
			unknown = append(unknown, c.Name)
		case core.IsRestartableInitContainer(c):
			if s.Started == nil || !*s.Started {
				incomplete = append(incomplete, c.Name)
			}
		case !s.Ready:
			incomplete = append(incomplete, c.Name)
		}
	}
	if phase == core.PodSucceeded && len(unknown) == 0 {
		return true, core.PodReasonPodCompleted, ""
	}
	if anyRegularStarted(spec, all) {
		return true, "", ""
	}
	msg := joinNames("containers with unknown status", unknown, "containers with incomplete status", incomplete)
	if msg != "" {
		return false, core.PodReasonContainersNotInitialized, msg
	}
	return true, "", ""
}

// containersReadyCondition: every regular container and every sidecar is ready.
func containersReadyCondition(spec *core.PodSpec, all []core.ContainerStatus, phase core.PodPhase) (bool, string, string) {
	var unknown, unready []string
	check := func(name string) {
		switch s := core.GetContainerStatus(all, name); {
		case s == nil:
			unknown = append(unknown, name)
		case !s.Ready:
			unready = append(unready, name)
		}
	}
	for i := range spec.InitContainers {
		if core.IsRestartableInitContainer(&spec.InitContainers[i]) {
			check(spec.InitContainers[i].Name)
		}
	}
	for i := range spec.Containers {
		check(spec.Containers[i].Name)
	}
	switch {
	case phase == core.PodSucceeded && len(unknown) == 0:
		return false, core.PodReasonPodCompleted, ""
	case phase == core.PodFailed:
		return false, reasonPodFailed, ""
	}
	msg := joinNames("containers with unknown status", unknown, "containers with unready status", unready)
	if msg != "" {
		return false, core.PodReasonContainersNotReady, msg
	}
	return true, "", ""
}

// readinessGates: every spec.readinessGates condition is True.
func readinessGates(spec *core.PodSpec, conds []core.PodCondition) (bool, string, string) {
	var msgs []string
	for _, g := range spec.ReadinessGates {
		var c *core.PodCondition
		for i := range conds {
			if conds[i].Type == g.ConditionType {
				c = &conds[i]
			}
		}
		switch {
		case c == nil:
			msgs = append(msgs, fmt.Sprintf("corresponding condition of pod readiness gate %q does not exist.", g.ConditionType))
		case c.Status != core.ConditionTrue:
			msgs = append(msgs, fmt.Sprintf("the status of pod readiness gate %q is not \"True\", but %v", g.ConditionType, c.Status))
		}
	}
	if len(msgs) > 0 {
		return false, core.PodReasonReadinessGatesNotReady, strings.Join(msgs, ", ")
	}
	return true, "", ""
}

// joinNames renders the kubelet's condition messages: "<label>: [a b]" parts joined by ", ".
func joinNames(label1 string, names1 []string, label2 string, names2 []string) string {
	var parts []string
	if len(names1) > 0 {
		parts = append(parts, fmt.Sprintf("%s: %s", label1, names1))
	}
	if len(names2) > 0 {
		parts = append(parts, fmt.Sprintf("%s: %s", label2, names2))
	}
	return strings.Join(parts, ", ")
}
