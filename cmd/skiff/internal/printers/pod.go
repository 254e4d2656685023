package printers

import (
	"fmt"
	"strconv"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// PodSummary holds the cells kubectl's printPod computes for a pod.
type PodSummary struct {
	// Ready is "ready/total", total counting app containers and sidecars.
	Ready string
	// Status is the STATUS column (see PodStatus).
	Status string
	// Restarts is the RESTARTS column: the sum of restart counts, with "(5m ago)" after the
	// most recent restart when there was one.
	Restarts string
}

// PodStatus returns the STATUS kubectl prints for p: Running, Pending, ContainerCreating,
// CrashLoopBackOff, Completed, Error, Init:0/1, Init:CrashLoopBackOff, Terminating, ...
func PodStatus(p *core.Pod) string { return SummarizePod(p, time.Time{}).Status }

// SummarizePod computes the READY, STATUS and RESTARTS cells of p exactly as kubectl's
// printPod does (../shared/spec/pod-lifecycle.md §9):
//
//   - STATUS starts as the phase, replaced by status.reason when set, and by SchedulingGated
//     when the PodScheduled condition has that reason.
//   - Init containers are walked in order: completed ones (exit 0) and started sidecars are
//     skipped; the first other one decides, as Init:<terminated reason>, Init:Signal:N,
//     Init:ExitCode:N, Init:<waiting reason> (but not PodInitializing) or Init:<i>/<n>.
//   - If the pod is not initializing (or its Initialized condition is True), the app
//     containers are walked last to first, each waiting reason, terminated reason or
//     Signal:N/ExitCode:N overwriting the column, so that the first container's problem wins;
//     "Completed" with a container still running and ready becomes Running (pod Ready) or
//     NotReady.
//   - A pod being deleted is Unknown if its reason is NodeLost, else Terminating unless its
//     phase is already Succeeded or Failed.
//
// now only dates the last restart in Restarts.
func SummarizePod(p *core.Pod, now time.Time) PodSummary {
	restarts, sidecarRestarts := 0, 0
	total := len(p.Spec.Containers)
	ready := 0
	var lastRestart, lastSidecarRestart meta.Time

	reason := string(p.Status.Phase)
	if p.Status.Reason != "" {
		reason = p.Status.Reason
	}
	for _, c := range p.Status.Conditions {
		if c.Type == core.PodScheduled && c.Reason == core.PodReasonSchedulingGated {
			reason = core.PodReasonSchedulingGated
		}
	}

	inits := make(map[string]*core.Container, len(p.Spec.InitContainers))
	for i := range p.Spec.InitContainers {
		c := &p.Spec.InitContainers[i]
		inits[c.Name] = c
		if core.IsRestartableInitContainer(c) {
			total++
		}
	}
	isSidecar := func(name string) bool {
		c := inits[name]
		return c != nil && core.IsRestartableInitContainer(c)
	}

	initializing := false
	for i := range p.Status.InitContainerStatuses {
		cs := &p.Status.InitContainerStatuses[i]
		restarts += int(cs.RestartCount)
		later(&lastRestart, cs.LastTerminationState.Terminated)
		if isSidecar(cs.Name) {
			sidecarRestarts += int(cs.RestartCount)
			later(&lastSidecarRestart, cs.LastTerminationState.Terminated)
		}
		switch t, w := cs.State.Terminated, cs.State.Waiting; {
		case t != nil && t.ExitCode == 0:
			continue
		case isSidecar(cs.Name) && cs.Started != nil && *cs.Started:
			if cs.Ready {
				ready++
			}
			continue
		case t != nil:
			switch {
			case t.Reason != "":
				reason = "Init:" + t.Reason
			case t.Signal != 0:
				reason = fmt.Sprintf("Init:Signal:%d", t.Signal)
			default:
				reason = fmt.Sprintf("Init:ExitCode:%d", t.ExitCode)
			}
		case w != nil && w.Reason != "" && w.Reason != core.ContainerReasonPodInitializing:
			reason = "Init:" + w.Reason
		default:
			reason = fmt.Sprintf("Init:%d/%d", i, len(p.Spec.InitContainers))
		}
		initializing = true
		break
	}

	if !initializing || podInitialized(p) {
		restarts = sidecarRestarts
		lastRestart = lastSidecarRestart
		hasRunning := false
		for i := len(p.Status.ContainerStatuses) - 1; i >= 0; i-- {
			cs := &p.Status.ContainerStatuses[i]
			restarts += int(cs.RestartCount)
			later(&lastRestart, cs.LastTerminationState.Terminated)
			switch t, w := cs.State.Terminated, cs.State.Waiting; {
			case w != nil && w.Reason != "":
				reason = w.Reason
			case t != nil && t.Reason != "":
				reason = t.Reason
			case t != nil && t.Signal != 0:
				reason = fmt.Sprintf("Signal:%d", t.Signal)
			case t != nil:
				reason = fmt.Sprintf("ExitCode:%d", t.ExitCode)
			case cs.Ready && cs.State.Running != nil:
				hasRunning = true
				ready++
			}
		}
		if reason == core.ContainerReasonCompleted && hasRunning {
			if core.IsPodReady(p) {
				reason = string(core.PodRunning)
			} else {
				reason = "NotReady"
			}
		}
	}

	if p.DeletionTimestamp != nil && p.Status.Reason == core.PodReasonNodeLost {
		reason = string(core.PodUnknown)
	} else if p.DeletionTimestamp != nil && !core.IsPodTerminal(p) {
		reason = "Terminating"
	}

	rs := strconv.Itoa(restarts)
	if restarts != 0 && !lastRestart.IsZero() {
		rs = fmt.Sprintf("%d (%s ago)", restarts, Since(lastRestart, now))
	}
	return PodSummary{Ready: fmt.Sprintf("%d/%d", ready, total), Status: reason, Restarts: rs}
}

// later moves *last to t's finish time if t is a later termination.
func later(last *meta.Time, t *core.ContainerStateTerminated) {
	if t != nil && last.Before(&t.FinishedAt) {
		*last = t.FinishedAt
	}
}

// podInitialized reports whether p's Initialized condition is True.
func podInitialized(p *core.Pod) bool {
	c := core.GetPodCondition(&p.Status, core.PodInitialized)
	return c != nil && c.Status == core.ConditionTrue
}

// podTable is kubectl's pod table: NAME READY STATUS RESTARTS AGE, and with -o wide IP NODE
// NOMINATED NODE READINESS GATES.
var podTable = Table{
	Columns: []Column{{Name: "NAME"}, {Name: "READY"}, {Name: "STATUS"}, {Name: "RESTARTS"}, {Name: "AGE"},
		{Name: "IP", Wide: true}, {Name: "NODE", Wide: true}, {Name: "NOMINATED NODE", Wide: true},
		{Name: "READINESS GATES", Wide: true}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		p := obj.(*core.Pod)
		s := SummarizePod(p, now)
		ip := p.Status.PodIP
		if len(p.Status.PodIPs) > 0 {
			ip = p.Status.PodIPs[0].IP
		}
		gates := "<none>"
		if n := len(p.Spec.ReadinessGates); n > 0 {
			trueGates := 0
			for _, g := range p.Spec.ReadinessGates {
				if c := core.GetPodCondition(&p.Status, g.ConditionType); c != nil && c.Status == core.ConditionTrue {
					trueGates++
				}
			}
			gates = fmt.Sprintf("%d/%d", trueGates, n)
		}
		return []string{p.Name, s.Ready, s.Status, s.Restarts, Since(p.CreationTimestamp, now),
			orNone(ip), orNone(p.Spec.NodeName), orNone(p.Status.NominatedNodeName), gates}
	},
}

// orNone returns s, or "<none>" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}
