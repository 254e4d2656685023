package store

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
)

// EventType says what an Event reports. The values are the Kubernetes watch event types.
type EventType string

// The event types.
const (
	// Added: the object was created, or (with a selector) started to match.
	Added EventType = "ADDED"
	// Modified: the object changed and still matches.
	Modified EventType = "MODIFIED"
	// Deleted: the object was removed, or (with a selector) stopped matching. The object is
	// its last state, with the revision of the change as resourceVersion.
	Deleted EventType = "DELETED"
	// Bookmark: nothing changed for this watch up to Revision; Object is an empty object of
	// the kind carrying only that resourceVersion. Sent only with AllowBookmarks.
	Bookmark EventType = "BOOKMARK"
	// Error: the watch ended with Err (for instance Gone when the watcher fell behind the
	// compacted revision); the channel is closed after it.
	Error EventType = "ERROR"
)

// Event is one change seen by a watch.
//
// Object is shared: every watcher of the store may receive the very same object, which is
// also the store's own copy. Never modify it; DeepCopyObject first.
type Event struct {
	// Type is the kind of change.
	Type EventType
	// Object is the object as of the change (nil for Error events). Read-only, see above.
	Object meta.Object
	// Revision is the store revision of the change (for Bookmark, the revision the watch
	// has seen up to; for Error, 0).
	Revision uint64
	// Err is set on Error events.
	Err error
}

// Watcher is a running watch.
type Watcher interface {
	// ResultChan returns the channel of events. It is closed when the watch ends: after
	// Stop, when the watch's context is done, when the store closes, or after an Error
	// event.
	ResultChan() <-chan Event
	// Stop ends the watch and releases its resources; the channel is closed soon after.
	// Events already buffered may still be received. Stop may be called more than once.
	Stop()
}

// WatchOptions select what a Watch streams.
type WatchOptions struct {
	// Namespace restricts the watch to one namespace; "" watches all namespaces.
	Namespace string
	// LabelSelector filters by labels; nil matches everything. An object that starts
	// matching is reported as Added, one that stops matching as Deleted.
	LabelSelector labels.Selector
	// FieldSelector filters by the fields of SelectableFields; nil matches everything.
	FieldSelector fields.Selector
	// ResourceVersion is the revision to start after: every change with a greater revision
	// is delivered, in revision order, exactly once, then live changes follow. 0 means
	// "now": the watch starts with an Added event for every current matching object (in
	// namespace/name order) and then streams changes after that state, as Kubernetes does
	// for an unset or "0" resourceVersion.
	ResourceVersion uint64
	// AllowBookmarks asks for Bookmark events: one after the initial Added events of a
	// watch from 0, and periodically while the watch sees no matching change.
	AllowBookmarks bool
}
