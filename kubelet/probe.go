package kubelet

import (
	"time"

	"github.com/skiff-dev/skiff/api/core"
)

// probeResult is the current verdict of a probe once its thresholds are applied.
type probeResult uint8

const (
	probeUnknown probeResult = iota // no verdict yet
	probeSuccess
	probeFailure
)

// probeWorker is the state of one probe of one container instance: the kubelet's prober
// worker, without a goroutine. Probes run at startedAt + initialDelaySeconds + k ×
// periodSeconds; a run that is late (the pod was synced after the due time) runs once and
// skips the missed periods, as a ticker drops ticks. The zero value is a probe that has not
// run for the current instance. It is owned by the pod's worker.
type probeWorker struct {
	next    time.Time   // when the probe is next due; zero before it is scheduled
	last    bool        // the last raw result
	run     int32       // consecutive raw results equal to last
	result  probeResult // the verdict
	onHold  bool        // a liveness or startup failure was acted on: stop probing this instance
	started bool        // next has been set for the current instance
}

// initialResult is a probe's verdict before it has reached a threshold, as in the kubelet:
// readiness starts failed (not ready), liveness succeeded, startup unknown (not started).
func initialResult(kind ProbeKind) probeResult {
	switch kind {
	case ProbeReadiness:
		return probeFailure
	case ProbeLiveness:
		return probeSuccess
	}
	return probeUnknown
}

// due reports whether the probe must run at now, scheduling its first run from startedAt
// if needed; next is when it is due (now or later).
func (w *probeWorker) due(kind ProbeKind, p *core.Probe, startedAt, now time.Time) (run bool, next time.Time) {
	if !w.started {
		w.started = true
		w.result = initialResult(kind)
		w.next = startedAt.Add(time.Duration(p.InitialDelaySeconds) * time.Second)
	}
	if w.onHold {
		return false, time.Time{}
	}
	return !now.Before(w.next), w.next
}

// record applies a raw result obtained at now, advances next past now, and reports whether
// the verdict became a failure that calls for the container to be killed (liveness and
// startup probes; the worker is then put on hold until a new instance).
func (w *probeWorker) record(kind ProbeKind, p *core.Probe, ok bool, now time.Time) (kill bool) {
	period := time.Duration(max(p.PeriodSeconds, 1)) * time.Second
	for !w.next.After(now) {
		w.next = w.next.Add(period)
	}
	if ok == w.last && w.run > 0 {
		w.run++
	} else {
		w.last, w.run = ok, 1
	}
	threshold := max(p.FailureThreshold, 1)
	if ok {
		threshold = max(p.SuccessThreshold, 1)
	}
	if w.run < threshold {
		return false
	}
	if ok {
		w.result = probeSuccess
		return false
	}
	w.result = probeFailure
	if kind == ProbeLiveness || kind == ProbeStartup {
		w.onHold, w.run = true, 0
		return true
	}
	return false
}
