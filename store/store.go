package store

import (
	"context"
	"strconv"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
)

// Reader reads current objects. Implementations are safe for concurrent use.
type Reader interface {
	// Get returns the object of kind gvk named name in namespace ("" for cluster-scoped kinds),
	// or a NotFound error. The returned object is a copy owned by the caller.
	Get(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string) (meta.Object, error)
	// List returns the objects of kind gvk that match opts, sorted by namespace then name,
	// read at one revision (ListResult.ResourceVersion). Pages of a paginated list are all
	// read at the revision of the first page. The items are copies owned by the caller.
	List(ctx context.Context, gvk scheme.GroupVersionKind, opts ListOptions) (*ListResult, error)
}

// Writer changes objects. Each successful write increments the store's revision by one and
// returns only once it is durable. Objects passed in are never retained or modified; the
// returned object is a copy owned by the caller, with resourceVersion set to the write's
// revision. The context is checked before a write starts; a write that has started is not
// abandoned, so that its outcome is always reported. Implementations are safe for concurrent
// use.
type Writer interface {
	// Create stores a new object. The store sets uid, creationTimestamp, generation 1 and
	// resourceVersion, picks a name when only generateName is set, applies the kind's
	// defaults, clears status for kinds with a status subresource and validates. Errors:
	// AlreadyExists, Invalid.
	Create(ctx context.Context, obj meta.Object, opts CreateOptions) (meta.Object, error)
	// Update replaces an existing object. A non-empty resourceVersion must be the object's
	// current one, else Conflict; an empty one updates unconditionally. Generation is bumped
	// when the spec changes; status changes are ignored for kinds with a status
	// subresource; uid, creationTimestamp and the deletion fields are kept from the stored
	// object. An update that removes the last finalizer of an object whose deletion is due
	// deletes it (the returned object is then its final state). Errors: NotFound, Conflict,
	// Invalid.
	Update(ctx context.Context, obj meta.Object, opts UpdateOptions) (meta.Object, error)
	// UpdateStatus is Update for the status subresource: only status changes are kept;
	// metadata and spec are carried over from the stored object and generation stays. It
	// fails with BadRequest for kinds without a status subresource.
	UpdateStatus(ctx context.Context, obj meta.Object, opts UpdateOptions) (meta.Object, error)
	// Delete asks for an object's deletion, following ../shared/spec/objects.md §2 and §5:
	// preconditions are checked (Conflict); the propagation policy is recorded as the
	// orphan or foregroundDeletion finalizer; an object that still has finalizers, or a pod
	// that is bound to a node and given a grace period, gets deletionTimestamp and
	// deletionGracePeriodSeconds and stays (the returned object is that state); otherwise it
	// is removed and the returned object is its final state with the deletion's revision as
	// resourceVersion. Errors: NotFound, Conflict.
	Delete(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, opts DeleteOptions) (meta.Object, error)
}

// ReadWriter reads and writes objects; it is what GuaranteedUpdate needs.
type ReadWriter interface {
	Reader
	Writer
}

// Store holds objects of every kind registered in the scheme it was opened with, under one
// revision counter, and streams their changes. Kinds are named by GroupVersionKind; a kind the
// scheme does not know is a BadRequest error. After Close every method returns ErrClosed.
//
// Capabilities beyond this interface (compaction control, statistics) are optional
// interfaces such as Compactor, found by type assertion.
type Store interface {
	ReadWriter
	// Watch streams the changes to objects of kind gvk that match opts (see WatchOptions).
	// It fails with Gone when opts.ResourceVersion is older than the compacted revision, and
	// with a TooLargeResourceVersion Timeout when it is newer than the current one.
	Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts WatchOptions) (Watcher, error)
	// CurrentRevision returns the revision of the last durable write (0 for an empty store).
	CurrentRevision() uint64
	// Close stops every watcher (their channels are closed), waits for in-flight writes and
	// background work, and releases the store's resources. It is safe to call twice.
	Close() error
}

// CreateOptions modify a Create. There are none yet; the struct keeps the signature stable.
type CreateOptions struct{}

// UpdateOptions modify an Update or UpdateStatus. There are none yet; the struct keeps the
// signature stable.
type UpdateOptions struct{}

// DeleteOptions modify a Delete, as meta.DeleteOptions does in a DELETE request.
type DeleteOptions struct {
	// Preconditions must hold for the delete to proceed (else Conflict).
	Preconditions *meta.Preconditions
	// GracePeriodSeconds overrides a pod's terminationGracePeriodSeconds; negative values
	// are read as 1. Kinds other than Pod have no grace period.
	GracePeriodSeconds *int64
	// PropagationPolicy says what happens to dependents; nil means the object's existing
	// orphan/foregroundDeletion finalizer, else the kind's default (Orphan for Job and
	// ReplicationController, Background for the rest).
	PropagationPolicy *meta.DeletionPropagation
}

// ListOptions select what List returns.
type ListOptions struct {
	// Namespace restricts the list to one namespace; "" lists all namespaces.
	Namespace string
	// LabelSelector filters by labels; nil matches everything.
	LabelSelector labels.Selector
	// FieldSelector filters by the fields of SelectableFields; nil matches everything. Any
	// other field is a BadRequest error.
	FieldSelector fields.Selector
	// Limit caps the number of items returned (0 = no limit). When more match, the result
	// has a Continue token.
	Limit int64
	// Continue is a token from a previous ListResult: it resumes that list, at that list's
	// revision. A token older than the compacted revision fails with Gone (Expired); the
	// namespace and selectors must be the same as the first page's.
	Continue string
}

// ListResult is one page of a List.
type ListResult struct {
	// Items are the matching objects, sorted by namespace then name, owned by the caller.
	Items []meta.Object
	// ResourceVersion is the revision the list was read at; a watch from it sees every
	// change that the list does not.
	ResourceVersion uint64
	// Continue is the token for the next page, "" on the last page.
	Continue string
	// RemainingItemCount is the number of objects after this page, set when there are more
	// pages and the list has no label or field selector (as in Kubernetes).
	RemainingItemCount *int64
}

// SelectableFields are the fields a FieldSelector may name. metadata.name and
// metadata.namespace exist for every kind; spec.nodeName and status.phase for the kinds that
// have them (Pod; status.phase also Namespace) and read as "" elsewhere.
var SelectableFields = []string{"metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"}

// ParseResourceVersion parses a resourceVersion string into a revision. "" parses as 0.
// Anything but a decimal number is a BadRequest error.
func ParseResourceVersion(rv string) (uint64, error) {
	if rv == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(rv, 10, 64)
	if err != nil {
		return 0, NewBadRequest("invalid resource version " + strconv.Quote(rv) + ": must be a decimal number")
	}
	return n, nil
}

// FormatResourceVersion renders a revision as a resourceVersion string.
func FormatResourceVersion(rev uint64) string { return strconv.FormatUint(rev, 10) }
