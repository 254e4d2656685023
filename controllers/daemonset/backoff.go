package daemonset

import (
	"sync"
	"time"
)

// Failed daemon pods are deleted with a per-node exponential back-off: a node whose pods keep
// failing (a kubelet that rejects them, say) would otherwise see a pod created and deleted in
// a hot loop (../shared/spec/daemonset.md §4).
const (
	failedPodBackoffInitial = time.Second
	failedPodBackoffMax     = 15 * time.Minute
)

// backoff is client-go's flowcontrol.Backoff, reduced to what the controller uses: a delay
// per key that starts at initial and doubles on every Next up to max, forgotten once 2×max
// have passed since its last Next. Times come from the caller (the controller's clock). It is
// safe for concurrent use.
type backoff struct {
	initial, max time.Duration

	// mu guards entries.
	mu      sync.Mutex
	entries map[string]backoffEntry
}

type backoffEntry struct {
	delay time.Duration
	last  time.Time // of the last Next
}

func newBackoff(initial, max time.Duration) *backoff {
	return &backoff{initial: initial, max: max, entries: map[string]backoffEntry{}}
}

// expired reports whether e is old enough to be forgotten at now.
func (b *backoff) expired(e backoffEntry, now time.Time) bool { return now.Sub(e.last) > 2*b.max }

// InBackoff reports whether key is waiting at now, and for how long its delay is.
func (b *backoff) InBackoff(key string, now time.Time) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.entries[key]
	if !ok || b.expired(e, now) {
		return false, 0
	}
	return now.Sub(e.last) < e.delay, e.delay
}

// Next records an attempt for key at now: its delay starts at initial, or doubles (up to max)
// if the key was already backing off. Expired entries of other keys are dropped on the way.
func (b *backoff) Next(key string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.entries[key]
	switch {
	case !ok || b.expired(e, now):
		e.delay = b.initial
	default:
		e.delay = min(2*e.delay, b.max)
	}
	e.last = now
	b.entries[key] = e
	if len(b.entries) > 64 {
		for k, old := range b.entries {
			if b.expired(old, now) {
				delete(b.entries, k)
			}
		}
	}
}
