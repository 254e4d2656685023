package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// FileName is the name of the bbolt file inside the data directory.
const FileName = "skiff.db"

// Store is the bbolt-backed store.Store. It is safe for concurrent use. See the package
// documentation for its design.
type Store struct {
	opts Options
	sch  *scheme.Scheme
	db   *bolt.DB

	// mu guards the committed in-memory state: kinds (and every kindIndex in it), win and
	// notify. Only the committer goroutine writes it, under the write lock; readers,
	// watchers and the compactor take the read lock. The committer reads it without a lock.
	mu     sync.RWMutex
	kinds  map[scheme.GroupVersionKind]*kindIndex
	win    window
	notify chan struct{} // closed (and replaced) when revisions are added or compacted

	rev atomic.Uint64 // the revision of the last applied write; written under mu

	// closeMu guards closed: writers hold it for reading while they hand a request to the
	// committer, so that once Close holds it for writing no request can be sent anymore.
	closeMu sync.RWMutex
	closed  bool

	reqs        chan *writeReq // to the committer
	closing     chan struct{}  // closed by Close: watchers and the compactor stop
	committerWG sync.WaitGroup // the committer
	bgWG        sync.WaitGroup // the compactor and every watcher goroutine
	compactKick chan struct{}  // capacity 1: the window outgrew CompactMaxRevisions

	// watchMu guards watchers.
	watchMu  sync.Mutex
	watchers map[*watcher]struct{}

	activeWriters atomic.Int64  // goroutines inside Create, Update, UpdateStatus or Delete
	lastCommit    time.Duration // how long the last transaction took; committer only
	kindNames     sync.Map      // *scheme.KindInfo -> gvkString of its GVK

	commits    atomic.Uint64
	writes     atomic.Uint64
	commitTime atomic.Int64 // nanoseconds spent in committed transactions' Commit (sync included)
}

var (
	_ store.Store         = (*Store)(nil)
	_ store.Compactor     = (*Store)(nil)
	_ store.StatsReporter = (*Store)(nil)
	_ store.SharedLister  = (*Store)(nil)
)

// Open opens (creating if needed) the store in directory dir, loads every object into memory
// and starts the committer and compactor goroutines, which Close stops. It fails with an
// error wrapping ErrLocked when another process (or another Open in this one) holds the store,
// with one wrapping scheme.ErrUnknownKind when the data holds a kind opts.Scheme does not
// register, and with one wrapping ErrCorrupt when the file is not a skiff store.
func Open(dir string, opts Options) (*Store, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("boltstore: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opts.LockTimeout,
		InitialMmapSize: opts.InitialMmapSize,
		NoFreelistSync:  true,
		FreelistType:    bolt.FreelistMapType,
		NoStatistics:    true,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is held by another process (gave up after %v)", ErrLocked, path, opts.LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s := &Store{
		opts:        opts,
		sch:         opts.Scheme,
		db:          db,
		kinds:       map[scheme.GroupVersionKind]*kindIndex{},
		notify:      make(chan struct{}),
		reqs:        make(chan *writeReq, opts.MaxBatchSize),
		closing:     make(chan struct{}),
		compactKick: make(chan struct{}, 1),
		watchers:    map[*watcher]struct{}{},
	}
	if err := s.load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s.committerWG.Add(1)
	go s.commitLoop()
	s.bgWG.Add(1)
	go s.compactLoop()
	return s, nil
}

// Close stops every watcher (closing its channel), lets the committer finish the writes
// already handed to it, stops the compactor and closes the data file. Writes that arrive
// after Close started fail with store.ErrClosed. Close is idempotent.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()
	close(s.closing)
	s.bgWG.Wait()
	close(s.reqs) // no sender is left: they all hold closeMu for reading while sending
	s.committerWG.Wait()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close: %w", err)
	}
	return nil
}

// isClosed reports whether Close has started.
func (s *Store) isClosed() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// CurrentRevision returns the revision of the last durable write.
func (s *Store) CurrentRevision() uint64 { return s.rev.Load() }

// CompactedRevision returns the newest compacted revision.
func (s *Store) CompactedRevision() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.win.compacted
}

// Stats returns the store's counters.
func (s *Store) Stats() store.Stats {
	s.mu.RLock()
	st := store.Stats{Revision: s.rev.Load(), CompactedRevision: s.win.compacted}
	for _, ki := range s.kinds {
		st.Objects += len(ki.items)
	}
	s.mu.RUnlock()
	s.watchMu.Lock()
	st.Watchers = len(s.watchers)
	s.watchMu.Unlock()
	st.Commits, st.Writes = s.commits.Load(), s.writes.Load()
	return st
}

// Get returns a copy of the named object.
func (s *Store) Get(_ context.Context, gvk scheme.GroupVersionKind, namespace, name string) (meta.Object, error) {
	if s.isClosed() {
		return nil, store.ErrClosed
	}
	obj, _ := s.current(gvk, objKey{namespace, name})
	if obj == nil {
		// Only kinds the scheme knows are indexed: resolve the kind for the error alone.
		info, err := s.kindInfo(gvk)
		if err != nil {
			return nil, err
		}
		return nil, store.NewNotFound(info.GroupResource(), name)
	}
	return obj.DeepCopyObject(), nil
}

// kindInfo resolves gvk through the scheme; an unknown kind is a BadRequest.
func (s *Store) kindInfo(gvk scheme.GroupVersionKind) (*scheme.KindInfo, error) {
	info, err := s.sch.ForGVK(gvk)
	if err != nil {
		return nil, unknownKind(err)
	}
	return info, nil
}

// kindInfoOf resolves the kind of obj; an unregistered type is a BadRequest.
func (s *Store) kindInfoOf(obj meta.Object) (*scheme.KindInfo, error) {
	info, err := s.sch.ForObject(obj)
	if err != nil {
		return nil, unknownKind(err)
	}
	return info, nil
}

// unknownKind turns a scheme error into a BadRequest that still wraps it.
func unknownKind(err error) error {
	e := store.NewBadRequest(err.Error())
	e.Err = err
	return e
}

// indexLocked returns the index of kind info, creating it if needed. It needs Store.mu held
// for writing, or no concurrency at all (load); only the committer and load call it.
func (s *Store) indexLocked(info *scheme.KindInfo) *kindIndex {
	ki := s.kinds[info.GVK]
	if ki == nil {
		ki = newKindIndex(info)
		s.kinds[info.GVK] = ki
	}
	return ki
}

// current returns the committed state of an object (nil, 0 when absent).
func (s *Store) current(gvk scheme.GroupVersionKind, k objKey) (meta.Object, uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if ki := s.kinds[gvk]; ki != nil {
		if it, ok := ki.items[k]; ok {
			return it.obj, it.rev
		}
	}
	return nil, 0
}
