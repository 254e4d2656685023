package boltstore

import (
	"encoding/binary"
	"errors"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// writeReq is one write (or one compaction step) handed to the committer. The writer fills
// the request fields, the committer the result fields, and done hands the request back.
type writeReq struct {
	// Request, for a write.
	info    *scheme.KindInfo
	key     objKey
	op      byte          // opPut or opDelete
	obj     meta.Object   // put: the new state; delete: the final state. Owned by the store.
	data    []byte        // the record
	buf     *recordBuffer // holds data when it came from encodePut; released by putReq
	prevRev uint64        // the revision the write was prepared against; 0: must not exist

	// Request, for a compaction step: compact through this revision (0: not a compaction).
	compactTo uint64

	// Result.
	rev  uint64 // the write's revision; 0 when it was not written
	err  error  // errStale, or an internal error
	done chan struct{}
}

// errStale says the object changed (or appeared) after the write was prepared; the writer
// decides between Conflict, AlreadyExists and preparing the write again. errStaleAbsent says
// it was deleted: the writer reports NotFound. Both describe the state at the write's place in
// the batch, which is where the refused write takes effect (as a read).
var (
	errStale       = errors.New("boltstore: stale write")
	errStaleAbsent = errors.New("boltstore: stale write: object deleted")
)

// maxFillWait bounds how long the committer waits for preparing writers to join a batch, and
// maxFillGap how long it waits for the next one while the batch holds fewer than half the
// active writers (see fill).
const (
	maxFillWait = 2 * time.Millisecond
	maxFillGap  = 250 * time.Microsecond
)

var reqPool = sync.Pool{New: func() any { return &writeReq{done: make(chan struct{}, 1)} }}

func getReq() *writeReq { return reqPool.Get().(*writeReq) }

func putReq(r *writeReq) {
	putBuffer(r.buf)
	done := r.done
	*r = writeReq{done: done}
	reqPool.Put(r)
}

// submit hands r to the committer and waits until it is durable (or refused). The wait is
// not cancellable: a write that was handed over completes, and its outcome is reported.
func (s *Store) submit(r *writeReq) error {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return store.ErrClosed
	}
	s.reqs <- r
	s.closeMu.RUnlock()
	<-r.done
	return r.err
}

// pendingKey and pendingState track, within one batch, the writes already accepted, so that
// a later write in the same batch is checked against them.
type pendingKey struct {
	ki  *kindIndex
	key objKey
}

type pendingState struct {
	obj meta.Object // nil: deleted
	rev uint64
}

// commitLoop is the committer: it takes every request waiting in s.reqs (at most
// MaxBatchSize), writes them in one bbolt transaction with one sync, applies them to the
// in-memory state and only then answers the writers. It returns when s.reqs is closed and
// drained.
func (s *Store) commitLoop() {
	defer s.committerWG.Done()
	batch := make([]*writeReq, 0, s.opts.MaxBatchSize)
	pending := map[pendingKey]pendingState{}
	var timer *time.Timer
	for {
		r, ok := <-s.reqs
		if !ok {
			return
		}
		batch = append(batch[:0], r)
	fill:
		for len(batch) < cap(batch) {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.fill(&batch, &timer)
		s.commitBatch(batch, pending)
		clear(batch)
		clear(pending)
	}
}

// fill waits a little for writers that are still preparing their requests, so that they
// share this batch's transaction and sync. It waits in two stages, in real time (unrelated to
// the store's logical clock) and never longer than maxFillWait in all:
//
//  1. Until half the active writers are in the batch, as long as each next request comes
//     within maxFillGap. Every write then carries a small share of the transaction's fixed
//     CPU cost, while the other half prepare during this commit, so that the CPUs and the disk
//     work at once. Waiting for all of them instead would serialize preparing and committing:
//     the disk idles while they prepare and the CPUs while they commit.
//  2. Then, for at most the last commit's duration, as long as the next request arrives
//     sooner than the batch's own pace (the time waited so far plus a commit, divided by its
//     size): such a request raises the batch's throughput, as it saves a later transaction
//     more time than it costs this one. With a slow sync this gathers every writer; with a
//     fast one it ends at once.
func (s *Store) fill(batch *[]*writeReq, timer **time.Timer) {
	active := s.activeWriters.Load()
	if len(*batch) >= cap(*batch) || int64(len(*batch)) >= active || s.lastCommit <= 0 {
		return
	}
	commit := s.lastCommit
	limit := min(commit, maxFillWait)
	start := time.Now()
	half := int((active + 1) / 2)
	wait := func(d time.Duration) bool {
		if d <= 0 {
			return false
		}
		if *timer == nil {
			*timer = time.NewTimer(d)
		} else {
			(*timer).Reset(d)
		}
		defer (*timer).Stop()
		select {
		case r, ok := <-s.reqs:
			if !ok {
				return false
			}
			*batch = append(*batch, r)
			return true
		case <-(*timer).C:
			return false
		}
	}
	for len(*batch) < half {
		if !wait(min(maxFillGap, maxFillWait-time.Since(start))) {
			return
		}
	}
	for len(*batch) < cap(*batch) && int64(len(*batch)) < s.activeWriters.Load() {
		elapsed := time.Since(start)
		pace := (elapsed + commit) / time.Duration(len(*batch))
		if !wait(min(pace, limit-elapsed)) {
			return
		}
	}
}

// commitBatch writes, syncs, applies and answers one batch.
func (s *Store) commitBatch(batch []*writeReq, pending map[pendingKey]pendingState) {
	base := s.rev.Load()
	next := base
	kis := make([]*kindIndex, len(batch))
	prevs := make([]pendingState, len(batch))
	keys := make([]byte, 8*len(batch))
	var compactTo uint64

	tx, err := s.db.Begin(true)
	if err != nil {
		s.failBatch(batch, err)
		return
	}
	revs := tx.Bucket(bucketRevs)
	revs.FillPercent = 1.0 // keys only ever grow
	for i, r := range batch {
		if r.compactTo != 0 {
			compactTo = max(compactTo, r.compactTo)
			continue
		}
		ki := s.kinds[r.info.GVK]
		if ki == nil {
			s.mu.Lock()
			ki = s.indexLocked(r.info)
			s.mu.Unlock()
		}
		kis[i] = ki
		pk := pendingKey{ki, r.key}
		var cur meta.Object
		var curRev uint64
		if p, ok := pending[pk]; ok {
			cur, curRev = p.obj, p.rev
			if cur == nil {
				curRev = 0
			}
		} else if it, ok := ki.items[r.key]; ok {
			cur, curRev = it.obj, it.rev
		}
		if curRev != r.prevRev {
			r.err = errStale
			if cur == nil {
				r.err = errStaleAbsent
			}
			continue
		}
		if err := revs.Put(putRevKey(keys[8*i:], next+1), r.data); err != nil {
			r.err = store.NewInternalError(err)
			continue
		}
		next++
		r.rev = next
		prevs[i] = pendingState{obj: cur, rev: curRev}
		st := pendingState{rev: next}
		if r.op == opPut {
			st.obj = r.obj
		}
		pending[pk] = st
	}
	if compactTo > s.win.compacted {
		if err := s.compactTxn(tx, compactTo); err != nil {
			tx.Rollback()
			s.failBatch(batch, err)
			return
		}
	}
	if next == base && compactTo <= s.win.compacted {
		tx.Rollback()
		s.answer(batch)
		return
	}
	start := time.Now()
	if err := tx.Commit(); err != nil {
		s.failBatch(batch, err)
		return
	}
	s.lastCommit = time.Since(start)
	s.commitTime.Add(int64(s.lastCommit))
	s.commits.Add(1)
	s.writes.Add(next - base)
	s.apply(batch, kis, prevs, next, compactTo)
	s.answer(batch)
	if len(s.win.events) > s.opts.CompactMaxRevisions+s.opts.CompactMaxRevisions/8 {
		select {
		case s.compactKick <- struct{}{}:
		default:
		}
	}
}

// apply makes a committed batch visible: index, window, revision, and a wake-up for watchers.
func (s *Store) apply(batch []*writeReq, kis []*kindIndex, prevs []pendingState, next uint64, compactTo uint64) {
	for _, r := range batch {
		if r.rev != 0 {
			r.obj.SetResourceVersion(store.FormatResourceVersion(r.rev))
		}
	}
	now := s.opts.Clock.Now().UnixNano()
	s.mu.Lock()
	for i, r := range batch {
		if r.rev == 0 {
			continue
		}
		ki, prev := kis[i], prevs[i]
		e := event{rev: r.rev, kind: ki, obj: r.obj, prev: prev.obj, prevRev: prev.rev, at: now}
		switch {
		case r.op == opDelete:
			e.typ = store.Deleted
			ki.remove(r.key)
		case prev.obj == nil:
			e.typ = store.Added
			ki.put(r.key, r.obj, r.rev)
		default:
			e.typ = store.Modified
			ki.put(r.key, r.obj, r.rev)
		}
		s.win.append(e)
	}
	if compactTo > s.win.compacted {
		s.win.dropThrough(compactTo)
	}
	s.rev.Store(next)
	woken := s.notify
	s.notify = make(chan struct{})
	s.mu.Unlock()
	close(woken) // outside the lock: the watchers it wakes go straight for the read lock
}

// compactTxn deletes, in tx, the records that compacting through revision to supersedes:
// for every event up to to, the record it replaced, and the tombstone itself for deletions.
// What remains at or below to is exactly the state at to.
func (s *Store) compactTxn(tx *bolt.Tx, to uint64) error {
	revs := tx.Bucket(bucketRevs)
	var k [8]byte
	for _, e := range s.win.through(to) {
		if e.prevRev != 0 {
			if err := revs.Delete(putRevKey(k[:], e.prevRev)); err != nil {
				return err
			}
		}
		if e.typ == store.Deleted {
			if err := revs.Delete(putRevKey(k[:], e.rev)); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bucketMeta).Put(keyCompacted, binary.BigEndian.AppendUint64(nil, to))
}

// failBatch answers every request of a batch whose transaction failed.
func (s *Store) failBatch(batch []*writeReq, err error) {
	ierr := store.NewInternalError(err)
	for _, r := range batch {
		r.rev = 0
		if r.err == nil {
			r.err = ierr
		}
	}
	s.answer(batch)
}

// answer wakes the writers of a batch.
func (s *Store) answer(batch []*writeReq) {
	for _, r := range batch {
		r.done <- struct{}{}
	}
}
