package kubelet

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// sandboxRetry is how long a pod whose sandbox could not be created (no free pod IP) waits
// before the next attempt.
const sandboxRetry = 10 * time.Second

// podState is the kubelet's memory of one pod, the part of the stock kubelet's pod workers,
// status manager, back-off and prober state that the runtime does not hold. It is owned by
// the worker syncing the pod's key (the queue never hands a key to two workers at once),
// except written, which event handlers read.
type podState struct {
	uid   meta.UID
	agent *nodeAgent

	ip         string // the sandbox's address; "" until it exists
	sandbox    bool   // RunPodSandbox succeeded
	sandboxErr string // why the sandbox could not be created
	startTime  time.Time

	init []containerState // by index in spec.initContainers
	main []containerState // by index in spec.containers

	kill             *killState // containers are being stopped; nil otherwise
	deadlineExceeded bool       // activeDeadlineSeconds passed
	done             bool       // terminal: the runtime's state is gone, nothing more runs
	deleted          bool       // the final Delete was accepted

	// written is the pod as returned by the last status write, kept until the informer's
	// copy is at least as new, so that a sync never works from a status older than its own.
	written atomic.Pointer[core.Pod]
}

// containerState is the kubelet's memory of one container of a pod.
type containerState struct {
	crash         backoff // restart back-off, measured from the exit
	startFail     backoff // back-off of failed starts (image pulls and the like)
	startFailedAt time.Time
	startReason   string // waiting reason of the last failed start; "" if it worked
	startMessage  string

	prevTerm *core.ContainerStateTerminated // the instance before the current one

	// Per instance, reset by every start.
	probes      [numProbeKinds]probeWorker
	stopSent    bool      // StopContainer was called
	stopBy      time.Time // when the runtime will have killed the instance at the latest
	preStopRun  bool      // the preStop hook was started
	preStopDone time.Time // when it finishes
}

// killState is a pod whose containers are being stopped: it is being deleted, its
// activeDeadlineSeconds passed, or its work is done and its sidecars must stop.
type killState struct {
	deadline time.Time // SIGKILL for whatever still runs
	grace    int64     // the grace period in effect, in seconds
}

// wake collects the earliest instant at which a pod (or node) must be synced again.
type wake struct {
	now, at time.Time
}

// add asks for a sync at t. Zero, and times not after now, are ignored: what is due now
// is handled by the sync that computes it, and a sync must never ask to run again at once.
func (w *wake) add(t time.Time) {
	if !t.After(w.now) {
		return
	}
	if w.at.IsZero() || t.Before(w.at) {
		w.at = t
	}
}

// rv parses a resourceVersion; malformed ones read as 0.
func rv(o meta.Object) uint64 {
	n, _ := strconv.ParseUint(o.GetObjectMeta().ResourceVersion, 10, 64)
	return n
}

// newest returns the newer of the cached pod and the last one this kubelet wrote.
func (ps *podState) newest(cached *core.Pod) *core.Pod {
	w := ps.written.Load()
	if w == nil {
		return cached
	}
	if rv(cached) >= rv(w) {
		ps.written.CompareAndSwap(w, nil)
		return cached
	}
	return w
}

// syncPod brings the pod named by key ("namespace/name") one step closer to what its spec
// and the clock say it should be, writes its status if that changed, and returns when it
// must be synced again (zero: only on a change of the pod). See the package documentation
// for the algorithm.
func (h *Host) syncPod(ctx context.Context, key string) (time.Time, error) {
	ns, name, _ := strings.Cut(key, "/")
	cached, err := h.podLister.Namespace(ns).Get(name)
	if err != nil && !store.IsNotFound(err) {
		return time.Time{}, err
	}
	var agent *nodeAgent
	if cached != nil {
		agent = h.agent(cached.Spec.NodeName)
	}
	ps := h.podState(key)
	if cached == nil || agent == nil {
		if ps != nil {
			h.forget(key, ps)
		}
		return time.Time{}, nil
	}
	if agent.silent.Load() {
		return time.Time{}, nil // partitioned: ResumeHeartbeats syncs the node's pods again
	}
	if ps != nil && (ps.uid != cached.UID || ps.agent != agent) {
		h.forget(key, ps)
		ps = nil
	}
	if ps == nil {
		ps = h.addPodState(key, cached, agent)
	}
	pod := ps.newest(cached)
	if ps.deleted {
		return time.Time{}, nil
	}
	if ps.done || (core.IsPodTerminal(pod) && ps.kill == nil) {
		// Terminal: containers never run again (the phase was set by this kubelet, or by
		// someone else, e.g. an eviction). A deletion now only needs confirming.
		h.teardown(ps)
		if pod.DeletionTimestamp != nil {
			return time.Time{}, h.deletePod(ctx, pod, ps)
		}
		return time.Time{}, nil
	}

	now := h.clock.Now()
	w := &wake{now: now}
	if ps.startTime.IsZero() {
		ps.startTime = meta.NewTime(now).Time // status.startTime's precision
		if st := pod.Status.StartTime; st != nil {
			ps.startTime = st.Time
		}
	}
	h.decideKill(pod, ps, now, w)
	if ps.kill != nil {
		h.killPod(pod, ps, now, w)
	} else {
		h.runPod(pod, ps, agent, now, w)
	}

	st, active := h.podStatus(pod, ps, agent, now, w)
	if !statusEqual(st, &pod.Status) {
		if err := h.writeStatus(ctx, pod, st, ps); err != nil {
			return w.at, err
		}
	}
	if isTerminal(st.Phase) && !active {
		h.teardown(ps)
		if pod.DeletionTimestamp != nil {
			return time.Time{}, h.deletePod(ctx, pod, ps)
		}
		return time.Time{}, nil
	}
	return w.at, nil
}

// decideKill starts stopping the pod's containers when it is being deleted or its
// activeDeadlineSeconds has passed, and shortens a kill in progress when a second deletion
// shortened the grace period.
func (h *Host) decideKill(pod *core.Pod, ps *podState, now time.Time, w *wake) {
	if pod.DeletionTimestamp != nil {
		grace := podGracePeriod(pod)
		if g := pod.DeletionGracePeriodSeconds; g != nil {
			grace = max(*g, 0)
		}
		ps.startKill(grace, now)
	}
	if ads := pod.Spec.ActiveDeadlineSeconds; ads != nil && !ps.deadlineExceeded {
		deadline := ps.startTime.Add(time.Duration(*ads) * time.Second)
		if now.Before(deadline) {
			w.add(deadline)
		} else {
			ps.deadlineExceeded = true
			ps.startKill(podGracePeriod(pod), now)
		}
	}
}

// podGracePeriod is spec.terminationGracePeriodSeconds, 30 if unset.
func podGracePeriod(pod *core.Pod) int64 {
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		return max(*g, 0)
	}
	return core.DefaultTerminationGracePeriodSeconds
}

// startKill begins a kill with a grace period of grace seconds from now, or shortens the
// one in progress if grace is shorter than its own.
func (ps *podState) startKill(grace int64, now time.Time) {
	deadline := now.Add(time.Duration(grace) * time.Second)
	switch {
	case ps.kill == nil:
		ps.kill = &killState{deadline: deadline, grace: grace}
	case grace < ps.kill.grace:
		ps.kill.grace = grace
		if deadline.Before(ps.kill.deadline) {
			ps.kill.deadline = deadline
		}
	}
}

// runPod is the pod sync of a pod that is not being stopped (spec/pod-lifecycle.md §5–§7):
// it creates the sandbox, runs the init containers one at a time (sidecars stay running),
// then every container, restarts exited ones as the restart policy and back-off allow, runs
// due probes, and starts a kill of the sidecars once the pod's work is over.
func (h *Host) runPod(pod *core.Pod, ps *podState, agent *nodeAgent, now time.Time, w *wake) {
	if !ps.sandbox && !h.createSandbox(pod, ps, agent, now, w) {
		return
	}
	spec := &pod.Spec
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		cst := &ps.init[i]
		if core.IsRestartableInitContainer(c) {
			rs, ok := h.step(pod, c, cst, restartSidecar, now, w)
			if !ok || !cst.started(c, rs) {
				return // the next init container waits until this sidecar has started
			}
			continue
		}
		rs, ok := h.rt.ContainerStatus(pod, c.Name)
		if ok && rs.State == ContainerExited && rs.ExitCode == 0 {
			continue
		}
		rs, ok = h.step(pod, c, cst, restartInit(spec.RestartPolicy), now, w)
		if ok && rs.State == ContainerExited && rs.ExitCode != 0 && spec.RestartPolicy == core.RestartPolicyNever {
			h.finishWork(pod, ps, now, w) // the pod failed: stop its sidecars
		}
		return
	}
	rule := restartMain(spec.RestartPolicy)
	done := true
	for i := range spec.Containers {
		c := &spec.Containers[i]
		rs, ok := h.step(pod, c, &ps.main[i], rule, now, w)
		if !ok || rs.State != ContainerExited || rule(rs.ExitCode) {
			done = false
		}
	}
	if done {
		h.finishWork(pod, ps, now, w)
	}
}

// finishWork stops the sidecars of a pod whose work is over (every container exited for
// good, or an init container failed under restartPolicy Never), so that it can become
// Succeeded or Failed.
func (h *Host) finishWork(pod *core.Pod, ps *podState, now time.Time, w *wake) {
	for i := range pod.Spec.InitContainers {
		if rs, ok := h.rt.ContainerStatus(pod, pod.Spec.InitContainers[i].Name); ok && rs.State != ContainerExited {
			ps.startKill(podGracePeriod(pod), now)
			h.killPod(pod, ps, now, w)
			return
		}
	}
}

// createSandbox gives the pod an address and a sandbox. It reports false, and schedules a
// retry, when it could not.
func (h *Host) createSandbox(pod *core.Pod, ps *podState, agent *nodeAgent, now time.Time, w *wake) bool {
	ip := agent.ip
	if !pod.Spec.HostNetwork {
		var err error
		if ip, err = agent.allocateIP(); err != nil {
			ps.sandboxErr = err.Error()
			w.add(now.Add(sandboxRetry))
			return false
		}
	}
	if err := h.rt.RunPodSandbox(pod, ip); err != nil {
		if !pod.Spec.HostNetwork {
			agent.releaseIP(ip)
		}
		ps.sandboxErr = err.Error()
		w.add(now.Add(sandboxRetry))
		return false
	}
	ps.ip, ps.sandbox, ps.sandboxErr = ip, true, ""
	return true
}

// restartRule says whether a container that exited with a code is started again.
type restartRule func(exitCode int32) bool

// restartSidecar: sidecars are restarted whatever their exit code.
func restartSidecar(int32) bool { return true }

// restartMain is the rule of the pod's regular containers.
func restartMain(p core.RestartPolicy) restartRule {
	switch p {
	case core.RestartPolicyNever:
		return func(int32) bool { return false }
	case core.RestartPolicyOnFailure:
		return func(code int32) bool { return code != 0 }
	}
	return restartSidecar
}

// restartInit is the rule of regular init containers: retried on failure unless the policy
// is Never (Always counts as OnFailure: a completed init container never runs again).
func restartInit(p core.RestartPolicy) restartRule {
	if p == core.RestartPolicyNever {
		return func(int32) bool { return false }
	}
	return func(code int32) bool { return code != 0 }
}

// step moves one container forward: start it if it never ran, probe it if it runs (a
// failed liveness or startup probe stops it), restart it if it exited and the rule and
// back-off allow. It returns the container's status after that, and false if it never
// started.
func (h *Host) step(pod *core.Pod, c *core.Container, cst *containerState, rule restartRule, now time.Time, w *wake) (ContainerStatus, bool) {
	rs, ok := h.rt.ContainerStatus(pod, c.Name)
	if !ok {
		if !h.start(pod, c, cst, now, w) {
			return rs, false
		}
		rs, ok = h.rt.ContainerStatus(pod, c.Name)
	}
	if ok && rs.State == ContainerRunning && h.probe(pod, c, cst, &rs, now, w) {
		rs, ok = h.rt.ContainerStatus(pod, c.Name)
	}
	if ok && rs.State == ContainerExited && rule(rs.ExitCode) {
		if wait, until := cst.crash.inBackOffSince(rs.FinishedAt, now); wait {
			w.add(until)
			return rs, ok
		}
		if !h.start(pod, c, cst, now, w) {
			return rs, ok
		}
		cst.crash.next(rs.FinishedAt, now)
		cst.prevTerm = terminatedState(&rs)
		rs, ok = h.rt.ContainerStatus(pod, c.Name)
		if ok && rs.State == ContainerRunning && h.probe(pod, c, cst, &rs, now, w) {
			rs, ok = h.rt.ContainerStatus(pod, c.Name)
		}
	}
	w.add(rs.NextChange)
	return rs, ok
}

// start starts a new instance of c unless an earlier start failed and is still backed off.
func (h *Host) start(pod *core.Pod, c *core.Container, cst *containerState, now time.Time, w *wake) bool {
	if cst.startReason != "" {
		if wait, until := cst.startFail.inBackOffSince(cst.startFailedAt, now); wait {
			w.add(until)
			w.add(cst.pullBackOffFrom())
			return false
		}
	}
	err := h.rt.StartContainer(pod, c)
	if err != nil {
		cst.startReason, cst.startMessage = startFailure(err)
		cst.startFailedAt = now
		d := cst.startFail.next(now, now)
		w.add(now.Add(d))
		w.add(cst.pullBackOffFrom())
		return false
	}
	cst.startReason, cst.startMessage = "", ""
	cst.probes = [numProbeKinds]probeWorker{}
	cst.stopSent, cst.stopBy = false, time.Time{}
	cst.preStopRun, cst.preStopDone = false, time.Time{}
	return true
}

// startFailure returns the waiting reason and message of a failed start.
func startFailure(err error) (reason, message string) {
	msg := err.Error()
	for _, s := range []struct {
		err    error
		reason string
	}{{ErrImagePull, core.ContainerReasonErrImagePull}, {ErrCreateContainerConfig, core.ContainerReasonCreateContainerConfigError}} {
		if errors.Is(err, s.err) {
			return s.reason, strings.TrimPrefix(msg, s.err.Error()+": ")
		}
	}
	return core.ContainerReasonRunContainerError, msg
}

// pullBackOffFrom returns when a failed image pull starts being shown as ImagePullBackOff
// rather than ErrImagePull: halfway through its back-off. Zero for other failures.
func (cst *containerState) pullBackOffFrom() time.Time {
	if cst.startReason != core.ContainerReasonErrImagePull {
		return time.Time{}
	}
	return cst.startFailedAt.Add(cst.startFail.delay / 2)
}

// started reports whether a running container has started: its startup probe, if any, has
// succeeded.
func (cst *containerState) started(c *core.Container, rs ContainerStatus) bool {
	return rs.State == ContainerRunning && (c.StartupProbe == nil || cst.probes[ProbeStartup].result == probeSuccess)
}

// probe runs the container's probes that are due (spec/pod-lifecycle.md §7): the startup
// probe until it succeeds, then liveness and readiness. A liveness or startup failure stops
// the container, which is then restarted as its restart rule says; probe reports whether it
// stopped it.
func (h *Host) probe(pod *core.Pod, c *core.Container, cst *containerState, rs *ContainerStatus, now time.Time, w *wake) bool {
	if cst.stopSent {
		return false
	}
	for kind := range numProbeKinds {
		p := probeOf(c, kind)
		if p == nil {
			continue
		}
		pw := &cst.probes[kind]
		if kind == ProbeStartup && pw.result == probeSuccess {
			continue
		}
		if kind != ProbeStartup && c.StartupProbe != nil && cst.probes[ProbeStartup].result != probeSuccess {
			continue
		}
		run, next := pw.due(kind, p, rs.StartedAt, now)
		if !run {
			w.add(next)
			continue
		}
		ok := h.rt.Probe(pod, c.Name, kind, p)
		if pw.record(kind, p, ok, now) {
			grace := podGracePeriod(pod)
			if p.TerminationGracePeriodSeconds != nil {
				grace = *p.TerminationGracePeriodSeconds
			}
			timeout := max(time.Duration(grace)*time.Second, minStopTimeout)
			if err := h.rt.StopContainer(pod, c.Name, timeout); err != nil {
				h.log.Error(err, "stopping a container that failed its probe", "pod", meta.Key(pod), "container", c.Name, "probe", kind.String())
			}
			cst.stopSent, cst.stopBy = true, now.Add(timeout)
			w.add(cst.stopBy)
			return true
		}
		w.add(pw.next)
	}
	return false
}

// probeOf returns c's probe of a kind, or nil.
func probeOf(c *core.Container, kind ProbeKind) *core.Probe {
	switch kind {
	case ProbeStartup:
		return c.StartupProbe
	case ProbeLiveness:
		return c.LivenessProbe
	}
	return c.ReadinessProbe
}

// writeStatus writes st as the pod's status, with the resourceVersion of pod (the newest
// known) as precondition. A Conflict means the cache is behind: the informer brings the
// newer pod, and the retry works from it.
func (h *Host) writeStatus(ctx context.Context, pod *core.Pod, st *core.PodStatus, ps *podState) error {
	obj := *pod
	obj.Status = *st
	out, err := h.pods.UpdateStatus(ctx, &obj)
	if err != nil {
		return err
	}
	ps.written.Store(out)
	return nil
}

// deletePod confirms the deletion of a pod whose containers are all stopped: a Delete with
// grace period 0 and the pod's uid as precondition, so that a pod re-created under the same
// name is left alone.
func (h *Host) deletePod(ctx context.Context, pod *core.Pod, ps *podState) error {
	_, err := h.pods.Delete(ctx, pod.Namespace, pod.Name, client.GracePeriod(0), client.PreconditionUID(pod.UID))
	if err != nil && !store.IsNotFound(err) && !store.IsConflict(err) {
		return err
	}
	ps.deleted = true
	return nil
}
