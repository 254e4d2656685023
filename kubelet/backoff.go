package kubelet

import "time"

// Back-off of container restarts and image pulls (../shared/spec/pod-lifecycle.md §5): the
// stock kubelet's 10 s initial delay, doubled on each restart up to 300 s, forgotten after
// 2 × 300 s without a restart.
const (
	initialBackOff = 10 * time.Second
	maxBackOff     = 300 * time.Second
)

// backoff is one entry of the kubelet's per-container back-off, with the semantics of
// client-go's flowcontrol.Backoff used by the kuberuntime manager: next records a restart
// (the first one starts at initialBackOff, each later one doubles the delay up to
// maxBackOff), and inBackOffSince says whether a container that exited at eventTime must
// still wait. The zero value has no entry. The entry is owned by the pod's worker.
type backoff struct {
	delay      time.Duration // 0: no entry
	lastUpdate time.Time     // when next was last called
}

// expired reports whether the entry is too old to count: nothing was recorded for
// 2 × maxBackOff before eventTime.
func (b *backoff) expired(eventTime time.Time) bool {
	return eventTime.Sub(b.lastUpdate) > 2*maxBackOff
}

// inBackOffSince reports whether, at now, a restart for an event at eventTime (the exit of
// the container) must still wait; until is when the wait ends.
func (b *backoff) inBackOffSince(eventTime, now time.Time) (wait bool, until time.Time) {
	if b.delay == 0 || b.expired(eventTime) {
		return false, time.Time{}
	}
	until = eventTime.Add(b.delay)
	return now.Before(until), until
}

// next records a restart at now for an event at eventTime and returns the delay that the
// next restart will have to wait.
func (b *backoff) next(eventTime, now time.Time) time.Duration {
	if b.delay == 0 || b.expired(eventTime) {
		b.delay = initialBackOff
	} else {
		b.delay = min(2*b.delay, maxBackOff)
	}
	b.lastUpdate = now
	return b.delay
}
