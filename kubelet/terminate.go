package kubelet

import (
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// minStopTimeout is the least time a container gets between its stop signal and SIGKILL,
// whatever is left of the grace period (spec/pod-lifecycle.md §8: at least 2 s).
const minStopTimeout = 2 * time.Second

// killPod stops the pod's containers (spec/pod-lifecycle.md §8): the regular containers
// (and a running regular init container) first, then, once none of them runs, the
// sidecars. Each running container gets its preStop hook, then its stop signal with what
// is left of the grace period (at least 2 s) before SIGKILL. Exited containers are not
// restarted.
func (h *Host) killPod(pod *core.Pod, ps *podState, now time.Time, w *wake) {
	spec := &pod.Spec
	active := false
	for i := range spec.InitContainers {
		if c := &spec.InitContainers[i]; !core.IsRestartableInitContainer(c) && h.stopContainer(pod, c, &ps.init[i], ps.kill, now, w) {
			active = true
		}
	}
	for i := range spec.Containers {
		if h.stopContainer(pod, &spec.Containers[i], &ps.main[i], ps.kill, now, w) {
			active = true
		}
	}
	if active {
		return
	}
	for i := len(spec.InitContainers) - 1; i >= 0; i-- {
		if c := &spec.InitContainers[i]; core.IsRestartableInitContainer(c) {
			h.stopContainer(pod, c, &ps.init[i], ps.kill, now, w)
		}
	}
}

// stopContainer moves the stopping of one container forward and reports whether it is still
// active (created or running).
func (h *Host) stopContainer(pod *core.Pod, c *core.Container, cst *containerState, k *killState, now time.Time, w *wake) bool {
	rs, ok := h.rt.ContainerStatus(pod, c.Name)
	if !ok || rs.State == ContainerExited {
		return false
	}
	if rs.State == ContainerRunning && !cst.preStopRun && c.Lifecycle != nil && c.Lifecycle.PreStop != nil {
		done, err := h.rt.RunHook(pod, c.Name, c.Lifecycle.PreStop)
		if err != nil {
			h.log.Error(err, "preStop hook failed", "pod", meta.Key(pod), "container", c.Name)
			done = now
		}
		cst.preStopRun, cst.preStopDone = true, done
	}
	if cst.preStopRun && now.Before(cst.preStopDone) && now.Before(k.deadline) {
		// The hook's time comes out of the grace period.
		w.add(cst.preStopDone)
		w.add(k.deadline)
		return true
	}
	timeout := max(k.deadline.Sub(now), minStopTimeout)
	if by := now.Add(timeout); !cst.stopSent || by.Before(cst.stopBy) {
		if err := h.rt.StopContainer(pod, c.Name, timeout); err != nil {
			h.log.Error(err, "stopping a container", "pod", meta.Key(pod), "container", c.Name)
		}
		cst.stopSent, cst.stopBy = true, by
		if rs, ok = h.rt.ContainerStatus(pod, c.Name); !ok || rs.State == ContainerExited {
			return false
		}
	}
	w.add(rs.NextChange)
	w.add(cst.stopBy)
	return true
}
