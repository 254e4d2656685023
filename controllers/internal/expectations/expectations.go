package expectations

import (
	"sync"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
)

// DefaultTimeout is how long a record may stay unsatisfied before it is ignored: Kubernetes'
// ExpectationsTimeout.
const DefaultTimeout = 5 * time.Minute

// Expectations are the pending creations and deletions of every key of one controller. See
// the package documentation. The zero value is not usable; make one with New. It is safe for
// concurrent use: handlers observe while workers expect and check.
type Expectations[K comparable] struct {
	clock   clock.Clock
	timeout time.Duration

	// mu guards records and every record in it.
	mu      sync.Mutex
	records map[K]*record
}

// record is one key's expectations.
type record struct {
	adds     int                   // creations not yet observed; may go below 0
	deleting map[meta.UID]struct{} // pods whose deletion is not yet observed
	at       time.Time             // when the record was set, for the timeout
}

// New returns empty expectations timed on clk, with DefaultTimeout.
func New[K comparable](clk clock.Clock) *Expectations[K] {
	return NewWithTimeout[K](clk, DefaultTimeout)
}

// NewWithTimeout returns empty expectations timed on clk that are ignored once older than
// timeout. A timeout of zero or less means DefaultTimeout.
func NewWithTimeout[K comparable](clk clock.Clock, timeout time.Duration) *Expectations[K] {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Expectations[K]{clock: clk, timeout: timeout, records: map[K]*record{}}
}

// ExpectCreations records that key is about to create n objects, replacing its record (any
// deletions still pending are forgotten).
func (e *Expectations[K]) ExpectCreations(key K, n int) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records[key] = &record{adds: n, at: now}
}

// ExpectDeletions records that key is about to delete the pods with these UIDs, replacing its
// record.
func (e *Expectations[K]) ExpectDeletions(key K, uids []meta.UID) {
	now := e.clock.Now()
	set := make(map[meta.UID]struct{}, len(uids))
	for _, u := range uids {
		set[u] = struct{}{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records[key] = &record{deleting: set, at: now}
}

// CreationObserved lowers key's pending creations by one: a creation was seen in the cache (or
// failed, or was skipped). Without a record it does nothing.
func (e *Expectations[K]) CreationObserved(key K) {
	e.CreationsSkipped(key, 1)
}

// CreationsSkipped lowers key's pending creations by n: creations that will never be seen
// because they failed or were never attempted. Without a record it does nothing.
func (e *Expectations[K]) CreationsSkipped(key K, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.records[key]; r != nil {
		r.adds -= n
	}
}

// DeletionObserved records that the pod with this UID was seen terminating or deleted (or
// that its deletion failed). A pod counts once, however often it is observed; a pod key was
// not waiting for is ignored.
func (e *Expectations[K]) DeletionObserved(key K, uid meta.UID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.records[key]; r != nil {
		delete(r.deleting, uid)
	}
}

// Satisfied reports whether key may act on its cache: no record, nothing pending, or a
// record older than the timeout.
func (e *Expectations[K]) Satisfied(key K) bool {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.records[key]
	if r == nil {
		return true
	}
	if r.adds <= 0 && len(r.deleting) == 0 {
		return true
	}
	return now.Sub(r.at) > e.timeout
}

// Pending returns key's creations and deletions not yet observed (creations may be negative
// after over-observation) and whether key has a record.
func (e *Expectations[K]) Pending(key K) (adds, deletes int, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.records[key]
	if r == nil {
		return 0, 0, false
	}
	return r.adds, len(r.deleting), true
}

// Delete forgets key's record, for a controller object that was deleted.
func (e *Expectations[K]) Delete(key K) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.records, key)
}
