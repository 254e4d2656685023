// Package boltstore is the store.Store of skiff, over go.etcd.io/bbolt: one file holding a
// revision log, with every current object decoded in memory, group commit, watch fan-out from
// an in-memory event window, and background compaction.
//
// # Basics
//
// Open(dir, Options{Scheme: s}) opens (or creates) dir/skiff.db, reads the whole log into
// memory and starts two goroutines, the committer and the compactor; Close stops them and
// every watcher. A second Open of the same directory, from this or another process, fails
// after Options.LockTimeout with ErrLocked instead of hanging.
//
// # On-disk layout
//
// Two buckets:
//
//	meta  "format"    -> 1 byte, the record format version (1)
//	      "compacted" -> 8-byte big-endian revision: history at or below it is gone
//	revs  8-byte big-endian revision -> record
//
// A record is one write: an op byte (1 put, 2 delete), then three uvarint-length-prefixed
// strings — the kind as "group/version/Kind", the namespace and the name — and, for a put,
// the object's JSON with an empty resourceVersion (an object's resourceVersion is the key of
// its record). The built-in kinds write their JSON with the generated AppendJSON methods
// (internal/cmd/jsonenc-gen): the bytes encoding/json would write, without reflection; other
// objects go through encoding/json. A delete is a tombstone: the header only. Like etcd's MVCC store, the log is
// the only copy of the data: the current state of a key is its newest record; the records
// after the compacted revision are the history that watches replay; compacting through
// revision C deletes every record at or below C that C's state no longer needs (superseded
// versions and tombstones). Keys only grow, so pages are filled completely (FillPercent 1).
// A new store starts at revision 1, as etcd does.
//
// # In memory
//
// Per kind, a map from namespace/name to the current object (decoded once, immutable, shared
// with watch events) and a B-tree of keys for ordered listing and pagination. The event window
// holds one event per revision after the compacted one: type, object, previous object and the
// revision of the previous record. It serves watch replay and live fan-out, reconstructs the
// state at an older revision for continue tokens, and tells the compactor which records a
// compaction supersedes. Get copies one object out of the map; List scans the B-tree under the
// read lock collecting pointers and copies after releasing it.
//
// # Writes and group commit
//
// A write is prepared on the caller's goroutine — deep copy, defaulting, uid and timestamps,
// the strategy's Prepare* hooks, validation, admission, JSON encoding — against the committed
// state, so that this CPU work runs in parallel. The request, carrying the revision it was
// prepared against, goes to the committer, which takes every request waiting (waiting a
// little, at most 2 ms, while other writers are still preparing theirs: until about half of
// them have joined, then longer only while a slow commit makes it worth it), puts them all in
// one bbolt transaction and commits it: one fsync pair for the batch. Writers that miss a
// batch prepare theirs while it commits. A request whose object
// changed meanwhile is not written; its writer reports Conflict (or AlreadyExists, or
// NotFound) or prepares again (unconditional updates, deletes, generated names). Only after
// the commit is durable does the committer apply the batch to the index and the window and
// answer the writers, so nothing is visible, or acknowledged, that is not on disk.
//
// # Watch
//
// Each watcher is a goroutine with a cursor into the window. It copies a slice of events
// under the read lock, filters and translates them (a selector change becomes Added or
// Deleted, as in Kubernetes' watch cache) and sends them on its channel without holding any
// lock. The committer only closes a notification channel after each batch: a slow watcher
// never blocks a writer. When compaction passes a watcher's cursor, the watcher ends with an
// Error event (Expired, store.IsGone) and its channel is closed; the client relists.
//
// # Compaction
//
// The compactor keeps the window within Options.CompactMaxRevisions revisions and
// Options.CompactMaxAge (defaults 10,000 and 5 minutes). It runs every CompactInterval and
// whenever the committer reports the window too long, and submits compaction steps of at most
// 4,096 revisions to the committer, which performs each in the next write transaction.
//
// # Lock order
//
// bbolt's writer lock (the committer's open transaction) → Store.mu. Store.closeMu (read)
// is held only while handing a request to the committer. Store.watchMu is a leaf. Store.mu is
// never held during bbolt calls or channel sends, and never together with closeMu or watchMu.
//
// # Caveats
//
//   - Memory: every current object is kept decoded, plus the objects referenced by the event
//     window. Open decodes the whole log, so it takes time proportional to the data (about
//     10 µs per object).
//   - A record of a kind the scheme does not register makes Open fail (scheme.ErrUnknownKind):
//     register every kind you ever stored.
//   - Commit times of the events rebuilt at Open are the open time, so age-based compaction
//     of that history starts again after a restart.
//   - The data file never shrinks; bbolt reuses freed pages. The freelist is not persisted
//     (NoFreelistSync) and is rebuilt at Open.
//   - The committer's short wait for preparing writers uses real time, not Options.Clock.
package boltstore
