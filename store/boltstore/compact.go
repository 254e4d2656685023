package boltstore

import (
	"context"
	"sort"

	"github.com/skiff-dev/skiff/store"
)

// compactChunk bounds the revisions one compaction transaction covers, so that the writes
// sharing it are not delayed long.
const compactChunk = 4096

// compactLoop is the background compactor. It wakes every CompactInterval, and when the
// committer reports that the window outgrew CompactMaxRevisions, and compacts away the history
// that is older than CompactMaxAge or more than CompactMaxRevisions behind.
func (s *Store) compactLoop() {
	defer s.bgWG.Done()
	t := s.opts.Clock.NewTicker(s.opts.CompactInterval)
	defer t.Stop()
	for {
		select {
		case <-s.closing:
			return
		case <-t.C():
		case <-s.compactKick:
		}
		// Errors are store.ErrClosed (we are stopping) or a failed transaction, which the
		// next round retries.
		_ = s.compactTo(s.autoCompactTarget())
	}
}

// autoCompactTarget returns the revision the retention rules allow compacting through.
func (s *Store) autoCompactTarget() uint64 {
	cutoff := s.opts.Clock.Now().Add(-s.opts.CompactMaxAge).UnixNano()
	s.mu.RLock()
	defer s.mu.RUnlock()
	target := s.win.compacted
	if n := len(s.win.events); n > s.opts.CompactMaxRevisions {
		target = s.win.events[n-s.opts.CompactMaxRevisions-1].rev
	}
	// Commit times never decrease along the window (unless the clock is set back, which
	// only delays compaction).
	evs := s.win.events
	if i := sort.Search(len(evs), func(i int) bool { return evs[i].at > cutoff }); i > 0 {
		target = max(target, evs[i-1].rev)
	}
	return target
}

// Compact discards the history through revision rev; see store.Compactor.
func (s *Store) Compact(ctx context.Context, rev uint64) error {
	if err := ctx.Err(); err != nil {
		return contextError(err)
	}
	if cur := s.CurrentRevision(); rev > cur {
		return store.NewTooLargeResourceVersion(rev, cur)
	}
	return s.compactTo(rev)
}

// compactTo compacts through rev in steps of at most compactChunk revisions, each step in
// the committer's next transaction.
func (s *Store) compactTo(rev uint64) error {
	for {
		done := s.CompactedRevision()
		if done >= rev {
			return nil
		}
		r := getReq()
		r.compactTo = min(rev, done+compactChunk)
		err := s.submit(r)
		putReq(r)
		if err != nil {
			return err
		}
	}
}
