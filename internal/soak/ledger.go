package soak

import (
	"fmt"
	"slices"
	"sync"
)

// LedgerKey names an object the soak writes.
type LedgerKey struct {
	Kind, Namespace, Name string
}

func (k LedgerKey) String() string { return k.Kind + " " + k.Namespace + "/" + k.Name }

// Stored is what the store holds for a LedgerKey: whether the object exists, the
// fingerprint of the fields the soak owns (see Ledger), and its revision.
type Stored struct {
	Present  bool
	Value    string
	Revision uint64
}

// Ledger records the writes the soak made and the store acknowledged, so that the store can
// be checked after a reopen: every acknowledged write must still be there. A write is
// summed up by a fingerprint of the fields only the soak writes (a Deployment's replicas
// and template revision, a ConfigMap's counter); controllers may change the rest.
//
// A write that failed may still have happened (the plane was killed while it was in
// flight): it is recorded as possible, and the store may then show it instead of the last
// acknowledged one. A Ledger is safe for concurrent use.
type Ledger struct {
	// mu guards entries and maxRev.
	mu      sync.Mutex
	entries map[LedgerKey]*ledgerEntry
	maxRev  uint64
	acked   int
}

type ledgerEntry struct {
	acked    Stored   // the last acknowledged write
	possible []Stored // writes that failed after it: they may have happened
}

// NewLedger returns an empty Ledger.
func NewLedger() *Ledger { return &Ledger{entries: map[LedgerKey]*ledgerEntry{}} }

// Acked records an acknowledged write: after it the object exists (present) with value, at
// revision rev (for a delete, the revision of the delete).
func (l *Ledger) Acked(k LedgerKey, present bool, value string, rev uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[k] = &ledgerEntry{acked: Stored{Present: present, Value: value, Revision: rev}}
	l.maxRev = max(l.maxRev, rev)
	l.acked++
}

// Failed records a write that returned an error: it may or may not have happened.
func (l *Ledger) Failed(k LedgerKey, present bool, value string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[k]
	if e == nil {
		e = &ledgerEntry{acked: Stored{Present: false}} // a create that may have happened
		l.entries[k] = e
	}
	e.possible = append(e.possible, Stored{Present: present, Value: value})
}

// Forget drops a key whose object the soak no longer owns (a Job the TTL controller may
// delete).
func (l *Ledger) Forget(k LedgerKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, k)
}

// Len returns the number of keys and of acknowledged writes recorded.
func (l *Ledger) Len() (keys, acked int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries), l.acked
}

// MaxRevision returns the greatest revision acknowledged.
func (l *Ledger) MaxRevision() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.maxRev
}

// Keys returns the recorded keys, sorted.
func (l *Ledger) Keys() []LedgerKey {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]LedgerKey, 0, len(l.entries))
	for k := range l.entries {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b LedgerKey) int {
		if c := cmpString(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := cmpString(a.Namespace, b.Namespace); c != 0 {
			return c
		}
		return cmpString(a.Name, b.Name)
	})
	return keys
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Check compares what the store holds for k with the ledger, and returns why it is not
// what an acknowledged write left (nil when it is). A present object must be at least at the
// acknowledged revision, with the acknowledged value or a possible later one.
func (l *Ledger) Check(k LedgerKey, got Stored) error {
	l.mu.Lock()
	e := l.entries[k]
	var acked Stored
	var possible []Stored
	if e != nil {
		acked, possible = e.acked, slices.Clone(e.possible)
	}
	l.mu.Unlock()
	if e == nil {
		return nil
	}
	matches := func(s Stored) bool { return s.Present == got.Present && (!got.Present || s.Value == got.Value) }
	if matches(acked) {
		if got.Present && acked.Present && got.Revision < acked.Revision {
			return fmt.Errorf("%s is at revision %d, before the acknowledged write at %d", k, got.Revision, acked.Revision)
		}
		return nil
	}
	if slices.ContainsFunc(possible, matches) && (!got.Present || got.Revision >= acked.Revision) {
		return nil
	}
	describe := func(s Stored) string {
		if !s.Present {
			return "absent"
		}
		return fmt.Sprintf("%q", s.Value)
	}
	return fmt.Errorf("%s is %s (revision %d); the last acknowledged write (revision %d) left it %s",
		k, describe(got), got.Revision, acked.Revision, describe(acked))
}
