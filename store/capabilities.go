package store

import (
	"context"

	"github.com/skiff-dev/skiff/scheme"
)

// Compactor is implemented by stores that let their caller compact the revision history.
// Stores compact on their own as well; this is for tests and administration.
type Compactor interface {
	// Compact discards the history up to and including rev: watches and continue tokens
	// from an older revision then fail with Gone. rev must not exceed CurrentRevision.
	Compact(ctx context.Context, rev uint64) error
	// CompactedRevision returns the newest revision whose history was discarded (0 when
	// none was).
	CompactedRevision() uint64
}

// Stats are counters a store may report.
type Stats struct {
	// Revision is the current revision.
	Revision uint64
	// CompactedRevision is the newest compacted revision.
	CompactedRevision uint64
	// Objects is the number of stored objects.
	Objects int
	// Watchers is the number of running watches.
	Watchers int
	// Commits is the number of write transactions committed since the store was opened.
	Commits uint64
	// Writes is the number of writes committed since the store was opened.
	Writes uint64
}

// StatsReporter is implemented by stores that report Stats.
type StatsReporter interface {
	// Stats returns a snapshot of the counters.
	Stats() Stats
}

// SharedLister is implemented by stores that can list without copying. The items of
// ListShared are the store's own objects, the same ones watch events carry: they are shared
// with every other reader and must never be modified. An in-process informer that treats its
// cache as read-only uses it to hold one copy of each object instead of two.
type SharedLister interface {
	// ListShared is List with shared, read-only items.
	ListShared(ctx context.Context, gvk scheme.GroupVersionKind, opts ListOptions) (*ListResult, error)
}
