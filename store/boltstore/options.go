package boltstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Defaults for the zero fields of Options.
const (
	DefaultLockTimeout         = time.Second
	DefaultInitialMmapSize     = 1 << 30 // 1 GiB of address space, not of memory or disk
	DefaultMaxBatchSize        = 1024
	DefaultCompactMaxRevisions = 10000
	DefaultCompactMaxAge       = 5 * time.Minute
	DefaultCompactInterval     = 10 * time.Second
	DefaultWatchBufferSize     = 128
	DefaultBookmarkInterval    = time.Minute
)

// Options configure Open. The zero value of every field but Scheme means its default.
type Options struct {
	// Scheme resolves kinds; every kind stored must be registered in it. Required.
	Scheme *scheme.Scheme
	// Clock supplies timestamps (creationTimestamp, deletionTimestamp), the age of revisions
	// for compaction and bookmark timing. Default clock.Real{}.
	Clock clock.Clock
	// LockTimeout is how long Open waits for the data file's lock before failing with
	// ErrLocked (another process has the store open). Default 1s.
	LockTimeout time.Duration
	// InitialMmapSize is the size of bbolt's first memory map. It should exceed the data
	// file's expected size: growing the map in a write transaction copies that
	// transaction's dirty pages to the heap. Default 1 GiB (address space only).
	InitialMmapSize int
	// MaxBatchSize caps the writes that share one transaction. Default 1024.
	MaxBatchSize int
	// CompactMaxRevisions is how many revisions of history (watch replay, continue tokens)
	// are kept. Default 10,000.
	CompactMaxRevisions int
	// CompactMaxAge is how long a revision's history is kept at most. Default 5 minutes.
	CompactMaxAge time.Duration
	// CompactInterval is how often the background compactor checks CompactMaxAge. Default
	// 10s. (CompactMaxRevisions is checked after every write batch.)
	CompactInterval time.Duration
	// WatchBufferSize is the capacity of each watcher's result channel. Default 128.
	WatchBufferSize int
	// BookmarkInterval is how long a watch with AllowBookmarks may go without an event
	// before it gets a Bookmark. Default 1 minute.
	BookmarkInterval time.Duration
	// Admit, when set, is run on every write after validation (see store.AdmitFunc).
	Admit store.AdmitFunc
}

// Validate reports nonsense in o: a missing scheme or negative sizes and durations.
func (o Options) Validate() error {
	var errs []error
	if o.Scheme == nil {
		errs = append(errs, errors.New("a scheme is required (Options.Scheme)"))
	}
	if o.LockTimeout < 0 || o.CompactMaxAge < 0 || o.CompactInterval < 0 || o.BookmarkInterval < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if o.InitialMmapSize < 0 || o.MaxBatchSize < 0 || o.CompactMaxRevisions < 0 || o.WatchBufferSize < 0 {
		errs = append(errs, errors.New("sizes must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("boltstore: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.LockTimeout, DefaultLockTimeout)
	def(&o.CompactMaxAge, DefaultCompactMaxAge)
	def(&o.CompactInterval, DefaultCompactInterval)
	def(&o.BookmarkInterval, DefaultBookmarkInterval)
	defInt(&o.InitialMmapSize, DefaultInitialMmapSize)
	defInt(&o.MaxBatchSize, DefaultMaxBatchSize)
	defInt(&o.CompactMaxRevisions, DefaultCompactMaxRevisions)
	defInt(&o.WatchBufferSize, DefaultWatchBufferSize)
	return o
}
